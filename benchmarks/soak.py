"""`ajio-sim soak` speed: how long a soak takes and how the time splits between simulator and connector.

    .venv/bin/python benchmarks/soak.py --days 30 --orders-per-day 500             # the issue's target run
    .venv/bin/python benchmarks/soak.py --days 2 --orders-per-day 500 --cprofile   # where the CPU goes
    .venv/bin/python benchmarks/soak.py --days 30 --orders-per-day 500 --floor      # ... and the HTTP floor

The connector is the reference connector, in process (--connector python, the default: no process per
tick) or as a process per tick (--connector cmd). Prints the machine's load before and after, the wall
time, the split the soak reports (docs/soak.md "Where the time goes") and, with --cprofile, the top
functions by own time of the whole process (the simulator's threads included: the profiler is set on
every thread).

--floor replays, after the soak and in the same process, the connector's calls in their order (method,
path, query, request body, status) through a `requests.Session` against a bare Flask app behind the same
in-process keep-alive server, which answers each with a real answer of the same call shape and about the
same size recorded during the soak; the client decodes JSON answers as the reference connector does. No
simulator, no connector logic, no harness: what those calls cost any Python connector talking to any
Flask app over HTTP on this machine, the soak's floor. The bare app does not encode its answers (it
sends recorded bytes), so the floor is, if anything, low.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=int, default=2)
    p.add_argument("--orders-per-day", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--profile", default="exact")
    p.add_argument("--connector", choices=("python", "cmd"), default="python")
    p.add_argument("--set", dest="assignments", action="append", default=[])
    p.add_argument("--cprofile", action="store_true")
    p.add_argument("--json", help="write the soak's JSON report here")
    p.add_argument("--floor", action="store_true", help="then replay the same calls against bare Flask")
    args = p.parse_args()

    from harness.connectors import CommandAdapter, PythonAdapter
    from harness.soak.config import SoakConfig
    from harness.soak.engine import SoakRun
    from harness.soak.report import console, write_reports

    cfg = SoakConfig(days=args.days, orders_per_day=args.orders_per_day, seed=args.seed,
                     profile=args.profile).apply(args.assignments)
    adapter = (PythonAdapter("tests/fixtures/soak_connectors.py:reference") if args.connector == "python" else
               CommandAdapter(f"{sys.executable} {ROOT}/examples/reference_connector/connector.py"))
    load_before = os.getloadavg()
    profiler = cProfile.Profile() if args.cprofile else None
    server_profiler = cProfile.Profile() if args.cprofile else None
    started = time.monotonic()
    cpu0 = time.process_time()
    run = SoakRun(cfg, adapter, "benchmarks/soak.py", progress=lambda t: print(" ", t, flush=True))
    recorder = Recorder() if args.floor else None
    if recorder:
        wrap_app(run, recorder)
    if server_profiler:
        # The simulator answers on its own threads, one request at a time: a second profiler around each
        # request (inside the soak's tap) sees the simulator's share; the first one the soak and connector.
        def profiled(inner):
            def app(environ, start_response):
                server_profiler.enable()
                try:
                    return list(inner(environ, start_response))
                finally:
                    server_profiler.disable()
            return app
        wrap_tap(run, profiled)
        profiler.enable()
    try:
        result = run.run()
        wall, cpu = time.monotonic() - started, time.process_time() - cpu0
        if profiler:
            profiler.disable()
        doc = write_reports(result, html=None, json_path=args.json, junit=None)
    finally:
        run.close()
    print(console(doc))
    print(json.dumps({"wall_s": round(wall, 1), "process_cpu_s": round(cpu, 1),
                      "load_before": [round(x, 2) for x in load_before],
                      "load_after": [round(x, 2) for x in os.getloadavg()], "timing": doc["timing"],
                      "ticks": doc["ticks"], "orders": doc["world"]["orders"],
                      "calls": sum(h["calls"] for h in doc["hours"])}, indent=1))
    if recorder:
        floor = replay(recorder)
        print(json.dumps({"floor": floor, "soak_wall_s": round(wall, 1),
                          "soak_over_floor": round(wall / floor["wall_s"], 2)}, indent=1))
    if profiler:
        print("== the soak's thread (harness, and the connector when in process)")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        print("== the simulator's request threads")
        pstats.Stats(server_profiler).sort_stats("tottime").print_stats(45)
    return 0 if doc["ok"] else 1


SIZE_BUCKET = 2048  # answers kept per call shape: one per 2 KB of size


class Recorder:
    """The connector's calls in their order, and real answers to stand in for each (one per shape and size)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []    # (method, path, query, body, content type, status, shape, size)
        self.answers: dict[str, dict[int, tuple[bytes, str]]] = {}
        self.record_s = 0.0             # the recorder's own wall time, taken out of the soak's figure

    def add(self, environ: dict, body: bytes | None, status: str, headers: list, answer: bytes) -> None:
        from harness.soak.engine import _shape
        started = time.perf_counter()
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_sim"):
            code = int(status.split(" ", 1)[0])
            shape = f"{environ['REQUEST_METHOD']} {_shape(path)} {code}"
            ctype = next((v for k, v in headers if k.lower() == "content-type"), "application/octet-stream")
            buckets = self.answers.setdefault(shape, {})
            buckets.setdefault(len(answer) // SIZE_BUCKET, (answer, ctype))
            self.calls.append((environ["REQUEST_METHOD"], path, environ.get("QUERY_STRING", ""), body,
                               environ.get("CONTENT_TYPE"), code, shape, len(answer)))
        self.record_s += time.perf_counter() - started

    def answer_for(self, shape: str, size: int) -> tuple[bytes, str]:
        buckets = self.answers[shape]
        want = size // SIZE_BUCKET
        return buckets.get(want) or buckets[min(buckets, key=lambda b: abs(b - want))]


def wrap_tap(run, make_app) -> None:
    """Once the soak's world is built, wrap the WSGI app its tap calls: make_app(inner) -> app."""
    setup = run._setup

    def wrapped_setup():
        setup()
        run.world.tap.app = make_app(run.world.tap.app)
    run._setup = wrapped_setup


def wrap_app(run, recorder: Recorder) -> None:
    """Record at the tap (outside the simulator): every request's body and the answer it got."""
    import io

    def recording(inner):
        def app(environ, start_response):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else None
            if body is not None:
                environ["wsgi.input"] = io.BytesIO(body)
            seen = {}

            def start(status, headers, exc_info=None):
                seen["status"], seen["headers"] = status, headers
                return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
            data = b"".join(inner(environ, start))
            recorder.add(environ, body, seen["status"], seen["headers"], data)
            return [data]
        return app
    wrap_tap(run, recording)


def replay(recorder: Recorder) -> dict:
    """The recorded calls, in order, against a bare Flask app behind the in-process keep-alive server."""
    import threading

    import requests
    from flask import Flask, Response, request
    from werkzeug.serving import make_server

    from simulator.embedded import _KeepAlive

    bare = Flask("bare")
    next_answer: dict = {}

    @bare.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "DELETE"])
    @bare.route("/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
    def anything(path):
        if request.is_json:
            request.get_json()   # any app parses what it is sent
        data, ctype, status = next_answer["it"]
        return Response(data, status=status, content_type=ctype)

    server = make_server("127.0.0.1", 0, bare, threaded=True, request_handler=_KeepAlive)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    session = requests.Session()
    wall = cpu = 0.0
    by_shape: dict[str, list] = {}
    try:
        for method, path, query, body, ctype, status, shape, size in recorder.calls:
            data, answer_type = recorder.answer_for(shape, size)
            next_answer["it"] = (data, answer_type, status)
            url = f"{base}{path}" + (f"?{query}" if query else "")
            headers = {"apiKey": "x" * 40, **({"Content-Type": ctype} if ctype else {})}
            w0, c0 = time.perf_counter(), time.process_time()
            r = session.request(method, url, data=body, headers=headers)
            if "json" in r.headers.get("Content-Type", ""):
                r.json()
            else:
                r.content
            took = time.perf_counter() - w0
            wall += took
            cpu += time.process_time() - c0
            row = by_shape.setdefault(shape, [0, 0.0])
            row[0] += 1
            row[1] += took
    finally:
        server.shutdown()
        server.server_close()
    calls = len(recorder.calls)
    return {"calls": calls, "wall_s": round(wall, 1), "process_cpu_s": round(cpu, 1),
            "per_call_ms": round(wall / max(calls, 1) * 1000, 3), "recorder_s": round(recorder.record_s, 1),
            "answer_samples": sum(len(b) for b in recorder.answers.values()),
            "by_call": [{"call": k, "count": n, "wall_s": round(w, 2), "ms": round(w / n * 1000, 3)}
                        for k, (n, w) in sorted(by_shape.items(), key=lambda kv: -kv[1][1])[:12]]}


if __name__ == "__main__":
    sys.exit(main())
