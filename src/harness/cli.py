"""`ajio-sim run`: load scenarios, pick the connector adapter, run, report; exit 0 only if all pass."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

RUN_HELP = "run scenario scripts against a connector"
CATALOGUES = ("ds", "jit", "vms", "all")  # pinned (API.md); harness/catalogue.py holds them


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text}")
        return value
    return parse


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("run", help=RUN_HELP, description=(
        "Run scenario scripts (YAML) against a connector: each scenario builds a fresh world, drives it "
        "through /_sim, runs the connector and checks what it did. Exit 0 only when every scenario passes."))
    p.add_argument("target", metavar="SCENARIO_OR_DIR", nargs="?",
                   help="a scenario file, or a directory searched for *.yaml (or --catalogue instead)")
    p.add_argument("--catalogue", choices=CATALOGUES, metavar="|".join(CATALOGUES),
                   help="run the scenario catalogue bundled with ajio-sim (no checkout needed): ds, jit, vms or all; "
                        "`ajio-sim scenarios list` shows it")
    who = p.add_mutually_exclusive_group()  # an ERP-only VMS run needs none (--erp-cmd/--erp-url)
    who.add_argument("--connector-cmd", metavar="CMD",
                     help="shell command of the connector, started per run with AJIO_BASE_URL, AJIO_MODEL, "
                          "AJIO_USERNAME, AJIO_PASSWORD, AJIO_STATE_DIR, AJIO_WAREHOUSE (and AJIO_DAEMON=1 "
                          "when a scenario runs it as a daemon)")
    who.add_argument("--connector-http", metavar="URL",
                     help="a connector service: each run is a POST of that environment (JSON) to URL")
    who.add_argument("--connector-python", metavar="MODULE:FUNC",
                     help="a Python callable (module:function or file.py:function) called with that environment")
    erp = p.add_mutually_exclusive_group()
    erp.add_argument("--erp-cmd", metavar="CMD",
                     help="VMS: the seller's ERP under test, a command started per seller and scenario with "
                          "AJIO_ERP_PORT (listen there: postings come to http://127.0.0.1:PORT/postings), "
                          "AJIO_ERP_BASE_URL (/ajio-vms), AJIO_ERP_USERNAME, AJIO_ERP_PASSWORD, AJIO_ERP_EINVOICE_MODEL, "
                          "AJIO_ERP_RETURN_MODEL, AJIO_ERP_STATE_DIR, AJIO_CLOCK_URL")
    erp.add_argument("--erp-url", metavar="URL",
                     help="VMS: a running ERP service under test; postings go to URL, and each seller's ERP "
                          "environment is POSTed there first with the header X-Ajio-Sim-Event: SETUP")
    p.add_argument("--junit", metavar="FILE", help="write a JUnit XML report (one testcase per scenario)")
    p.add_argument("--json", metavar="FILE", help="write a JSON report (with replay data for failures)")
    p.add_argument("--html", metavar="FILE",
                   help="write one self-contained HTML report: a row per scenario; for a failure the expected and "
                        "actual, the refused requests, the order timelines, the connector's output and the replay "
                        "command")
    p.add_argument("--journal-dir", metavar="DIR",
                   help="write each scenario's whole journal (every request with its answer as sent, ERP postings "
                        "too) to DIR/<scenario path>.jsonl, a JSON object a line: a CI artifact to read any run's "
                        "traffic (with --base-url: its POBs' entries, under the server's own body limit)")
    p.add_argument("--base-url", metavar="URL", default=argparse.SUPPRESS,
                   help="use a running simulator instead of an in-process server per scenario "
                        "(scenarios then run one at a time: they share its clock); default $AJIO_SIM_URL if set")
    p.add_argument("--admin-token", default=argparse.SUPPRESS,
                   help="X-Admin-Token for the control plane of --base-url (default $AJIO_SIM_ADMIN_TOKEN)")
    p.add_argument("--replay", metavar="RECORDING",
                   help="run ONE scenario against a recording's answers (a HAR of `ajio-sim proxy`) instead of a "
                        "simulator: no /_sim world steps; reports mark it REPLAY (docs/drift.md)")
    p.add_argument("-k", dest="match", metavar="TEXT",
                   help="only scenarios whose name or file contains TEXT (comma-separated: any of them)")
    p.add_argument("--tag", action="append", default=[], help="only scenarios with this tag (repeatable)")
    p.add_argument("--jobs", "-j", type=_positive(int), default=1,
                   help="scenarios run in parallel, each with its own server (default 1; ignored with --base-url)")
    p.add_argument("--timeout", type=_positive(float), default=300.0,
                   help="seconds one connector run may take (default 300)")
    p.add_argument("--keep-workdir", action="store_true", help="keep each scenario's connector state directory")
    p.add_argument("-v", "--verbose", action="store_true", help="print every step")
    return p


def run(args) -> int:
    from harness.connectors import adapter_from_options
    from harness.erp import ErpCommand, ErpUrl
    from harness.loader import discover, load_scenario
    from harness.model import ScenarioError
    from harness.reporters.console import ConsoleReporter
    from harness.reporters.jsonfile import JsonReporter
    from harness.reporters.junit import JUnitReporter
    from harness.runner import Options
    from harness.runner import run as run_scenarios
    from simulator.client import env_admin_token, env_sim_url

    args.base_url = getattr(args, "base_url", None) or (None if args.replay else env_sim_url())
    args.admin_token = getattr(args, "admin_token", None) or env_admin_token()
    if (args.target is None) == (args.catalogue is None):
        print("ajio-sim run: name either SCENARIO_OR_DIR or --catalogue ds|jit|vms|all", file=sys.stderr)
        return 2
    try:
        paths = _catalogue_files(args.catalogue) if args.catalogue else discover(args.target)
        if paths is None:
            return 2
        scenarios = [load_scenario(path) for path in paths]
    except ScenarioError as exc:
        print(f"ajio-sim run: invalid scenario: {exc}", file=sys.stderr)
        return 2
    if args.match:
        words = [w.strip() for w in args.match.split(",") if w.strip()]
        scenarios = [s for s in scenarios if any(w in s.name or w in s.path for w in words)]
    if args.tag:
        scenarios = [s for s in scenarios if set(args.tag) & set(s.tags)]
    given = {"connector"} if (args.connector_cmd or args.connector_http or args.connector_python) else set()
    given |= {"erp"} if (args.erp_cmd or args.erp_url) else set()
    if not given:
        print("ajio-sim run: name what is under test: --connector-cmd/--connector-http/--connector-python "
              "and/or (VMS) --erp-cmd/--erp-url", file=sys.stderr)
        return 2
    runnable = [s for s in scenarios if set(s.needs) <= given]
    if len(runnable) < len(scenarios):
        left = sorted({side for s in scenarios for side in s.needs} - given)
        print(f"ajio-sim run: {len(scenarios) - len(runnable)} scenario(s) left out: they put the "
              f"{' and the '.join(left)} under test, and none was given", file=sys.stderr)
    if args.erp_url:
        restarting = [s for s in runnable if s.restarts_erp]
        if restarting:
            print(f"ajio-sim run: {len(restarting)} scenario(s) left out: they restart the ERP, which an --erp-url "
                  f"service running outside the harness cannot be (use --erp-cmd): "
                  f"{', '.join(s.path for s in restarting)}", file=sys.stderr)
            runnable = [s for s in runnable if not s.restarts_erp]
    scenarios = runnable
    if not scenarios:
        print("ajio-sim run: no scenario selected", file=sys.stderr)
        return 2
    if args.replay and (args.base_url or len(scenarios) != 1):
        print(f"ajio-sim run: --replay replays one scenario against its recording, without --base-url "
              f"({len(scenarios)} selected: name one file or use -k)", file=sys.stderr)
        return 2
    try:
        adapter = adapter_from_options(args.connector_cmd, args.connector_http, args.connector_python, args.timeout)
        erp = ErpCommand(args.erp_cmd) if args.erp_cmd else ErpUrl(args.erp_url) if args.erp_url else None
    except (ValueError, ImportError) as exc:
        print(f"ajio-sim run: {exc}", file=sys.stderr)
        return 2
    if args.journal_dir:
        if args.replay:
            print("ajio-sim run: --journal-dir: a replay runs against a recording, which has no journal", file=sys.stderr)
            return 2
        try:
            Path(args.journal_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"ajio-sim run: --journal-dir {args.journal_dir}: not a directory that can be written "
                  f"({exc.strerror or exc})", file=sys.stderr)
            return 2
    reporters = [ConsoleReporter(verbose=args.verbose)]
    if args.junit:
        reporters.append(JUnitReporter(args.junit))
    if args.json:
        reporters.append(JsonReporter(args.json))
    if args.html:
        from harness.reporters.html import HtmlReporter
        reporters.append(HtmlReporter(args.html))
    run_class = None
    if args.replay:
        from harness.recording.replay_run import ReplayScenarioRun
        run_class = ReplayScenarioRun
    options = Options(base_url=args.base_url, admin_token=args.admin_token, jobs=args.jobs,
                      keep_workdir=args.keep_workdir, replay=args.replay, run_class=run_class, erp=erp,
                      journal_dir=args.journal_dir)
    if args.journal_dir:  # files named by their path below what the user named (a catalogue: its root)
        from harness import catalogue
        named = catalogue.root() if args.catalogue else Path(args.target)
        options.journal_root = (named if named.is_dir() else named.parent).resolve()
    ok = False
    for event in run_scenarios(scenarios, adapter, options):
        for reporter in reporters:
            reporter.handle(event)
        ok = getattr(event, "ok", ok)
    return 0 if ok else 1


def _catalogue_files(name: str):
    """The bundled catalogue's files; None (after saying so) when this version bundles none for it."""
    from harness import catalogue

    files = catalogue.files(name)
    if not files:
        bundled = ", ".join(f"{n}: {c}" for n, c in catalogue.counts().items())
        print(f"ajio-sim run: no scenarios: the {name} catalogue bundled with this version of ajio-sim is empty "
              f"(bundled: {bundled})", file=sys.stderr)
        return None
    return files
