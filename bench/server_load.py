#!/usr/bin/python3
"""Load test of `copydesk serve`: C concurrent clients, each on one kept-alive
connection, POST /clean the articles of samples/ in turn until R requests are
done or T seconds have passed (whichever first). Prints requests per second,
MB/s of article text and latency percentiles.

usage: bench/server_load.py COPYDESK_BINARY [--clients 8] [--requests 2000]
       [--seconds 60] [--threads 2] [--edits]
"""
import argparse, glob, http.client, json, os, signal, socket, subprocess, sys, threading, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_cpu(pid):
    """CPU seconds (user + system) the server has used so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("copydesk")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2, help="server pipelines")
    ap.add_argument("--edits", action="store_true", help="ask for the edits too")
    a = ap.parse_args()
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    docs = [open(f, encoding="utf-8").read() for f in sorted(glob.glob(os.path.join(src, "samples", "*.txt")))]
    bodies = [json.dumps({"text": d, "edits": a.edits}).encode() for d in docs]
    port = free_port()
    server = subprocess.Popen([a.copydesk, "serve", "--port", str(port), "--threads", str(a.threads), "--quiet"])
    try:
        deadline = time.time() + 60
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/health")
                c.getresponse().read()
                break
            except OSError:
                if time.time() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
        lock = threading.Lock()
        issued = [0]
        latencies, errors, text_bytes = [], [0], [0]
        stop_at = time.time() + a.seconds

        def client(k):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            i = k
            while True:
                with lock:
                    if issued[0] >= a.requests or time.time() > stop_at:
                        return
                    issued[0] += 1
                body = bodies[i % len(bodies)]
                i += 1
                t0 = time.perf_counter()
                conn.request("POST", "/clean", body, {"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    text_bytes[0] += len(docs[(i - 1) % len(docs)].encode())
                    if r.status != 200 or b'"text"' not in data:
                        errors[0] += 1

        # One warm-up pass so first-seen words are cached as in a long-running server.
        for b in bodies:
            c.request("POST", "/clean", b)
            c.getresponse().read()
        cpu0 = server_cpu(server.pid)
        start = time.perf_counter()
        ts = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        wall = time.perf_counter() - start
        cpu = server_cpu(server.pid) - cpu0
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000
    print(f"clients {a.clients}, server pipelines {a.threads}, edits {'on' if a.edits else 'off'}, "
          f"{len(docs)} articles of {min(map(len, bodies))}-{max(map(len, bodies))} bytes")
    print(f"{len(lat)} requests in {wall:.2f} s: {len(lat) / wall:.0f} requests/s, "
          f"{text_bytes[0] / wall / 1e6:.2f} MB/s of text; errors {errors[0]}")
    print(f"latency ms: p50 {pct(50):.2f}  p90 {pct(90):.2f}  p99 {pct(99):.2f}  max {lat[-1] * 1000:.2f}")
    print(f"server CPU: {cpu:.2f} s, {cpu / max(1, len(lat)) * 1000:.2f} ms per request; "
          f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"server exit after SIGTERM: {code}")
    return 1 if errors[0] or code != 0 else 0


sys.exit(main())
