"""The `ajio-sim` command line: serve, run and soak (the harness, in src/harness), contract (schemathesis), proxy
and drift (src/harness/recording), and the QA commands of simulator/qa_cli.py."""
from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import sys

from simulator import __version__


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ajio-sim", description="A local simulator of AJIO's seller APIs.")
    parser.add_argument("--version", action="version", version=f"ajio-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the simulator HTTP server",
                           description="Run the simulator: AJIO's /ds, /jit and /vms APIs, the ERP layer "
                                       "/ajio-vms, /documents and the /_sim control plane; postings to registered "
                                       "ERPs are sent in the background.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--db", default="sqlite:///ajio-sim.sqlite3",
                       help="SQLAlchemy URL of the store (default sqlite:///ajio-sim.sqlite3; sqlite:// = memory; "
                            "postgresql://user:pw@host/db needs the [postgres] extra)")
    serve.add_argument("--seed", type=int, default=None,
                       help="seed of ids and Faker data (default 1, or the seed of --snapshot's file)")
    serve.add_argument("--demo", action="store_true", help="create demo sellers and orders and print their logins")
    serve.add_argument("--snapshot", metavar="FILE",
                       help="start from this world snapshot (`ajio-sim snapshot export`, GET /_sim/snapshot): it "
                            "replaces whatever the store held")
    serve.add_argument("--admin-token", default=os.environ.get("AJIO_SIM_ADMIN_TOKEN"),
                       help="token /_sim requires (X-Admin-Token); generated when listening beyond loopback")
    serve.add_argument("--frozen-at", type=int, default=None,
                       help="start with the simulated clock frozen at this epoch (default: real time)")
    serve.add_argument("--po-lag", type=int, default=None, help="seconds from acknowledgement to PO (default 1800)")
    serve.add_argument("--profile", choices=("exact", "realistic"), default=None,
                       help="timing profile: exact (default: the fixed timings) or realistic (PO lag, pickup, transit, "
                            "failed deliveries, RTOs and customer returns drawn from seeded distributions); "
                            "PUT /_sim/timing changes it")
    serve.add_argument("--ack-sla", type=_seconds, default=None, metavar="DURATION",
                       help="AJIO cancels a Dropship order not acknowledged within this (default 24h; 0 = off)")
    serve.add_argument("--dispatch-sla", type=_seconds, default=None, metavar="DURATION",
                       help="AJIO flags a Dropship order not manifested within this of the order (default 48h; 0 = off)")
    serve.add_argument("--dispatch-sla-cancel", action="store_true", default=None,
                       help="AJIO also cancels an order past its dispatch SLA (default: only flagged)")
    serve.add_argument("--max-delivery-attempts", type=int, default=None, metavar="N",
                       help="failed delivery attempts before the parcel returns to origin (default 3)")
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (default 1: one threaded process); N > 1 runs N gunicorn processes "
                            "serving with waitress (one request at a time each, a thread more while one waits on a latency "
                            "fault or an ERP; idle or slow clients hold none), sharing the "
                            "store, which must then be a file SQLite or PostgreSQL")
    serve.add_argument("--page-cache", type=_pages, default=None, metavar="N",
                       help="pendency pages each worker keeps to answer unchanged polls (default 256; 0 turns the "
                            "cache off); a change to the POB's orders by any worker or host is seen at once")
    serve.add_argument("--durability", choices=("normal", "full"), default="normal",
                       help="what a commit survives: normal (default) a crash of the simulator, but a power loss may "
                            "drop the last commits; full also a power loss, at an fsync per commit (SQLite "
                            "synchronous=FULL, PostgreSQL synchronous_commit=on); docs/scale.md")
    serve.add_argument("--throttle", choices=("off", "on", "strict"), default=None,
                       help="per-POB rate limits in simulated time: off (default), on (429 + Retry-After), strict "
                            "(also refuses and journals retries sent before Retry-After); /_sim/throttle changes it")
    serve.add_argument("--throttle-limit", action="append", default=[], type=_limit, metavar="GROUP=RATE/BURST",
                       help="override one group's bucket, e.g. write=1/5 (groups auth, read, write, documents; "
                            "RATE tokens per simulated second); repeatable")
    from harness.cli import add_parser as add_run_parser
    from harness.rules import add_parser as add_rules_parser
    from harness.soak.cli import add_parser as add_soak_parser
    add_run_parser(sub)
    add_rules_parser(sub)
    from harness.scenarios_cli import add_parser as add_scenarios_parser
    add_scenarios_parser(sub)
    add_soak_parser(sub)
    from harness.recording import cli as recording_cli  # proxy, drift (docs/drift.md)
    recording_cli.add_parsers(sub)
    _add_contract(sub)
    from simulator import qa_cli, snapshot_cli
    qa_cli.register(sub)
    snapshot_cli.register(sub)
    return parser


