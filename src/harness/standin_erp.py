"""The harness plays the seller's ERP when a VMS scenario puts only the connector under test.

A correct, minimal ERP (seeds 002, 004) in a thread of the harness: it takes every posting once (by
`messageId`), e-invoices the final quantities of an OUTWARD_ORDER_CREATE and posts the B2B invoice to
`/ajio-vms/b2bInvoice/posting`, and in the credit-note return model answers a return order posting with
a credit note on `/ajio-vms/creditNote/posting`; non-200 answers are retried a few times. It works
synchronously, before answering the posting, so the next step of the scenario sees its invoice: only the
connector's behaviour decides the verdict. (Unreachable ERPs and lost answers are the ERP gateway's
doing, harness.erp.ErpGateway, for every ERP alike.)
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from simulator.embedded import POLL_S  # the server loop's shutdown check

IST = timezone(timedelta(hours=5, minutes=30))
PDF = base64.b64encode(b"%PDF-1.4\n% e-invoice of the harness's stand-in ERP\n%%EOF\n").decode()
ATTEMPTS = 3


class _Tenant:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.seen: set = set()
        self.seq = 0
        self.lock = threading.Lock()
        self.session = requests.Session()
        self.session.headers.update({"authUsername": env["AJIO_ERP_USERNAME"],
                                     "authPassword": env["AJIO_ERP_PASSWORD"]})

    def number(self, prefix: str) -> str:
        self.seq += 1
        return f"{prefix}{self.env['AJIO_ERP_USERNAME'][-6:]}-{self.seq:05d}"

    def now(self) -> str:
        try:
            epoch = requests.get(self.env["AJIO_CLOCK_URL"], timeout=10).json()["now"]
        except (requests.RequestException, ValueError, KeyError):
            epoch = time.time()
        return datetime.fromtimestamp(epoch, IST).isoformat(timespec="milliseconds")

    def post(self, path: str, body: dict) -> None:
        for attempt in range(ATTEMPTS):
            try:
                r = self.session.post(self.env["AJIO_ERP_BASE_URL"] + path, json=body, timeout=30)
            except requests.RequestException:
                time.sleep(0.1 * 2 ** attempt)
                continue
            if r.status_code == 200:
                return
            time.sleep(0.1 * 2 ** attempt)

    def handle(self, event: str, body: dict) -> None:
        with self.lock:
            key = body.get("messageId")
            if key in self.seen:
                return  # seed 004 postings can come twice (a lost answer): processed once
            self.seen.add(key)
            if event == "OUTWARD_ORDER_CREATE":
                self.invoice(body)
            elif event == "RETURN_ORDER" and self.env["AJIO_ERP_RETURN_MODEL"] == "credit_note":
                self.credit_note(body)

    def invoice(self, posting: dict) -> None:
        number = self.number("SI")
        lines = [{"channelSkuCode": i["channelSkuCode"], "quantity": i["quantity"]}
                 for i in posting["orderItems"] if i["quantity"] > 0]
        self.post("/b2bInvoice/posting", {
            "invoiceNumber": number, "invoiceDate": self.now(), "forwardPurchaseOrder": posting["forwardPurchaseOrder"],
            "isPartialInvoice": False, "invoiceLineEntries": lines, "qrCode": f"QR:{number}",
            "irnNumber": hashlib.sha256(f"{self.env['AJIO_ERP_USERNAME']}/{number}".encode()).hexdigest(),
            "invoicePdf": PDF})

    def credit_note(self, posting: dict) -> None:
        number = self.number("CN")
        self.post("/creditNote/posting", {
            "creditNoteNumber": number, "returnOrderId": posting["returnOrderCode"], "ackNumber": number,
            "ackDate": self.now(), "signedQrCode": f"QR:{number}",
            "irnNumber": hashlib.sha256(f"{self.env['AJIO_ERP_USERNAME']}/{number}".encode()).hexdigest(),
            "signedCreditNote": PDF})


class StandInErp:
    """One HTTP server per scenario; seller NAME's postings arrive at /erp/NAME."""

    def __init__(self) -> None:
        self.tenants: dict[str, _Tenant] = {}
        tenants = self.tenants

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                tenant = tenants.get(self.path.rstrip("/").rsplit("/", 1)[-1])
                if tenant is None:
                    return self._answer(404, {"status": "FAILED", "error_message": "no such seller"})
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    return self._answer(400, {"status": "FAILED", "error_message": "not JSON"})
                tenant.handle(self.headers.get("X-Ajio-Sim-Event") or body.get("eventType", ""), body)
                self._answer(200, {"status": "SUCCESS"})

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL_S},
                                       name="stand-in-erp", daemon=True)
        self.thread.start()

    def describe(self) -> str:
        return "the harness's stand-in ERP"

    def prepare(self, name: str) -> str:
        return f"{self.url}/erp/{name}"

    def start(self, name: str, env: dict[str, str]) -> None:
        self.tenants[name] = _Tenant(env)

    def restart(self, name: str) -> None:
        pass  # it keeps nothing that a restart could lose

    def stop_all(self) -> dict:
        self.server.shutdown()
        self.server.server_close()
        for tenant in self.tenants.values():
            tenant.session.close()
        return {}
