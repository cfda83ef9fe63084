#!/usr/bin/python3
"""The copydesk Python package on Dask's distributed workers.

Starts a scheduler and two workers on loopback (separate processes, as on a
cluster), splits a JSON Lines data set into partitions and has the workers
clean each partition with `copydesk.Pipeline` (built once per worker and
reused for every partition it gets), then checks that the gathered texts, in
order, are exactly those of one local `copydesk clean --jsonl` run over the
whole file, and that broken records are reported, not cleaned.

usage: dask_test.py COPYDESK_BINARY SOURCE_DIR PYTHON_PACKAGE_DIR
Needs Debian's python3-distributed (run with /usr/bin/python3). Exits 77 (skip)
when it is not installed.
"""
import json, os, socket, subprocess, sys, tempfile, time

try:
    from distributed import Client, get_worker
except ImportError:
    print("python3-distributed is not installed: skipped")
    sys.exit(77)

COPYDESK, SRC, PYDIR = sys.argv[1], sys.argv[2], sys.argv[3]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_partition(lines):
    """Runs on a worker: cleans the "text" of each JSON Lines record (bytes).
    Returns per line ("ok", cleaned text) or ("error", why)."""
    import copydesk

    worker = get_worker()
    pipeline = getattr(worker, "copydesk_pipeline", None)
    if pipeline is None:  # built once per worker: the dictionaries load once
        pipeline = worker.copydesk_pipeline = copydesk.Pipeline()
        worker.copydesk_builds = getattr(worker, "copydesk_builds", 0) + 1
    records, texts, out = [], [], []
    for line in lines:
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError("no string text field")
        except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            records.append(("error", str(e)))
            continue
        records.append(None)
        texts.append(record["text"])
    cleaned = iter(pipeline.clean_many(texts, threads=1))
    for r in records:
        out.append(r if r is not None else ("ok", next(cleaned).text))
    return out, worker.copydesk_builds


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.jsonl")
        subprocess.run([sys.executable, os.path.join(SRC, "tests", "make_jsonl.py"), "--records", "4000",
                        "--bad-every", "501", "--bad-lines", os.path.join(tmp, "bad"), data]
                       + [os.path.join(SRC, "samples", f) for f in sorted(os.listdir(os.path.join(SRC, "samples")))
                          if f.endswith(".txt")], check=True)
        with open(data, "rb") as f:
            lines = [l for l in f.readlines() if l.strip()]  # bytes: the stream holds invalid UTF-8 on purpose
        # The reference: the command over the whole file, with --errors to a file so that only good records are
        # in the output (--on-error skip).
        local = subprocess.run([COPYDESK, "clean", "--jsonl", "--quiet", "--on-error", "skip", "--errors",
                                os.path.join(tmp, "errors.jsonl")], stdin=open(data, "rb"), capture_output=True)
        expected = [json.loads(l)["text"] for l in local.stdout.splitlines()]
        n_errors = sum(1 for _ in open(os.path.join(tmp, "errors.jsonl"), "rb"))

        port = free_port()
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False",
                   PYTHONPATH=PYDIR + os.pathsep + os.environ.get("PYTHONPATH", ""))
        logs = open(os.path.join(tmp, "dask.log"), "w")
        procs = [subprocess.Popen(["/usr/bin/dask-scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], stdout=logs, stderr=logs, env=env)]
        try:
            time.sleep(1.0)
            for _ in range(2):
                procs.append(subprocess.Popen(["/usr/bin/dask-worker", f"tcp://127.0.0.1:{port}", "--nthreads", "1",
                                               "--no-dashboard", "--host", "127.0.0.1"],
                                              stdout=logs, stderr=logs, env=env))
            client = Client(f"tcp://127.0.0.1:{port}", timeout=30)
            client.wait_for_workers(2, timeout=60)
            workers = list(client.scheduler_info()["workers"])
            # Partitions of uneven size, spread over both workers (three on one: the pipeline is reused).
            bounds = [0, 700, 1500, 2600, 3100, len(lines)]
            parts = [lines[a:b] for a, b in zip(bounds, bounds[1:])]
            futures = [client.submit(clean_partition, p, workers=[workers[i % 2]], pure=False)
                       for i, p in enumerate(parts)]
            outputs = client.gather(futures)
            used = {w for w in client.who_has(futures).values() for w in w}
            client.close()
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        results = [r for out, _ in outputs for r in out]
        builds = max(b for _, b in outputs)
        got = [text for kind, text in results if kind == "ok"]
        got_errors = sum(1 for kind, _ in results if kind == "error")
        print(f"records: {len(lines)}, partitions: {len(parts)}, workers used: {len(used)}, "
              f"pipelines built per worker: {builds}, broken records: {got_errors}")
        ok = True
        originals = [json.loads(l)["text"] for l in lines if (r := _good(l))]
        if expected == originals:
            print("FAIL: the local run changed nothing: the comparison would prove nothing")
            ok = False
        if len(used) != 2 or builds != 1:
            print("FAIL: both workers should have run partitions, each building one pipeline")
            ok = False
        if got_errors != n_errors or got_errors == 0:
            print(f"FAIL: {got_errors} broken records found, the command reported {n_errors}")
            ok = False
        if got != expected:
            bad = next(i for i, (a, b) in enumerate(zip(got + [None], expected + [None])) if a != b)
            print(f"FAIL: distributed texts differ from the local run (first at good record {bad})")
            ok = False
        print(f"dask: {'1 passed, 0 failed' if ok else '0 passed, 1 failed'}")
        sys.exit(0 if ok else 1)


def _good(line):
    try:
        r = json.loads(line)
        return isinstance(r, dict) and isinstance(r.get("text"), str)
    except ValueError:
        return False


if __name__ == "__main__":
    main()
