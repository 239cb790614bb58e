"""`ajio-sim soak`: a simulated month against a connector; exit 0 only when no invariant is violated."""
from __future__ import annotations

import argparse
import shlex
import sys

from contracts.durations import parse_duration

SOAK_HELP = "run a connector against a simulated month of a living marketplace, checked by invariants"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _duration(text: str) -> int:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("soak", help=SOAK_HELP, description=(
        "Build a world (an in-process simulator, one seller), generate seeded traffic over the simulated days "
        "(orders along a daily curve, customer cancellations, failed deliveries and RTOs, customer returns, "
        "stock arriving and lost, faults and throttling; with --model jit: purchase orders, stock short, AJIO's "
        "view drifting, SKUs approved late, returns to the vendor; with --model vms: B2C orders held 4 hours before the "
        "acknowledgement, items the warehouse cannot pick, RMS or ERP e-invoices, credit notes or RSIs), advance the "
        "clock tick by tick and run the connector "
        "at every tick (or as a daemon), checking invariants along the way and at the end. Exit 0 only when no "
        "invariant is violated; a failing run prints the one command that replays it up to its first violation. "
        "docs/soak.md explains the traffic, the invariants and every --set knob."))
    p.add_argument("--model", choices=("ds", "jit", "vms"), default="ds",
                   help="selling model (default ds; jit: purchase orders; vms: the VMS integration layer, model 2 "
                        "with credit notes unless --set vms_einvoice_model=erp / vms_return_model=rsi)")
    p.add_argument("--days", type=_positive_int, default=30, help="simulated days of traffic (default 30)")
    p.add_argument("--orders-per-day", type=_positive_int, default=500,
                   help="orders (JIT: purchase orders) placed a day (default 500)")
    p.add_argument("--seed", type=int, default=7, help="seed of the world and the traffic (default 7)")
    p.add_argument("--profile", choices=("exact", "realistic"), default="exact",
                   help="the world's timings: exact (the seeds' fixed delays) or realistic (seeded distributions)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--connector-cmd", metavar="CMD",
                     help="shell command of the connector, run at every tick (or once, with --daemon) with "
                          "AJIO_BASE_URL, AJIO_MODEL, AJIO_USERNAME, AJIO_PASSWORD, AJIO_STATE_DIR, AJIO_WAREHOUSE")
    who.add_argument("--connector-http", metavar="URL", help="a connector service: each tick is a POST to URL")
    who.add_argument("--connector-python", metavar="MODULE:FUNC",
                     help="a Python callable (module:function or file.py:function), called at every tick")
    erp = p.add_mutually_exclusive_group()
    erp.add_argument("--erp-cmd", metavar="CMD",
                     help="VMS model 1: the seller's ERP under test, a command started once with the ERP environment "
                          "of `ajio-sim run --erp-cmd` (AJIO_ERP_PORT, AJIO_ERP_BASE_URL, ...); it takes the "
                          "stand-in's place and its duties are judged too (implies --set vms_einvoice_model=erp)")
    erp.add_argument("--erp-url", metavar="URL",
                     help="VMS model 1: the seller's ERP under test as a service (SETUP call, then the postings), as "
                          "`ajio-sim run --erp-url`")
    p.add_argument("--daemon", action="store_true",
                   help="start the command once as a daemon (AJIO_DAEMON=1) and wait for one whole sync per tick")
    p.add_argument("--tick", type=_duration, default=None, metavar="DURATION",
                   help="simulated time between two connector runs while orders come in (default 1h)")
    p.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                   help="change one knob of the traffic, the SLAs or the world (repeatable; docs/soak.md)")
    p.add_argument("--html", metavar="FILE", help="write the HTML report (self-contained)")
    p.add_argument("--json", metavar="FILE", help="write the JSON report")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one testcase per invariant)")
    p.add_argument("--until-tick", type=int, default=None, metavar="N",
                   help="stop after tick N (what the replay command of a failing run uses)")
    p.add_argument("--timeout", type=float, default=300.0, help="wall seconds one connector run may take (default 300)")
    p.add_argument("--keep-workdir", action="store_true", help="keep the connector's state directory and print it")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    return p


def replay_command(args) -> str:
    """The command that repeats this soak (same traffic, same connector) up to a given tick."""
    parts = ["ajio-sim", "soak", "--model", args.model, "--days", str(args.days), "--orders-per-day",
             str(args.orders_per_day), "--seed", str(args.seed), "--profile", args.profile]
    for flag, value in (("--connector-cmd", args.connector_cmd), ("--connector-http", args.connector_http),
                        ("--connector-python", args.connector_python)):
        if value:
            parts += [flag, value]
    for flag, value in (("--erp-cmd", args.erp_cmd), ("--erp-url", args.erp_url)):
        if value:
            parts += [flag, value]
    if args.daemon:
        parts.append("--daemon")
    if args.tick is not None:
        parts += ["--tick", f"{args.tick}s"]
    for assignment in args.assignments:
        parts += ["--set", assignment]
    return " ".join(shlex.quote(p) for p in parts)


def run(args) -> int:
    from harness.connectors import adapter_from_options
    from harness.soak.config import SoakConfig
    from harness.soak.engine import SoakRun
    from harness.soak.report import console, write_reports
    from harness.world import StepFailed

    try:
        cfg = SoakConfig(model=args.model, days=args.days, orders_per_day=args.orders_per_day, seed=args.seed,
                         profile=args.profile, daemon=args.daemon, until_tick=args.until_tick,
                         connector_timeout=args.timeout)
        if args.tick is not None:
            cfg.tick = args.tick
        if args.erp_cmd or args.erp_url:
            if args.model != "vms":
                raise ValueError("--erp-cmd/--erp-url test a VMS seller's ERP: use them with --model vms")
            cfg.erp_under_test, cfg.vms_einvoice_model = True, "erp"   # model 1, unless --set says otherwise
        cfg.apply(args.assignments)
    except ValueError as exc:
        print(f"ajio-sim soak: {exc}", file=sys.stderr)
        return 2
    from harness.erp import ErpCommand, ErpUrl
    erp = ErpCommand(args.erp_cmd) if args.erp_cmd else ErpUrl(args.erp_url) if args.erp_url else None
    try:
        adapter = adapter_from_options(args.connector_cmd, args.connector_http, args.connector_python, args.timeout)
    except (ValueError, ImportError) as exc:
        print(f"ajio-sim soak: {exc}", file=sys.stderr)
        return 2
    if args.daemon and not getattr(adapter, "supports_daemon", False):
        print("ajio-sim soak: --daemon needs --connector-cmd (HTTP and Python connectors run once per tick)",
              file=sys.stderr)
        return 2
    progress = None if args.quiet else (lambda text: print(f"  {text}", file=sys.stderr, flush=True))
    soak = SoakRun(cfg, adapter, replay_command(args), progress=progress, erp=erp)
    soak.keep_workdir = args.keep_workdir
    try:
        try:
            result = soak.run()
        except StepFailed as exc:   # the world could not be built as asked (e.g. a profile this simulator lacks)
            print(f"ajio-sim soak: {exc}", file=sys.stderr)
            return 2
        doc = write_reports(result, html=args.html, json_path=args.json, junit=args.junit)
        print(console(doc))
        if args.keep_workdir:
            print(f"connector state kept in {soak.workdir}")
    finally:
        soak.close()
    return 0 if result.ok else 1