def _seconds(text: str) -> int:
    from contracts.durations import parse_duration
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _pages(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of pages, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (off) or more, not {value}")
    return value


def _limit(text: str) -> tuple[str, dict]:
    from simulator.throttle import DEFAULT_LIMITS
    try:
        group, spec = text.split("=", 1)
        rate, burst = spec.split("/", 1)
        limit = {"rate": float(rate), "burst": int(burst)}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not GROUP=RATE/BURST (e.g. write=1/5)") from None
    if group not in DEFAULT_LIMITS or limit["rate"] <= 0 or limit["burst"] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: GROUP is one of {', '.join(DEFAULT_LIMITS)}, RATE > 0, BURST >= 1")
    return group, limit


def _read_snapshot(path: str, seed: int | None) -> tuple[dict | None, str | None]:
    """The snapshot file for --snapshot, and what is wrong with it before a server starts (None when nothing)."""
    import json
    try:
        with open(path, encoding="utf-8") as f:
            world = json.load(f)
    except OSError as exc:
        return None, f"cannot read --snapshot {path}: {exc.strerror}"
    except ValueError:
        return None, f"--snapshot {path} is not JSON: not a snapshot file"
    if not isinstance(world, dict) or not isinstance(world.get("seed"), int):
        return None, f"--snapshot {path} is not a snapshot file (no seed)"
    if seed is not None and seed != world["seed"]:
        return None, (f"--snapshot {path} was written by a simulator started with --seed {world['seed']}, "
                      f"not --seed {seed}: drop --seed or pass --seed {world['seed']}")
    return world, None


def _add_contract(sub) -> None:
    contract = sub.add_parser(
        "contract", help="schema contract tests (schemathesis) of the AJIO API",
        description="Run schemathesis over the AJIO contract (contracts/openapi.json): positive and negative "
                    "data and stateful sequences through its links; fails on a server error, an answer that breaks "
                    "its schema, an undocumented status code or accepted invalid data. Against a fresh in-process "
                    "simulator unless --base-url names a running one. With --erp-url it tests a seller's ERP "
                    "instead: the simulator's postings (OUTWARD_ORDER_CREATE/CANCEL/COMPLETE, return order; "
                    "contracts/erp.py) valid and invalid, which it must accept (2xx) and refuse (4xx), never 5xx. "
                    "Exit 0 only when nothing failed.")
    contract.add_argument("--base-url", default=None,
                          help="a running simulator to test (its /_sim creates the test POB); default $AJIO_SIM_URL "
                               "if set, else a fresh in-process simulator")
    contract.add_argument("--erp-url", default=None, metavar="URL",
                          help="test the ERP listening at URL (where the simulator would POST its postings) "
                               "instead of the simulator")
    contract.add_argument("--junit", metavar="FILE", default=None, help="write a JUnit XML report")
    contract.add_argument("--max-examples", type=int, default=10,
                          help="generated cases per operation and phase (default 10; raise it for deep runs)")
    contract.add_argument("--max-steps", type=int, default=10, help="steps per stateful sequence (default 10)")
    contract.add_argument("--seed", type=int, default=1, help="seed of the generated data and world (default 1)")
    contract.add_argument("--phases", default="examples,coverage,fuzzing,stateful",
                          help="comma-separated schemathesis phases to run (default: all four: "
                               "examples,coverage,fuzzing,stateful)")
    contract.add_argument("--admin-token", default=os.environ.get("AJIO_SIM_ADMIN_TOKEN"),
                          help="X-Admin-Token for the control plane of --base-url (default $AJIO_SIM_ADMIN_TOKEN)")


def contract(args) -> int:
    from simulator.conformance import ContractUnavailable, run_contract, write_junit

    phases = tuple(p.strip() for p in args.phases.split(",") if p.strip())
    unknown = set(phases) - {"examples", "coverage", "fuzzing", "stateful"}
    if args.max_examples < 1 or args.max_steps < 2 or unknown or not phases:
        print("ajio-sim contract: --max-examples must be >= 1, --max-steps >= 2, --phases a comma-separated "
              "subset of examples,coverage,fuzzing,stateful", file=sys.stderr)
        return 2
    if args.erp_url is not None:
        return _erp_contract(args, phases)
    from simulator.client import env_sim_url
    args.base_url = args.base_url or env_sim_url()
    try:
        result = run_contract(base_url=args.base_url, seed=args.seed, max_examples=args.max_examples,
                              max_steps=args.max_steps, admin_token=args.admin_token, phases=phases,
                              log=lambda line: print(line, flush=True))
    except ContractUnavailable as exc:
        print(f"ajio-sim contract: {exc}", file=sys.stderr)
        return 2
    except (OSError, RuntimeError) as exc:
        print(f"ajio-sim contract: cannot prepare the run: {exc}", file=sys.stderr)
        return 2
    if args.junit:
        write_junit(result, args.junit)
    print(result.summary(), flush=True)
    return 0 if result.ok else 1


def _erp_contract(args, phases: tuple[str, ...]) -> int:
    from contracts.erp import POSTING_SCHEMAS
    from simulator.conformance import ContractUnavailable, write_junit
    from simulator.erp_conformance import run_erp_contract

    if args.base_url is not None or not args.erp_url.lower().startswith(("http://", "https://")):
        print("ajio-sim contract: --erp-url must be an http(s) URL, and not combined with --base-url",
              file=sys.stderr)
        return 2
    # The postings are one request each: there is no stateful phase for an ERP.
    erp_phases = tuple(p for p in phases if p != "stateful") or ("examples", "coverage", "fuzzing")
    try:
        result = run_erp_contract(args.erp_url, POSTING_SCHEMAS, seed=args.seed, max_examples=args.max_examples,
                                  phases=erp_phases, log=lambda line: print(line, flush=True))
    except ContractUnavailable as exc:
        print(f"ajio-sim contract: {exc}", file=sys.stderr)
        return 2
    if args.junit:
        write_junit(result, args.junit)
    print(result.summary(), flush=True)
    return 0 if result.ok else 1


def _banner(host: str, port: int, admin_token: str | None, demo: list[dict] | None) -> str:
    base = f"http://{host}:{port}"
    lines = [f"ajio-sim {__version__} listening on {base}",
             f"  AJIO Dropship API : {base}/ds/...   (log in: POST {base}/ds/authToken)",
             f"  AJIO JIT API      : {base}/jit/...  (log in: POST {base}/jit/authToken)",
             f"  AJIO VMS API      : {base}/vms/...  (log in: POST {base}/vms/authToken)",
             f"  ERP layer         : {base}/ajio-vms/... (headers authUsername, authPassword)",
             f"  control plane     : {base}/_sim/... (journal, clock, orders, world events)",
             f"  contract          : {base}/openapi.json, browsable at {base}/docs",
             f"  QA dashboard      : {base}/_sim/ui/"]
    if admin_token:
        lines.append(f"  admin token       : {admin_token}   (send as X-Admin-Token to /_sim)")
    if demo:
        lines.append("demo logins (username = POB id, password = API password):")
        for pob in demo:
            lines.append(f"  {pob['pob_id']}  {pob['password']}  store {pob['store_code']} ({_demo_note(pob)})")
        first = demo[0]
        lines.append("try:")
        lines.append(f"  curl -s -X POST {base}/ds/authToken -H 'Content-Type: application/json' "
                     f"-d '{{\"username\": \"{first['pob_id']}\", \"password\": \"{first['password']}\"}}'")
        lines.append(f"  curl -s {base}/ds/orders/pendency -H 'apiKey: <accessToken>'")
    return "\n".join(lines)


def _demo_note(pob: dict) -> str:
    """What a demo POB is for: a Dropship one's access, or the other models' login path."""
    if pob["model"] == "jit":
        einv = ", e-invoicing" if pob["einvoicing"] else ""
        return f"JIT{einv}: log in with POST /jit/authToken"
    if pob["model"] == "vms":
        return (f"VMS, einvoice_model {pob['einvoice_model']}, return_model {pob['return_model']}: "
                "log in with POST /vms/authToken")
    access = "shipping API on" if pob["shipping_api_access"] else "NO shipping API access"
    einv = ", e-invoicing" if pob["einvoicing"] else ""
    return f"{access}{einv}"


def serve(args) -> int:
    from werkzeug.serving import make_server

    from simulator.app import create_app
    from simulator.demo import ensure_demo
    from simulator.workers import check_shared_store, serve_gunicorn

    if args.workers < 1:
        print("ajio-sim serve: --workers must be at least 1", file=sys.stderr)
        return 2
    problem = check_shared_store(args.db, args.workers)
    if problem:
        print(f"ajio-sim serve: {problem}", file=sys.stderr)
        return 2
    world = None
    if args.snapshot:
        world, problem = _read_snapshot(args.snapshot, args.seed)
        if problem:
            print(f"ajio-sim serve: {problem}", file=sys.stderr)
            return 2
        args.seed = world["seed"]
    if args.seed is None:
        args.seed = 1
    admin_token = args.admin_token
    if not admin_token and not _is_loopback(args.host):
        admin_token = secrets.token_urlsafe(24)
    config = {"db_url": args.db, "seed": args.seed, "admin_token": admin_token, "frozen_at": args.frozen_at,
              "durability": args.durability}
    if args.po_lag is not None:
        config["po_lag"] = args.po_lag
    timing_flags = {key: getattr(args, key) for key in ("profile", "ack_sla", "dispatch_sla", "dispatch_sla_cancel",
                                                         "max_delivery_attempts") if getattr(args, key) is not None}
    if timing_flags.get("max_delivery_attempts", 1) < 1:
        print("ajio-sim serve: --max-delivery-attempts must be at least 1", file=sys.stderr)
        return 2
    config.update(timing_flags)
    if args.page_cache is not None:
        config["page_cache"] = args.page_cache
    if args.throttle is not None:
        config["throttle"] = args.throttle
    if args.throttle_limit:
        config["throttle_limits"] = dict(args.throttle_limit)
    app = create_app(config)
    if args.throttle is not None or args.throttle_limit:
        # The options win over a /_sim/throttle knob a previous run left in the same store.
        from simulator import throttle
        sim = app.extensions["ajio_sim"]
        with sim.store.write() as conn:
            throttle.forget_knob(sim.store, conn)
    if world is not None:
        from simulator.errors import SimulatorError
        from simulator.snapshot import load_file_world
        try:
            load_file_world(app.extensions["ajio_sim"], world)
        except SimulatorError as exc:
            print(f"ajio-sim serve: {args.snapshot} refused: {exc.message}", file=sys.stderr)
            return 2
    if timing_flags:
        # The options win over a PUT /_sim/timing a previous run left in the same store.
        from simulator.domain import timing
        sim = app.extensions["ajio_sim"]
        with sim.store.write() as conn:
            sim.store.put_meta(conn, timing.META_KEY, timing.defaults(sim.config))
    demo = ensure_demo(app.extensions["ajio_sim"]) if args.demo else None
    if args.workers > 1:
        return serve_gunicorn(app, host=args.host, port=args.port, workers=args.workers,
                              on_ready=lambda port: print(_banner(args.host, port, admin_token, demo) +
                                                          f"\n  workers           : {args.workers} (gunicorn + waitress)",
                                                          flush=True))
    server = make_server(args.host, args.port, app, threaded=True)
    from simulator.erp_delivery import DeliveryWorker
    worker = DeliveryWorker(app.extensions["ajio_sim"]).start()  # ERP postings, outside request handling
    print(_banner(args.host, server.server_port, admin_token, demo), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """The `ajio-sim` command. Output piped into a reader that stops early (`ajio-sim rules | head`) ends the
    command quietly with 141, as a process killed by SIGPIPE does, not with a traceback."""
    try:
        return _main(argv)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # Python flushes stdout at exit: into nothing, not the pipe
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "run":
        from harness.cli import run
        return run(args)
    if args.command == "rules":
        from harness.rules import run as rules
        return rules(args)
    if args.command == "soak":
        from harness.soak.cli import run as soak
        return soak(args)
    if args.command == "contract":
        return contract(args)
    if args.command == "scenarios":
        from harness.scenarios_cli import main as scenarios_main
        return scenarios_main(args)
    if args.command == "snapshot":
        from simulator import snapshot_cli
        return snapshot_cli.main(args)
    from harness.recording import cli as recording_cli
    if args.command in recording_cli.COMMANDS:
        return recording_cli.main(args)
    from simulator import qa_cli
    if args.command in qa_cli.COMMANDS:
        return qa_cli.main(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
