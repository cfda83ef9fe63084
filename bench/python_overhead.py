#!/usr/bin/python3
"""Per-call cost of the Python package against one `copydesk clean` process
per document (what a script calling subprocess pays). Bounded: N calls each.

usage: PYTHONPATH=build/python bench/python_overhead.py COPYDESK_BINARY [N]
"""
import glob, os, statistics, subprocess, sys, time

import copydesk

BIN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 20
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
docs = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(src, "samples", "*.txt")))]
short = "Shares of Paypal rose ,analysts said on thursday."


def timed(fn, n):
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, min(times) * 1000


t0 = time.perf_counter()
p = copydesk.Pipeline()
p.clean(short)
build = (time.perf_counter() - t0) * 1000
print(f"copydesk.Pipeline() built and first call: {build:.0f} ms (once per process)")
for d in docs:  # first sight of each article's words, as a long run would have seen them
    p.clean(d)
for label, fn in [
    ("Pipeline.clean, one sentence", lambda i: p.clean(short)),
    ("Pipeline.clean, a sample article (2-20 KB)", lambda i: p.clean(docs[i % len(docs)])),
    ("subprocess copydesk clean --threads 1, one sentence",
     lambda i: subprocess.run([BIN, "clean", "-q", "--threads", "1", "-"], input=short.encode(), check=True,
                              capture_output=True)),
    ("subprocess copydesk clean (default threads), one sentence",
     lambda i: subprocess.run([BIN, "clean", "-q", "-"], input=short.encode(), check=True, capture_output=True)),
    ("subprocess copydesk clean --threads 1, a sample article",
     lambda i: subprocess.run([BIN, "clean", "-q", "--threads", "1", "-"], input=docs[i % len(docs)].encode(),
                              check=True, capture_output=True)),
]:
    n = N if label.startswith("subprocess") else 50 * N
    med, best = timed(fn, n)
    print(f"{label}: median {med:.3f} ms, best {best:.3f} ms ({n} calls)")
many = docs * (10 * N // len(docs) + 1)
p.clean_many(docs, threads=2)  # builds the second pipeline outside the timing
for threads in (1, 2):
    t0, c0 = time.perf_counter(), time.process_time()
    p.clean_many(many, threads=threads)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    mb = sum(len(d.encode()) for d in many) / 1e6
    print(f"clean_many, {len(many)} articles ({mb:.1f} MB), threads={threads}: {dt:.2f} s wall, {mb / dt:.1f} MB/s; "
          f"CPU {cpu:.2f} s ({mb / cpu:.1f} MB per CPU second)")
print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
