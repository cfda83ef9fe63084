#!/usr/bin/python3
"""`copydesk serve` over loopback: concurrent clients get the command's output,
batches keep their order, a large body gets 413, bad JSON 400, and SIGTERM
stops the server cleanly (exit 0). Bounded: 8 clients x 12 requests, every
wait has a timeout.

usage: server_test.py COPYDESK_BINARY
"""
import json, os, signal, socket, subprocess, sys, threading, time, urllib.error, urllib.request

BIN = sys.argv[1]
failures = []


def check(name, ok):
    if not ok:
        failures.append(name)
        print("FAIL", name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, body=None, timeout=60):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def command_output(text):
    return subprocess.run([BIN, "clean", "-q", "--threads", "1", "-"], input=text.encode(), capture_output=True,
                          check=True, timeout=60).stdout.decode()


def main():
    port = free_port()
    server = subprocess.Popen([BIN, "serve", "--port", str(port), "--threads", "2", "--max-request-bytes", "200000"],
                              stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                status, health = request(port, "/health", timeout=5)
                break
            except (ConnectionError, urllib.error.URLError):
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not come up")
                time.sleep(0.2)
        check("health", status == 200 and health["status"] == "ok" and health["pipelines"] == 2)
        status, stages = request(port, "/stages")
        check("stages", status == 200 and [s["name"] for s in stages["stages"]][:2] == ["unicode", "boilerplate"])

        docs = [f"Report {i}: the Paypal office said on wednesday it paid $ {i} ,000 in fees.\nShares rose." for i in
                range(12)]
        expected = [command_output(d) for d in docs]
        answers = {}

        def client(c):
            for i, d in enumerate(docs):
                status, body = request(port, "/clean", {"text": d})
                answers[(c, i)] = (status, body.get("text"), len(body.get("edits", [])))

        clients = [threading.Thread(target=client, args=(c,)) for c in range(8)]
        start = time.time()
        for t in clients:
            t.start()
        for t in clients:
            t.join(timeout=120)
        print(f"96 concurrent requests in {time.time() - start:.2f} s")
        check("all concurrent requests answered", len(answers) == 96)
        check("concurrent answers equal the command's output",
              all(a == (200, expected[i], a[2]) and a[2] > 0 for (c, i), a in answers.items()))

        status, body = request(port, "/clean", {"texts": docs[:5] + ["bad\u0000input"], "edits": False})
        check("batch in order", status == 200 and [r.get("text") for r in body["results"][:5]] == expected[:5])
        check("batch without edits", "edits" not in body["results"][0])
        check("a failing document in a batch", "binary" in body["results"][5].get("error", ""))

        status, body = request(port, "/clean", b'{"text": "' + b"x" * 300000 + b'"}')
        check("large body is 413", status == 413 and "200000 bytes" in body.get("error", ""))
        status, body = request(port, "/clean", b"{not json")
        check("bad JSON is 400", status == 400 and "JSON object" in body.get("error", ""))
        status, body = request(port, "/clean", {"text": 5})
        check("non-string text is 400", status == 400)
        status, body = request(port, "/clean", {"text": "a\u0000b"})
        check("binary text is 422", status == 422 and "NUL byte" in body.get("error", ""))
        check("still healthy after errors", request(port, "/health")[0] == 200)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "timeout"
        err = server.stderr.read().decode()
    check("SIGTERM stops the server with exit 0", code == 0 and "server stopped" in err)
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failures")
    sys.exit(1 if failures else 0)


main()
