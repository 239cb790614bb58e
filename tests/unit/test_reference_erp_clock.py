"""The reference ERP dates its documents by AJIO_CLOCK_URL and never by its host's clock instead: a clock that does
not answer is tried again, then the posting in hand is answered 503 with nothing changed (the integration layer
retries it) and an RSI round is skipped. Until vary17 it fell back to time.time() silently: an e-invoice of a 2037
scenario dated today, its number filed under the wrong financial year."""
from __future__ import annotations

import http.client
import importlib.util
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOW = 2142563400.0   # 2037-11-23 10:00 IST


def _erp_module():
    spec = importlib.util.spec_from_file_location("reference_erp_clock", ROOT / "examples/reference_erp/erp.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.CLOCK_RETRY_S = 0.01
    return module


@pytest.fixture
def clock():
    """A clock service that answers NOW, or 503 while `down` is set; counts its requests."""
    state = {"down": False, "asked": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            state["asked"] += 1
            body = json.dumps({"now": NOW}).encode()
            self.send_response(503 if state["down"] else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}/clock"
    yield state
    server.shutdown()


def _env(clock_url: str) -> dict[str, str]:
    return {"AJIO_ERP_USERNAME": "DVCLOCK1", "AJIO_ERP_PASSWORD": "x", "AJIO_ERP_BASE_URL": "http://127.0.0.1:9",
            "AJIO_ERP_RETURN_MODEL": "rsi", "AJIO_CLOCK_URL": clock_url}


CREATE = {"eventType": "OUTWARD_ORDER_CREATE", "messageId": "M1", "orderCode": "FN1", "forwardPurchaseOrder": "PO1",
          "partnerLocationCode": "DVCLOCK1", "orderItems": [{"channelSkuCode": "8901", "quantity": 1}]}


def test_the_clock_read_is_the_scenarios_not_the_hosts(tmp_path, clock):
    erp = _erp_module()
    tenant = erp.Tenant(_env(clock["url"]), tmp_path)
    assert tenant.now() == NOW
    tenant.receive("OUTWARD_ORDER_CREATE", dict(CREATE))
    assert tenant.outbox[0]["body"]["invoiceDate"].startswith("2037-11-23T10:00:00")


def test_a_clock_that_does_not_answer_is_tried_again_then_fails_loudly(tmp_path, clock):
    erp = _erp_module()
    tenant = erp.Tenant(_env(clock["url"]), tmp_path)
    clock["down"] = True
    with pytest.raises(erp.ClockUnavailable, match="3 tries"):
        tenant.now()
    assert clock["asked"] == erp.CLOCK_TRIES


def test_a_posting_met_by_a_dead_clock_changes_nothing_and_is_answered_503(tmp_path, clock):
    erp = _erp_module()
    clock["down"] = True
    service = erp.Erp(tmp_path)
    service.default = service.setup(_env(clock["url"]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), erp.handler_for(service))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        conn.request("POST", "/postings", json.dumps(CREATE), {"Content-Type": "application/json"})
        answer = conn.getresponse()
        assert answer.status == 503 and "cannot date" in json.loads(answer.read())["error_message"]
        tenant = service.default
        assert tenant.invoices == {} and tenant.outbox == [] and tenant.series == {} and tenant.seen == []
        clock["down"] = False   # the layer's retry (same messageId) once the clock answers: e-invoiced once
        conn.request("POST", "/postings", json.dumps(CREATE), {"Content-Type": "application/json"})
        assert conn.getresponse().status == 200
        assert tenant.invoices["FN1"]["invoiceNumber"].endswith("-00001") and tenant.seen == ["M1"]
    finally:
        server.shutdown()


def test_an_rsi_round_without_a_clock_is_skipped(tmp_path, clock):
    erp = _erp_module()
    tenant = erp.Tenant(_env(clock["url"]), tmp_path)
    tenant.pull_rsi()
    assert tenant.rsi_clock == int(NOW)
    clock["down"] = True
    tenant.rsi_next = 0.0
    tenant.pull_rsi()                        # logs and returns: no fetch, the clock it knew is kept
    assert tenant.rsi_clock == int(NOW) and tenant.rsi_cursor is None
