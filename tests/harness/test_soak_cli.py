"""`ajio-sim soak` as users run it: the real command, a real connector process per tick (or a daemon), the
exit code, the three reports, and the printed replay command that stops at the first violation."""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from harness.soak.invariants import INVARIANTS
from harness.soak.jit import JIT_INVARIANTS
from harness.soak.vms import VMS_INVARIANTS

ROOT = Path(__file__).resolve().parents[2]
AJIO_SIM = str(Path(sys.executable).with_name("ajio-sim"))
REFERENCE = f"{sys.executable} {ROOT}/examples/reference_connector/connector.py"
BUGGY = f"{sys.executable} {ROOT}/examples/buggy_connectors/buggy.py"
SMALL = ["--days", "1", "--orders-per-day", "12", "--seed", "21", "--profile", "exact", "--tick", "4h",
         "--set", "settle_tick=12h", "--set", "return_max_delay=1d", "--set", "settle_days=5"]


def _soak(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([AJIO_SIM, "soak", "-q", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


def test_soak_cli_reference_connector_process_passes_and_writes_three_reports(tmp_path):
    html, js, junit = tmp_path / "soak.html", tmp_path / "soak.json", tmp_path / "soak.xml"
    r = _soak("--model", "ds", *SMALL, "--connector-cmd", REFERENCE, "--html", str(html), "--json", str(js),
              "--junit", str(junit))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "soak PASS: 0 violation(s)" in r.stdout
    doc = json.loads(js.read_text())
    assert doc["ok"] and doc["world"]["orders"] == 12 and doc["connector"].startswith("command: ")
    assert doc["timing"]["connector_cpu_s"] > 0
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == str(len(INVARIANTS)) and suite.get("failures") == "0"
    assert "<svg" in html.read_text() and "http" not in html.read_text().split("<style>")[1].split("</style>")[0]


def test_soak_cli_python_connector_form_passes(tmp_path):
    js = tmp_path / "soak.json"
    r = _soak("--model", "ds", *SMALL, "--connector-python", "tests/fixtures/soak_connectors.py:reference",
              "--json", str(js))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    assert doc["ok"] and doc["connector"] == "Python callable: tests/fixtures/soak_connectors.py:reference"
    assert sum(h["calls"] for h in doc["hours"]) > 0


def test_soak_cli_http_connector_form_posts_each_tick_and_fails_on_its_bug(tmp_path):
    """A connector running as a service (here in this test's process): one POST per tick, as `ajio-sim run`."""
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    import soak_connectors

    posts = []

    class Trigger(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            posts.append(body)
            code = soak_connectors.bug_label_before_invoice({k: v for k, v in body.items() if k.startswith("AJIO_")})
            self.send_response(200 if not code else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Trigger)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    js = tmp_path / "soak.json"
    try:
        r = _soak("--model", "ds", *SMALL, "--set", "settle_days=1",
                  "--connector-http", f"http://127.0.0.1:{server.server_port}/sync", "--json", str(js))
    finally:
        server.shutdown()
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    assert doc["first_violation"]["rule_id"] == "DS-INVOICE-LABEL-MANIFEST"
    assert "--connector-http" in doc["replay_command"]
    assert len(posts) >= 2 and "stock" in posts[0]["warehouse"] and posts[0]["AJIO_MODEL"] == "ds"

def test_soak_cli_buggy_connector_exits_1_and_its_replay_stops_at_the_first_violation(tmp_path):
    first, again = tmp_path / "first.json", tmp_path / "again.json"
    args = ["--model", "ds", *SMALL, "--set", "settle_days=1", "--connector-cmd", f"{BUGGY} label_before_invoice"]
    r = _soak(*args, "--json", str(first))
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(first.read_text())
    violation = doc["first_violation"]
    assert violation["rule_id"] == "DS-INVOICE-LABEL-MANIFEST"
    line = next(l for l in r.stdout.splitlines() if l.startswith("replay up to the first violation: "))
    replay = shlex.split(line.split(": ", 1)[1])
    assert replay[:2] == ["ajio-sim", "soak"] and replay[-2:] == ["--until-tick", str(violation["tick"])]
    r2 = subprocess.run([AJIO_SIM, *replay[1:], "-q", "--json", str(again)], capture_output=True, text=True,
                        timeout=600, cwd=ROOT)
    assert r2.returncode == 1
    replayed = json.loads(again.read_text())
    assert replayed["stopped_at_tick"] == violation["tick"]
    assert replayed["first_violation"] == violation
    assert "requests" in doc["invariants"][3]["kept"][0] and doc["invariants"][3]["kept"][0]["timeline"]


def test_soak_cli_daemon_reveals_a_connector_keeping_an_expired_token(tmp_path):
    js = tmp_path / "daemon.json"
    r = _soak("--model", "ds", "--days", "1", "--orders-per-day", "6", "--seed", "4", "--tick", "4h",
              "--until-tick", "3", "--daemon", "--connector-cmd", f"{BUGGY} ignores_token_expiry", "--json", str(js),
              "--set", "faults_per_day=0", "--set", "throttles_per_day=0", "--set", "repeats_per_day=0")
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    token = next(i for i in doc["invariants"] if i["key"] == "expired-token")
    # What failed instead, if not this (one CI run on a loaded machine: exit 1, expired-token kept): the error, the
    # invariants broken, the daemon's runs and the report's tail.
    assert token["violated_rules"] == ["AUTH-TOKEN-30-MIN"], (
        doc.get("error"), {i["key"]: i["violated_rules"] for i in doc["invariants"] if i["violated_rules"]},
        doc.get("runs"), r.stdout[-3000:], r.stderr[-2000:])
    assert doc["replay_command"].split("--until-tick")[0].count("--daemon") == 1


def test_soak_cli_vms_model1_rsi_reference_process_passes_with_the_stand_in_erp(tmp_path):
    """The VMS soak with a connector process per tick, in model 1 (the soak's stand-in ERP e-invoices) and the
    RSI model: the reference VMS connector passes, its JUnit has one testcase per VMS invariant."""
    js, junit = tmp_path / "vms.json", tmp_path / "vms.xml"
    r = _soak("--model", "vms", "--days", "1", "--orders-per-day", "10", "--seed", "21", "--tick", "1h",
              "--set", "settle_tick=12h", "--set", "return_max_delay=1d", "--set", "settle_days=6",
              "--set", "vms_einvoice_model=erp", "--set", "vms_return_model=rsi", "--set", "return_share=0.5",
              "--connector-cmd", REFERENCE, "--json", str(js), "--junit", str(junit))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    assert doc["ok"] and doc["world"]["orders"] == 10 and doc["world"]["rsis"] == doc["world"]["rsis_accepted"] > 0
    assert doc["world"]["orders_by_status"].get("DELIVERED")
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == str(len(VMS_INVARIANTS)) and suite.get("failures") == "0"


def test_soak_cli_vms_daemon_reveals_a_layer_keeping_an_expired_token(tmp_path):
    js = tmp_path / "vms-daemon.json"
    r = _soak("--model", "vms", "--days", "1", "--orders-per-day", "6", "--seed", "4", "--tick", "1h",
              "--until-tick", "4", "--daemon", "--connector-cmd", f"{BUGGY} vms_ignores_token_expiry", "--json",
              str(js), "--set", "faults_per_day=0", "--set", "throttles_per_day=0", "--set", "repeats_per_day=0")
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    token = next(i for i in doc["invariants"] if i["key"] == "expired-token")
    assert token["violated_rules"] == ["AUTH-TOKEN-30-MIN"]


def test_soak_cli_jit_reference_connector_process_passes_and_a_buggy_one_fails(tmp_path):
    """The JIT soak with a connector process per tick: the reference JIT connector passes (its JUnit has one
    testcase per JIT invariant); one that never reconciles AJIO's drifted view fails naming the rule."""
    js, junit = tmp_path / "jit.json", tmp_path / "jit.xml"
    jit = ["--model", "jit", "--days", "2", "--orders-per-day", "8", "--seed", "21", "--tick", "4h",
           "--set", "settle_tick=12h", "--set", "return_max_delay=1d", "--set", "settle_days=6",
           "--set", "drifts_per_day=6"]
    r = _soak(*jit, "--connector-cmd", REFERENCE, "--json", str(js), "--junit", str(junit))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    doc = json.loads(js.read_text())
    assert doc["ok"] and doc["world"]["orders"] == 16 and doc["config"]["model"] == "jit"
    assert ET.parse(junit).getroot().find("testsuite").get("tests") == str(len(JIT_INVARIANTS))
    r = _soak(*jit, "--connector-cmd", f"{BUGGY} jit_no_reconcile", "--json", str(js))
    assert r.returncode == 1, r.stdout[-3000:] + r.stderr[-2000:]
    inventory = next(i for i in json.loads(js.read_text())["invariants"] if i["key"] == "inventory")
    assert "JIT-INVENTORY-RECONCILE" in inventory["violated_rules"]
    assert "replay up to the first violation: ajio-sim soak --model jit" in r.stdout


def test_soak_cli_bad_knob_is_refused_naming_it():
    r = _soak("--days", "1", "--set", "rto_share=2", "--connector-cmd", "true")
    assert r.returncode == 2 and "--set rto_share=2: a share between 0 and 1" in r.stderr
