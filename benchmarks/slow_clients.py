"""Issue 22's serving figure: answers while idle and half-sent connections are held open.

    .venv/bin/python benchmarks/slow_clients.py [--workers 2] [--idle 8] [--half 2] [--calls 50]

Against the real `ajio-sim serve --workers N` on a fresh file SQLite: first with no other client, then
with --idle connections that send nothing (a browser's preconnects) and --half that sent headers and
part of a body, then stalled. Each phase times --calls GET /_sim/health and --calls POST /ds/authToken
(an AJIO call that writes a token and a journal row), one at a time on fresh connections. Bounded,
127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fixtures.simclient import HttpTransport, ServerProcess, Sim  # noqa: E402


def timed(port: int, request: bytes) -> float:
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or not data.split(b" ", 2)[1].isdigit():
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        while True:  # Connection: close: read to the end
            chunk = sock.recv(65536)
            if not chunk:
                break
    assert data.split(b" ", 2)[1] == b"200", data[:200]
    return (time.perf_counter() - start) * 1000


def phase(port: int, pob: dict, calls: int) -> dict:
    health = b"GET /_sim/health HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n"
    body = json.dumps({"username": pob["pob_id"], "password": pob["password"]}).encode()
    login = (b"POST /ds/authToken HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\nConnection: close\r\n"
             b"Content-Length: %d\r\n\r\n" % len(body)) + body
    out = {}
    for name, request in (("health", health), ("authToken", login)):
        times = sorted(timed(port, request) for _ in range(calls))
        out[name] = {"p50": statistics.median(times), "max": times[-1]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--idle", type=int, default=8)
    parser.add_argument("--half", type=int, default=2)
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    server = ServerProcess(Path(tempfile.mkdtemp(prefix="ajio-slow-")) / "s.sqlite3", "--workers", str(args.workers))
    try:
        port = int(server.base_url.rsplit(":", 1)[1])
        sim = Sim(HttpTransport(server.base_url))
        pob = sim.seller()
        print(f"load {os.getloadavg()}")
        for label, idle_n, half_n in (("no other client", 0, 0), (f"{args.idle} idle + {args.half} half-sent",
                                                                   args.idle, args.half)):
            held = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle_n)]
            for _ in range(half_n):
                sock = socket.create_connection(("127.0.0.1", port))
                sock.sendall(b"POST /ds/authToken HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000\r\n\r\n{\"username\": ")
                held.append(sock)
            time.sleep(0.3)
            result = phase(port, pob, args.calls)
            print(f"--workers {args.workers}, {label}: " + "; ".join(
                f"{name} p50 {r['p50']:.1f} ms, max {r['max']:.1f} ms" for name, r in result.items()), flush=True)
            for sock in held:
                sock.close()
        print(f"load {os.getloadavg()}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
