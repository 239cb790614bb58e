"""Replay: record the reference connector once through `ajio-sim proxy`, then `ajio-sim run --replay` it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from werkzeug.test import Client

from fixtures.recording import ProxyProcess
from fixtures.simclient import HttpTransport, Sim, ajio_sim_binary
from harness.recording.replay import PLACEHOLDER_PDF, Recording, ReplayApp

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REFERENCE = f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}"
BUGGY = f"{sys.executable} {ROOT / 'examples/buggy_connectors/buggy.py'}"
WAREHOUSE = {"default_stock": 20, "stock": {}, "qc": {}, "unexpected_rto": []}   # what `ajio-sim run` writes


@pytest.fixture(scope="module")
def recording(server, tmp_path_factory) -> Path:
    """The reference connector's happy path against the real simulator, recorded through the proxy: three runs
    (import, acknowledge, fulfil after the PO lag), the world moved through /_sim between them."""
    work = tmp_path_factory.mktemp("record")
    sim = Sim(HttpTransport(server.base_url))
    pob = sim.seller()
    sim.place(pob["pob_id"], 2)
    record = work / "happy.har"
    proxy = ProxyProcess(server.base_url, record, "--rewrite-links")
    (work / "state").mkdir()
    (work / "warehouse.json").write_text(json.dumps(WAREHOUSE))
    env = {**os.environ, "AJIO_BASE_URL": proxy.base_url, "AJIO_MODEL": "ds", "AJIO_USERNAME": pob["pob_id"],
           "AJIO_PASSWORD": pob["password"], "AJIO_STATE_DIR": str(work / "state"),
           "AJIO_WAREHOUSE": str(work / "warehouse.json")}
    try:
        for advance in (0, 0, 1800):
            if advance:
                sim.advance(advance)
            run = subprocess.run(REFERENCE, shell=True, env=env, capture_output=True, text=True, timeout=120)
            assert run.returncode == 0, run.stdout + run.stderr
    finally:
        assert proxy.stop() == 0
    return record


def ajio_sim_run(tmp_path: Path, scenario: str, recording: Path, connector: str, *extra: str):
    out = {"json": tmp_path / "r.json", "junit": tmp_path / "r.xml"}
    proc = subprocess.run([ajio_sim_binary(), "run", str(HERE / "scenarios" / scenario), "--replay", str(recording),
                           "--connector-cmd", connector, "--json", str(out["json"]), "--junit", str(out["junit"]),
                           *extra], capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})
    report = json.loads(out["json"].read_text()) if out["json"].exists() else None
    return proc, report, out["junit"]


def test_run_replay_of_the_reference_connector_passes_marked_replay(recording, tmp_path):
    proc, report, junit = ajio_sim_run(tmp_path, "replay_happy_path.yaml", recording, REFERENCE)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [scenario] = report["scenarios"]
    assert (scenario["status"], scenario["mode"], scenario["recording"]) == ("passed", "replay", str(recording))
    assert "REPLAY of the recording" in proc.stdout and "PASS REPLAY recorded happy path, replayed" in proc.stdout
    case = ET.parse(junit).getroot().find("testsuite/testcase")
    assert case.get("name") == "recorded happy path, replayed [replay]"
    assert {p.get("name"): p.get("value") for p in case.iter("property")} == {
        "ajio-sim.mode": "replay", "ajio-sim.recording": str(recording)}


def test_run_replay_fails_a_connector_that_strays_from_the_recording(recording, tmp_path):
    proc, report, _ = ajio_sim_run(tmp_path, "replay_happy_path.yaml", recording, f"{BUGGY} split_invoice")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [scenario] = report["scenarios"]
    assert scenario["status"] == "failed" and scenario["mode"] == "replay"
    first = scenario["failures"][0]
    assert first["what"] == "requests the recording does not hold (answered 501 REPLAY_MISS)"
    assert "POST /ds/orders/" in first["actual"] and "/invoice" in first["actual"] and "order_lines" in first["actual"]
    assert scenario["replay"]["misses"] and "REPLAY of the recording" in proc.stdout


def test_run_replay_refuses_a_scenario_with_world_steps(recording, tmp_path):
    proc, report, _ = ajio_sim_run(tmp_path, "replay_with_world_step.yaml", recording, REFERENCE)
    assert proc.returncode == 1
    [scenario] = report["scenarios"]
    assert scenario["status"] == "error" and scenario["mode"] == "replay"
    assert "cannot replay this scenario: step 1 (place_orders) goes through /_sim" in scenario["error"]
    assert "step 3 (expect): the 'orders' expectation reads the simulator's state" in scenario["error"]


def test_run_replay_needs_exactly_one_scenario(recording, tmp_path):
    proc = subprocess.run([ajio_sim_binary(), "run", str(HERE / "scenarios"), "--replay", str(recording),
                           "--connector-cmd", REFERENCE], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--replay replays one scenario" in proc.stderr and "(2 selected" in proc.stderr


# -- the replay server, in-process ----------------------------------------------------------------
def _har(tmp_path: Path, exchanges: list[tuple]) -> Path:
    entries = []
    for n, (method, path, body, status, answer, mime) in enumerate(exchanges):
        entry = {"startedDateTime": f"2026-11-23T10:00:{n:02d}.000Z", "time": 1,
                 "request": {"method": method, "url": f"https://ajio.example{path}", "httpVersion": "HTTP/1.1",
                             "cookies": [], "headers": [], "queryString": [], "headersSize": -1, "bodySize": 0},
                 "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                              "headers": [{"name": "Content-Type", "value": mime}],
                              "content": {"size": 1, "mimeType": mime}, "redirectURL": "", "headersSize": -1,
                              "bodySize": 1},
                 "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
        if body is not None:
            entry["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
        if answer is not None:
            entry["response"]["content"]["text"] = json.dumps(answer)
        entries.append(entry)
    path = tmp_path / "r.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                                        "_ajioSim": {"upstream": "https://ajio.example"}, "entries": entries}}))
    return path


LOGIN = {"username": "DVB1VX5Z", "password": "x" * 32}      # recorded masked


def _client(tmp_path, exchanges) -> tuple[Client, ReplayApp]:
    app = ReplayApp(Recording(_har(tmp_path, exchanges)))
    app.base_url = "http://replay.test"
    return Client(app), app


def test_replay_answers_each_key_in_recorded_order_then_repeats_the_last(tmp_path):
    client, app = _client(tmp_path, [
        ("GET", "/ds/orders/pendency", None, 200, {"orders": [1]}, "application/json"),
        ("GET", "/ds/orders/pendency", None, 200, {"orders": []}, "application/json")])
    got = [client.get("/ds/orders/pendency").get_json()["orders"] for _ in range(3)]
    assert got == [[1], [], []]
    assert [s.repeated for s in app.served] == [False, False, True]


def test_replay_matches_a_live_login_with_its_masked_recording(tmp_path):
    client, _ = _client(tmp_path, [("POST", "/ds/authToken", LOGIN, 200, {"result": {"accessToken": "x" * 32}},
                                    "application/json")])
    r = client.post("/ds/authToken", json={"password": "pw-6a1b453a3a26d09f", "username": "DVB1VX5Z"})
    assert r.status_code == 200 and r.headers["X-Ajio-Sim-Replay"] == "entry 1"


def test_replay_miss_answers_501_naming_what_was_recorded(tmp_path):
    client, app = _client(tmp_path, [("POST", "/ds/orders", {"order_id": "FN1", "status": "Acknowledge"}, 200,
                                      {"success": [], "failed_items": []}, "application/json")])
    r = client.post("/ds/orders", json={"order_id": "FN2", "status": "Acknowledge"})
    assert r.status_code == 501 and r.get_json()["error_code"] == "REPLAY_MISS"
    assert "POST /ds/orders with this body is not in the recording r.har" in r.get_json()["error_message"]
    assert '"order_id": "FN1"' in r.get_json()["error_message"]
    assert [(s.path, s.entry) for s in app.misses] == [("/ds/orders", None)]


def test_replay_points_recorded_links_at_itself_and_stands_in_for_omitted_documents(tmp_path):
    client, _ = _client(tmp_path, [
        ("POST", "/ds/orders/FN1/invoice", {}, 200, {"invoice_pdf_url": "https://ajio.example/documents/D1"},
         "application/json"),
        ("GET", "/documents/D1", None, 200, None, "application/pdf")])
    url = client.post("/ds/orders/FN1/invoice", json={}).get_json()["invoice_pdf_url"]
    assert url == "http://replay.test/documents/D1"
    doc = client.get("/documents/D1")
    assert doc.data == PLACEHOLDER_PDF and doc.headers["Content-Type"] == "application/pdf"
