#!/usr/bin/env python3
"""A kept-open pipe: copydesk answers each JSON Lines record as soon as it is
cleaned, while its standard input stays open, with any thread count.

Usage: pipe_test.py COPYDESK_BINARY
"""
import json
import select
import subprocess
import sys

binary = sys.argv[1]
records = [
    {"id": 1, "text": "The council met on monday.It voted to build a bridge"},
    {"id": 2, "text": "Prices rose ,the report said."},
    {"id": 3, "text": "Nothing here needs a change."},
]
passed = failed = 0


def check(name, ok):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL", name)


for threads in (None, "1", "2", "4"):
    args = [binary, "clean", "--jsonl", "-q", "-"]
    if threads:
        args[2:2] = ["--threads", threads]
    label = "default threads" if threads is None else threads + " threads"
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    answers = []
    for record in records:
        proc.stdin.write((json.dumps(record) + "\n").encode())
        proc.stdin.flush()
        # The answer must come while standard input is still open.
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        line = proc.stdout.readline() if ready else b""
        check(f"{label}: record {record['id']} answered before the next is written", bool(line))
        if not line:
            break
        answers.append(json.loads(line))
    proc.stdin.close()
    rest = proc.stdout.read()
    code = proc.wait(timeout=60)
    check(f"{label}: exit 0", code == 0)
    check(f"{label}: nothing more after the input closed", rest == b"")
    check(f"{label}: answers in order", [a.get("id") for a in answers] == [r["id"] for r in records])
    if len(answers) == len(records):
        check(f"{label}: the first record was cleaned", answers[0]["text"] != records[0]["text"])
        check(f"{label}: clean text kept", answers[2]["text"] == records[2]["text"])

print(f"pipe: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
