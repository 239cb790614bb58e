"""Round trips against the real `ajio-sim serve`: the simulator's own traffic (its journal export, and the same
flows recorded through `ajio-sim proxy`) shows no drift from the contract it serves."""
from __future__ import annotations

import json
import subprocess

import pytest

from fixtures.jitworld import JitWorld
from fixtures.recording import ProxyProcess
from fixtures.simclient import HttpTransport, Sim, ajio_sim_binary
from fixtures.vmsworld import VmsWorld

pytestmark = pytest.mark.e2e


def ds_flow(sim: Sim) -> dict:
    """A Dropship life with its refusals: order to delivery, a customer return to its credit note."""
    pob = sim.seller()
    o1, o2 = sim.place(pob["pob_id"], 2)
    out = sim.to_status(pob, o1, "DELIVERED")
    tok = out["token"]
    for path in ("/orders/pendency", "/products?size=5", f"/orders?orderIds={o1},{o2}"):
        assert sim.ds("GET", path, tok).status == 200
    assert sim.ds("POST", "/updateInventory", tok, {"inventory": [{"sku": "NO-SUCH-SKU", "quantity": 1}]}).status == 400
    assert sim.ds("POST", f"/orders/{o2}/invoice", tok, {}).status == 409
    assert sim.ds("POST", "/orders", tok, {"order_id": "FN-NOPE", "status": "Acknowledge"}).status == 404
    assert sim.ds("POST", "/orders", tok, {"order_id": o2, "status": "Maybe"}).status == 400
    assert sim.ds("GET", "/orders/pendency", "not-a-token").status == 401
    for url in (out["invoice"]["invoice_pdf_url"], out["label"]["label_pdf_url"], out["manifest"]["manifestUrl"]):
        assert sim.get_url(url, tok).status == 200
    ret = sim.control("POST", f"/orders/{o1}/customer-return", {}, expect=201).json["return_order_id"]
    sim.control("POST", f"/returns/{ret}/deliver", {}, expect=200)
    items = next(r for r in sim.ds("GET", "/returns", tok).json["returns"]
                 if r["return_order_id"] == ret)["return_order_items"]
    qc = {"items": [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"], "qc_code": "GOOD"}
                    for i in items]}
    assert sim.ds("POST", f"/returns/{ret}/qc", tok, qc).status == 200
    assert sim.ds("GET", f"/returns/{ret}/creditNote", tok).status == 409
    sim.advance(9000)
    assert sim.ds("GET", f"/returns/{ret}/creditNote", sim.login(pob)).status == 200
    return pob


def other_models_flow(sim: Sim) -> list[dict]:
    jit = JitWorld.new(sim)
    po = jit.raise_po()
    jit.ok("GET", "/orders/pendency")
    jit.delivered(po)
    vms = VmsWorld.create(sim)
    [order] = vms.place(1)
    vms.to_stage(order, "DELIVERED")
    return [jit.pob, vms.pob]


def _drift(path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([ajio_sim_binary(), "drift", str(path), *args], capture_output=True, text=True, timeout=120,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def test_drift_of_the_simulator_journal_export_finds_no_drift(live, tmp_path):
    pobs = [ds_flow(live), *other_models_flow(live)]
    entries = []
    for pob in pobs:
        entries += live.control("GET", f"/journal?pob_id={pob['pob_id']}&limit=5000", expect=200).json["entries"]
    export = tmp_path / "journal.json"
    export.write_text(json.dumps({"entries": entries}))
    report = tmp_path / "drift.json"
    proc = _drift(export, "--json", str(report))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(report.read_text())
    assert doc["ok"] is True and doc["drift"] == [] and doc["checked"] >= 30
    assert {e["path"].split("/")[1] for e in entries} >= {"ds", "jit", "vms", "documents"}
    assert "no drift" in proc.stdout


def test_drift_of_the_journal_export_sees_a_tampered_answer(live, tmp_path):
    """The same check can fail: one answer of the export edited as a drifting AJIO would send it."""
    pob = live.seller()
    live.place(pob["pob_id"], 1)
    assert live.ds("GET", "/orders/pendency", live.login(pob)).status == 200
    exported = subprocess.run([ajio_sim_binary(), "journal", "--pob", pob["pob_id"], "--json", "--base-url",
                               live.http.base_url], capture_output=True, text=True, timeout=60)
    entries = json.loads(exported.stdout)["entries"]    # `ajio-sim journal --json`: the export docs/drift.md shows
    pendency = next(e for e in entries if e["path"] == "/ds/orders/pendency")
    body = json.loads(pendency["response_body"])
    body["orders"][0]["order_date"] = "2026-11-23T10:00:00+05:30"
    pendency["response_body"] = json.dumps(body)
    export = tmp_path / "journal.json"
    export.write_text(json.dumps({"entries": entries}))
    proc = _drift(export, "--json", "-")
    assert proc.returncode == 1
    [finding] = json.loads(proc.stdout)["drift"]
    assert (finding["operation"], finding["kind"], finding["where"]) == (
        "get_pendency", "format", "orders[].order_date")


class Routed:
    """AJIO calls through the proxy, world steps (/_sim) straight to the simulator."""

    def __init__(self, sim_url: str, proxy_url: str) -> None:
        self.direct, self.via = HttpTransport(sim_url), HttpTransport(proxy_url)
        self.base_url = proxy_url

    def __call__(self, method, path, **kw):
        return (self.direct if path.startswith("/_sim") else self.via)(method, path, **kw)


def test_drift_of_simulator_traffic_recorded_through_the_proxy_finds_no_drift(server, tmp_path):
    record = tmp_path / "sim.har"
    proxy = ProxyProcess(server.base_url, record, "--rewrite-links")
    try:
        sim = Sim(Routed(server.base_url, proxy.base_url))
        ds_flow(sim)
        other_models_flow(sim)
    finally:
        assert proxy.stop() == 0
    har = json.loads(record.read_text())
    urls = [e["request"]["url"] for e in har["log"]["entries"]]
    assert any("/documents/" in u for u in urls)                  # documents came through the proxy too
    assert not any("/_sim/" in u for u in urls)
    proc = _drift(record)
    assert proc.returncode == 0, proc.stdout + proc.stderr       # masked values kept their types
    assert "no drift" in proc.stdout
