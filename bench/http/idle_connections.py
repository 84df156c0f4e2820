#!/usr/bin/env python3
"""Open N keep-alive connections, make one request on each, then hold them idle.

  python3 bench/http/idle_connections.py [--port 8080] [--count 2000] [--hold 30]

Run wrk against the same server meanwhile to see throughput with many idle clients; at the end
it reports how many connections the server had closed (the idle timeout must exceed --hold).
"""
import argparse
import socket
import time

parser = argparse.ArgumentParser()
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--count", type=int, default=2000)
parser.add_argument("--hold", type=float, default=30.0)
args = parser.parse_args()

conns = []
request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"
started = time.monotonic()
for _ in range(args.count):
    s = socket.create_connection((args.host, args.port), timeout=5)
    s.sendall(request)
    data = b""
    # Read the head, then Content-Length bytes of body (works for the bench server's "ok" and
    # huiyin's {"status":"ok"}).
    for _ in range(1000):
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            if len(body) >= length:
                break
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    if not data.startswith(b"HTTP/1.1 200"):
        raise SystemExit(f"unexpected reply: {data[:80]!r}")
    conns.append(s)
print(f"{len(conns)} idle keep-alive connections open after {time.monotonic() - started:.2f}s;"
      f" holding {args.hold:.0f}s", flush=True)
time.sleep(args.hold)
closed = 0
for s in conns:
    s.setblocking(False)
    try:
        if s.recv(1) == b"":
            closed += 1
    except BlockingIOError:
        pass
    except OSError:
        closed += 1
    s.close()
print(f"closed by the server while idle: {closed}")
