#!/usr/bin/env python3
"""Runs one command and records its output exactly, line by line, with the stream of each line.

    record.py OUT.jsonl [--sigquit-after SECONDS] [--timeout SECONDS] -- COMMAND...

Each output line becomes one JSON object {"stream": "stdout"|"stderr", "text": "..."} in the
order the lines arrived (the text without its newline, decoded as UTF-8 with surrogate escapes
so that no byte is lost). `--sigquit-after` sends SIGQUIT to the command (its own process: the
command must `exec` the program) that many seconds after the start, as `kill -QUIT` does; Go
programs then print their goroutine dump. The exit status is recorded as a last object
{"exit": N} (or {"signal": N}); it is not part of any fixture text.
"""
import json, os, selectors, signal, subprocess, sys, time

def main():
    args = sys.argv[1:]
    out = args.pop(0)
    quit_after = None
    timeout = 60.0
    while args and args[0] != "--":
        flag = args.pop(0)
        if flag == "--sigquit-after":
            quit_after = float(args.pop(0))
        elif flag == "--timeout":
            timeout = float(args.pop(0))
        else:
            sys.exit(f"record.py: unknown flag {flag}")
    args.pop(0)
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "stdout")
    sel.register(proc.stderr, selectors.EVENT_READ, "stderr")
    pending = {"stdout": b"", "stderr": b""}
    lines = []
    start = time.monotonic()
    quit_sent = False
    open_streams = 2
    while open_streams:
        now = time.monotonic() - start
        if quit_after is not None and not quit_sent and now >= quit_after:
            proc.send_signal(signal.SIGQUIT)
            quit_sent = True
        if now > timeout:
            proc.kill()
        wait = 0.1
        for key, _ in sel.select(wait):
            chunk = os.read(key.fileobj.fileno(), 65536)
            name = key.data
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                if pending[name]:
                    lines.append((name, pending[name]))
                    pending[name] = b""
                continue
            pending[name] += chunk
            while b"\n" in pending[name]:
                line, pending[name] = pending[name].split(b"\n", 1)
                lines.append((name, line))
    status = proc.wait()
    with open(out, "w") as f:
        for name, line in lines:
            f.write(json.dumps({"stream": name, "text": line.decode("utf-8", "surrogateescape")}) + "\n")
        f.write(json.dumps({"exit": status} if status >= 0 else {"signal": -status}) + "\n")
    print(f"{out}: {len(lines)} lines, status {status}", file=sys.stderr)

main()
