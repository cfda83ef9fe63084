#!/usr/bin/python3
"""copydesk --jsonl as a mapper under Dask's distributed scheduler.

Starts a scheduler and two workers on loopback (separate processes, as on a
cluster), splits a JSON Lines data set into partitions, has the workers pipe
each partition through `copydesk clean --jsonl` (the same command a Hadoop
Streaming or Spark RDD.pipe() job would run), gathers the partitions in order
and checks the result is byte-identical to one local run over the whole file.

usage: dask_test.py COPYDESK_BINARY SOURCE_DIR
Needs Debian's python3-distributed (run with /usr/bin/python3). Exits 77 (skip)
when it is not installed.
"""
import os, socket, subprocess, sys, tempfile, time

try:
    from distributed import Client
except ImportError:
    print("python3-distributed is not installed: skipped")
    sys.exit(77)

COPYDESK, SRC = sys.argv[1], sys.argv[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_partition(lines, copydesk):
    """Runs on a worker: one partition of JSONL lines (bytes) through copydesk."""
    data = b"".join(lines)
    # Rejected records go to standard error (captured here), not to a file.
    out = subprocess.run([copydesk, "clean", "--jsonl", "--quiet", "--threads", "1"],
                         input=data, capture_output=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"copydesk exit {out.returncode}: {out.stderr.decode()[:300]}")
    return out.stdout


def main():
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data.jsonl")
        subprocess.run([sys.executable, os.path.join(SRC, "tests", "make_jsonl.py"), "--records", "4000",
                        "--bad-every", "501", "--bad-lines", os.path.join(tmp, "bad"), data]
                       + [os.path.join(SRC, "samples", f) for f in sorted(os.listdir(os.path.join(SRC, "samples")))
                          if f.endswith(".txt")], check=True)
        local = subprocess.run([COPYDESK, "clean", "--jsonl", "--quiet"],
                               stdin=open(data, "rb"), capture_output=True, check=True).stdout

        port = free_port()
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
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
            with open(data, "rb") as f:
                lines = f.readlines()  # bytes: the stream holds invalid UTF-8 on purpose
            # Partitions of uneven size, spread over both workers.
            bounds = [0, 700, 1500, 2600, 3100, len(lines)]
            parts = [lines[a:b] for a, b in zip(bounds, bounds[1:])]
            futures = [client.submit(clean_partition, p, COPYDESK, workers=[workers[i % 2]], pure=False)
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
        distributed_out = b"".join(outputs)
        print(f"records: {len(lines)}, partitions: {len(parts)}, workers used: {len(used)}")
        ok = True
        if local == open(data, "rb").read():
            print("FAIL: the local run changed nothing: the comparison would prove nothing")
            ok = False
        if len(used) != 2:
            print("FAIL: both workers should have run partitions")
            ok = False
        if distributed_out != local:
            print(f"FAIL: distributed output differs from the local run ({len(distributed_out)} vs {len(local)} bytes)")
            ok = False
        print(f"dask: {'1 passed, 0 failed' if ok else '0 passed, 1 failed'}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
