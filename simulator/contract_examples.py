"""`python -m simulator.contract_examples`: capture the examples of both OpenAPI documents from a real run.

Drives a fresh in-process simulator (seeded, frozen clock) through every model's flow: Dropship order to
credit note, JIT PO to manifest and return, VMS order to manifest, QC, credit note and RSI, the ERP
layer's postings, and every control-plane call. The first request body and the first answer of each
operation and status are kept (lists cut to their first item) in contracts/examples.json, which the
document builders attach to requests and responses. Real answers, so every example conforms: a test
checks each against its schema. `--check` exits 1 when the file differs from a fresh capture.
"""
from __future__ import annotations

import base64
import json
import sys
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from contracts.answers import AnswerChecker
from contracts.openapi_common import EXAMPLES_FILE

T0 = 1795408200  # 2026-11-23 10:00 IST, the tests' instant
IST = timezone(timedelta(hours=5, minutes=30))
PDF_B64 = base64.b64encode(b"%PDF-1.4\n% an ERP's invoice\n").decode()
PARCEL = {"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4}


def _zoned(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, IST).isoformat(timespec="milliseconds")


def _trim(value):
    """Lists cut to their first item (an example, not a page); an OpenAPI document cut to its head."""
    if isinstance(value, list):
        return [_trim(v) for v in value[:1]]
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items()}
    return value


def _stable(operation_id: str, answer):
    """What a rerun would change (random tokens, real durations) fixed, so the capture repeats exactly."""
    if operation_id == "control_openapi":
        return {"openapi": answer["openapi"], "info": answer["info"], "paths": {"/_sim/health": {}}}
    if operation_id.startswith("auth_token") and isinstance(answer.get("result"), dict):
        answer["result"].update(accessToken="example-access-token-send-it-as-apiKey",
                                refreshToken="example-refresh-token-never-used")
    for entry in answer.get("entries", []) if operation_id == "get_journal" else []:
        entry["duration_ms"] = 2
    return answer


class Capture:
    def __init__(self) -> None:
        from simulator.app import create_app

        self.app = create_app({"db_url": "sqlite://", "seed": 26, "frozen_at": T0, "po_lag": 1800})
        self.client = self.app.test_client()
        with self.app.app_context():
            from simulator.control.openapi import build
            control = build()
        from contracts.openapi import ajio_spec
        self.docs = {"ajio": AnswerChecker(ajio_spec(examples={})), "control": AnswerChecker(control)}
        self.out: dict = {"ajio": {}, "control": {}}

    # -- calls ----------------------------------------------------------------------------------
    def call(self, method: str, path: str, body=None, *, expect: int, headers: dict | None = None,
             raw: bytes | None = None, content_type: str | None = None, keep: bool = True):
        kwargs: dict = {"headers": headers or {}}
        if raw is not None:
            kwargs.update(data=raw, content_type=content_type)
        elif body is not None:
            kwargs["json"] = body
        r = self.client.open(path, method=method, **kwargs)
        if r.status_code != expect:
            raise RuntimeError(f"{method} {path} answered {r.status_code}, not {expect}: {r.get_data()[:400]!r}")
        answer = r.get_json(silent=True)
        if keep and answer is not None:
            self._keep(method, path.split("?")[0], r.status_code, body if raw is None else None, answer)
        return answer

    def _keep(self, method: str, path: str, status: int, body, answer) -> None:
        section = "control" if path.startswith("/_sim") else "ajio"
        op = self.docs[section].operation(method, path)
        if op is None:
            return
        entry = self.out[section].setdefault(op.operation_id, {"responses": {}})
        entry["responses"].setdefault(str(status), _stable(op.operation_id, _trim(answer)))
        if body is not None and 200 <= status < 300:
            entry.setdefault("request", _trim(body))

    def generic(self, section: str, status: int, method: str, path: str, body=None, **kw) -> None:
        """An error answer kept as the example of that status for operations with none of their own."""
        answer = self.call(method, path, body, expect=status, keep=False, **kw)
        self.out[section].setdefault("_errors", {})[str(status)] = answer

    def sim(self, method: str, path: str, body=None, expect: int = 200):
        return self.call(method, "/_sim" + path, body, expect=expect)

    def login(self, pob: dict, model: str | None) -> dict:
        path = f"/{model}/authToken" if model else "/authToken"
        token = self.call("POST", path, {"username": pob["pob_id"], "password": pob["password"]},
                          expect=200)["result"]["accessToken"]
        return {"apiKey": token}

    def api(self, method: str, path: str, key: dict, body=None, expect: int = 200):
        return self.call(method, path, body, expect=expect, headers=key)

    def advance(self, seconds: int) -> None:
        self.sim("POST", "/clock/advance", {"seconds": seconds})

    # -- flows --------------------------------------------------------------------------------
    def dropship(self) -> None:
        pob = self.sim("POST", "/sellers", {"model": "ds", "einvoicing": True, "catalog_size": 5}, 201)
        self.login(pob, None)
        key = self.login(pob, "ds")
        sku = self.api("GET", "/ds/products?size=1", key)["products"][0]["sku"]
        self.api("POST", "/ds/updateInventory", key, {"inventory": [{"sku": sku, "quantity": 12}]})
        self.api("POST", "/ds/updateInventory", key, {"inventory": [{"sku": "NO-SUCH-SKU", "quantity": 1}]}, 400)
        first, second, third = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 3, "seed": 26},
                                         201)["order_ids"]
        self.sim("GET", f"/sellers/{pob['pob_id']}/inventory")
        self.api("GET", "/ds/orders/pendency?size=1", key)
        self.api("POST", "/ds/orders", key, {"order_id": first, "status": "Acknowledge", "order_lines": [
            {"order_item_id": "00000000000000000", "confirmed_quantity": 1}]}, 400)  # no line of the order
        for order_id in (first, second, third):
            self.api("POST", "/ds/orders", key, {"order_id": order_id, "status": "Acknowledge", "order_lines": []})
        self.api("POST", f"/ds/orders/{first}/invoice", key, {}, 409)  # the PO lags: NOT_YET
        self.api("GET", "/ds/orders?orderIds=FN0000000000", key, expect=404)
        self.advance(1800)
        key = self.login(pob, "ds")
        self.api("GET", f"/ds/orders?orderIds={first}", key)
        shipped = []
        for order_id in (first, second, third):
            invoice = self.api("POST", f"/ds/orders/{order_id}/invoice", key, {})
            label = self.api("POST", f"/ds/orders/{order_id}/label", key, PARCEL)
            shipped.append({"masterAWB": label["tracking_number"], "orderId": order_id,
                            "invoiceNo": invoice["invoice_number"]})
        self.api("POST", "/ds/orders/dispatch", key, {"dispatchItems": [
            {"masterAWB": "1", "orderId": "FN0000000000", "invoiceNo": "X"}]}, 400)
        self.api("POST", "/ds/orders/dispatch", key, {"dispatchItems": shipped})
        for order_id in (first, second, third):
            self.sim("POST", f"/orders/{order_id}/pickup", {})
        self.sim("POST", f"/orders/{first}/deliver", {})
        self.sim("POST", f"/orders/{third}/deliver", {})
        changed_mind = self.sim("POST", f"/orders/{third}/customer-return", {}, 201)["return_order_id"]
        self.sim("POST", f"/returns/{changed_mind}/cancel", {})
        order = self.api("GET", f"/ds/orders?orderIds={second}", key)["orders"][0]
        line = order["order_lines"][0]
        self.api("POST", "/ds/return/rto", key, {"order_id": second, "order_items": [
            {"order_item_id": line["order_item_id"], "quantity": 1, "qc_code": "GOOD"}]})
        rid = self.sim("POST", f"/orders/{first}/customer-return", {"reason": "SIZE_FIT_ISSUES"}, 201)["return_order_id"]
        self.sim("POST", f"/returns/{rid}/deliver", {})
        ret = next(r for r in self.api("GET", "/ds/returns?returnType=CUSTOMER_RETURN", key)["returns"]
                   if r["return_order_id"] == rid)
        items = [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"], "qc_code": "GOOD"}
                 for i in ret["return_order_items"]]
        self.api("POST", f"/ds/returns/{rid}/qc", key, {"items": items})
        self.api("GET", f"/ds/returns/{rid}/creditNote", key, expect=409)
        self.advance(9000)
        key = self.login(pob, "ds")
        self.api("GET", f"/ds/returns/{rid}/creditNote", key)
        self.sim("GET", f"/orders/{first}")
        self.sim("GET", f"/returns/{rid}")
        other = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 2, "seed": 27}, 201)["order_ids"]
        self.sim("POST", f"/orders/{other[0]}/customer-cancel", {})
        self.api("POST", "/ds/orders", key, {"order_id": other[1], "status": "Acknowledge", "order_lines": []})
        self.advance(1800)
        key = self.login(pob, "ds")
        invoice = self.api("POST", f"/ds/orders/{other[1]}/invoice", key, {})
        label = self.api("POST", f"/ds/orders/{other[1]}/label", key, PARCEL)
        self.api("POST", "/ds/orders/dispatch", key, {"dispatchItems": [{
            "masterAWB": label["tracking_number"], "orderId": other[1], "invoiceNo": invoice["invoice_number"]}]})
        self.sim("POST", f"/orders/{other[1]}/pickup", {})
        rto = self.sim("POST", f"/orders/{other[1]}/rto", {}, 201)["return_order_id"]
        self.sim("POST", f"/returns/{rto}/deliver", {})
        late = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 1, "seed": 28}, 201)["order_ids"][0]
        self.api("POST", "/ds/orders", key, {"order_id": late, "status": "Acknowledge", "order_lines": []})
        self.advance(1800)
        self.generic("control", 409, "POST", f"/_sim/orders/{late}/deliver", {})  # not in this state
        self.sim("GET", "/orders?size=1")
        ret = self.sim("POST", f"/orders/{first}/customer-return", {}, 409)
        del ret

    def generic_errors(self) -> None:
        pob = self.sim("POST", "/sellers", {"model": "ds", "catalog_size": 1, "shipping_api_access": False}, 201)
        key = self.login(pob, "ds")
        self.generic("ajio", 400, "POST", "/ds/orders", {"order_id": "FN0000000000", "status": "Acknowledge",
                                                          "ackBy": "me"}, headers=key)
        self.generic("ajio", 401, "GET", "/ds/orders/pendency")
        self.generic("ajio", 404, "GET", "/ds/orders?orderIds=FN0000000000", headers=key)
        self.generic("ajio", 413, "POST", "/ds/updateInventory", raw=b"{" + b" " * (1024 * 1024 + 1) + b"}",
                     content_type="application/json", headers=key)
        self.generic("ajio", 415, "POST", "/ds/updateInventory", raw=b"sku=1", content_type="text/plain",
                     headers=key)
        order_id = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 1, "seed": 29}, 201)["order_ids"][0]
        self.api("POST", "/ds/orders", key, {"order_id": order_id, "status": "Acknowledge", "order_lines": []})
        self.generic("ajio", 409, "POST", f"/ds/orders/{order_id}/invoice", {}, headers=key)
        self.advance(1800)
        key = self.login(pob, "ds")
        self.api("POST", f"/ds/orders/{order_id}/invoice", key, {})
        self.api("POST", f"/ds/orders/{order_id}/label", key, PARCEL, 403)
        self.sim("PUT", "/throttle", {"mode": "on", "limits": {"read": {"rate": 0.001, "burst": 1}}})
        self.sim("GET", "/throttle")
        self.api("GET", "/ds/products?size=1", key)
        self.generic("ajio", 429, "GET", "/ds/products?size=1", headers=key)
        self.sim("POST", "/throttle", {"mode": "off"})
        self.generic("control", 400, "POST", "/_sim/clock/advance", {"seconds": -1})
        self.generic("control", 404, "GET", "/_sim/orders/FN0000000000")
        self.generic("control", 413, "POST", "/_sim/clock/advance", raw=b"{" + b" " * (1024 * 1024 + 1) + b"}",
                     content_type="application/json")
        self.generic("control", 415, "POST", "/_sim/clock/advance", raw=b"seconds=1", content_type="text/plain")
        self.app.extensions["ajio_sim"].config.admin_token = "example-admin-token"
        self.generic("control", 401, "GET", "/_sim/clock")
        self.app.extensions["ajio_sim"].config.admin_token = None

    def jit(self) -> None:
        pob = self.sim("POST", "/sellers", {"model": "jit", "einvoicing": True, "catalog_size": 5,
                                            "einvoicing_username": "einv-user", "einvoicing_password": "einv-pass"}, 201)
        key = self.login(pob, "jit")
        sku = self.api("GET", "/jit/products?size=1", key)["products"][0]["sku_code"]
        self.api("POST", "/jit/inventory", key, {"inventory": [{"sku": sku, "quantity": 40}]})
        self.api("GET", f"/jit/inventory?sku={sku}", key)
        self.sim("POST", "/jit/moderation", {"pob_id": pob["pob_id"], "sku": sku, "moderation_status": "APPROVED"})
        self.sim("POST", "/jit/inventory/drift", {"pob_id": pob["pob_id"], "lines": [{"sku": sku, "delta": -3}]})
        self.sim("GET", f"/jit/inventory?pob_id={pob['pob_id']}")
        first, second = self.sim("POST", "/jit/orders", {"pob_id": pob["pob_id"], "count": 1, "seed": 26,
                                                          "lines": [{"sku": sku, "quantity": 3}]}, 201)["order_ids"] + \
            self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 1, "seed": 27,
                                         "lines": [{"sku": sku, "quantity": 2}]}, 201)["order_ids"]
        self.api("GET", "/jit/backorders", key)
        self.api("GET", "/jit/orders/pendency?size=1", key)
        po = self.api("GET", f"/jit/orders?orderIds={first}", key)["orders"][0]
        line = po["order_lines"][0]["order_item_id"]
        self.api("POST", f"/jit/orders/{first}/cancel", key, {"lines": [{"order_item_id": line, "quantity": 1}]})
        self.api("POST", f"/jit/orders/{first}/invoice", key, {})
        invoice = self.api("PUT", f"/jit/orders/{first}/invoice", key, {})
        self.api("POST", f"/jit/orders/{first}/prepack", key, {"box_ids": ["LPN-1"]})
        pack = self.api("POST", f"/jit/orders/{first}/pack", key, {"boxes": [{"box_id": "LPN-1", "seal_id": "SEAL-1",
                                                                            "items": [{"order_item_id": line,
                                                                                       "quantity": 2}]}]})
        self.api("POST", "/jit/orders/dispatch", key, {"dispatchItems": [
            {"masterAWB": "1", "orderId": second, "invoiceNo": "X"}]}, 400)
        self.api("POST", "/jit/orders/dispatch", key, {"dispatchItems": [{
            "masterAWB": pack["master_awb"], "orderId": first, "invoiceNo": invoice["invoice_number"]}]})
        self.sim("POST", f"/orders/{first}/pickup", {})
        self.sim("POST", f"/orders/{first}/deliver", {})
        self.sim("POST", f"/jit/orders/{first}/return", {"lines": [{"order_item_id": line, "quantity": 1}],
                                                        "reason": "DAMAGED"}, 201)
        self.api("GET", "/jit/returns", key)
        self.sim("GET", f"/orders/{first}")

    def vms(self) -> None:
        pob = self.sim("POST", "/sellers", {"model": "vms", "erp_url": "http://127.0.0.1:9/erp/postings",
                                            "catalog_size": 5}, 201)
        key = self.login(pob, "vms")
        erp = {"authUsername": pob["pob_id"], "authPassword": pob["password"]}
        ids = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 4, "seed": 26}, 201)["order_ids"]
        self.api("GET", f"/vms/orders?fromDate={T0 - 86400}&toDate={T0 + 86400}&size=1", key)
        for order_id in ids[:3]:
            self.api("POST", f"/vms/orders/{order_id}/acknowledge", key, {})
        self.api("GET", f"/vms/orders/{ids[0]}/po", key, expect=404)
        self.sim("POST", f"/vms/orders/{ids[2]}/po-missing", {"missing": True})
        self.sim("POST", f"/vms/orders/{ids[2]}/po", {})
        self.sim("POST", f"/vms/sellers/{pob['pob_id']}/po-missing", {"missing": False})
        self.advance(1800)
        key = self.login(pob, "vms")
        self.sim("GET", f"/erp/postings?pob_id={pob['pob_id']}&limit=1")
        self.sim("POST", "/erp/deliver", {})
        now = self.sim("GET", "/clock")["now"]
        po = self.api("GET", f"/vms/orders/{ids[0]}/po", key)
        self.api("POST", f"/vms/orders/{ids[0]}/b2bInvoice", key, {
            "invoiceNumber": "INV" + po["forwardPurchaseOrder"][-8:], "invoiceDate": _zoned(now),
            "forwardPurchaseOrder": po["forwardPurchaseOrder"], "isPartialInvoice": False,
            "qrCode": "eyJhbGciOiJSUzI1NiJ9.qr", "irnNumber": "c46a3047f428c7ee8e29954a5bbaa82a2170879db",
            "invoicePdf": PDF_B64})
        po2 = self.api("GET", f"/vms/orders/{ids[1]}/po", key)
        self.call("POST", "/ajio-vms/b2bInvoice/posting", {
            "invoiceNumber": "INV" + po2["forwardPurchaseOrder"][-8:], "invoiceDate": _zoned(now),
            "forwardPurchaseOrder": po2["forwardPurchaseOrder"], "isPartialInvoice": False,
            "qrCode": "eyJhbGciOiJSUzI1NiJ9.qr", "irnNumber": "9d1c3047f428c7ee8e29954a5bbaa82a2170879db",
            "invoiceURL": "https://erp.example.in/invoices/INV1.pdf"}, expect=200, headers=erp)
        self.call("GET", "/ajio-vms/rsi", None, expect=401, headers={})
        self.api("GET", f"/vms/orders/{ids[0]}/documents", key)
        self.api("POST", "/vms/manifests", key, {"orderIds": [ids[3]]}, 400)
        self.api("POST", "/vms/manifests", key, {"orderIds": [ids[0]]})
        self.api("POST", f"/vms/orders/{ids[3]}/cancel", key, {})
        self.sim("POST", f"/orders/{ids[0]}/pickup", {})
        self.sim("POST", f"/orders/{ids[0]}/deliver", {})
        rid = self.sim("POST", f"/orders/{ids[0]}/customer-return", {}, 201)["return_order_id"]
        self.sim("POST", f"/returns/{rid}/deliver", {})
        ret = self.api("GET", "/vms/returns?returnType=CUSTOMER_RETURN", key)["returns"][0]
        items = [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in ret["items"]]
        self.api("POST", f"/vms/returns/{rid}/qc", key, {"items": items})
        self.api("POST", f"/vms/returns/{rid}/creditNote", key, {
            "creditNoteNumber": "CN" + rid[-8:], "returnOrderId": rid, "ackNumber": "112010036789012",
            "ackDate": _zoned(now), "irnNumber": "1a2b3c", "signedQrCode": "eyJxciI6MX0",
            "signedCreditNotePdf": PDF_B64})
        self.vms_rto_and_credit_posting(pob, key, erp, ids[1])
        self.sim("GET", f"/orders/{ids[0]}")
        self.rsi()

    def vms_rto_and_credit_posting(self, pob: dict, key: dict, erp: dict, order_id: str) -> None:
        self.api("GET", f"/vms/orders/{order_id}/documents", key)
        self.api("POST", "/vms/manifests", key, {"orderIds": [order_id]})
        self.sim("POST", f"/orders/{order_id}/pickup", {})
        due = self.api("POST", "/vms/returns/rto", key, {"order_id": order_id})["expectation_due_at"]
        self.advance(due - self.sim("GET", "/clock")["now"])
        key.update(self.login(pob, "vms"))
        ret = self.api("GET", "/vms/returns?returnType=RTO", key)["returns"][0]
        items = [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "FAIL", "qcReason": "PART_MISSING",
                  "imageUrls": ["https://img.example.com/qc/1.jpg"]} for i in ret["items"]]
        self.api("POST", f"/vms/returns/{ret['return_order_id']}/qc", key, {"items": items})
        now = self.sim("GET", "/clock")["now"]
        self.call("POST", "/ajio-vms/creditNote/posting", {
            "creditNoteNumber": "CN" + ret["return_order_id"][-8:], "returnOrderId": ret["return_order_id"],
            "irnNumber": "4d5e6f", "signedQrCode": "eyJxciI6Mn0", "ackDate": _zoned(now),
            "creditNotePdfUrl": "https://erp.example.in/credit-notes/CN1.pdf"}, expect=200, headers=erp)

    def rsi(self) -> None:
        pob = self.sim("POST", "/sellers", {"model": "vms", "return_model": "rsi", "catalog_size": 3}, 201)
        key = self.login(pob, "vms")
        erp = {"authUsername": pob["pob_id"], "authPassword": pob["password"]}
        order_id = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 1, "seed": 30}, 201)["order_ids"][0]
        self.api("POST", f"/vms/orders/{order_id}/acknowledge", key, {})
        self.advance(1800)
        key = self.login(pob, "vms")
        po = self.api("GET", f"/vms/orders/{order_id}/po", key)
        now = self.sim("GET", "/clock")["now"]
        self.api("POST", f"/vms/orders/{order_id}/b2bInvoice", key, {
            "invoiceNumber": "INV" + po["forwardPurchaseOrder"][-8:], "invoiceDate": _zoned(now),
            "forwardPurchaseOrder": po["forwardPurchaseOrder"], "isPartialInvoice": False,
            "qrCode": "eyJhbGciOiJSUzI1NiJ9.qr", "irnNumber": "77ff3047f428c7ee8e29954a5bbaa82a2170879db",
            "invoicePdf": PDF_B64})
        self.api("GET", f"/vms/orders/{order_id}/documents", key)
        self.api("POST", "/vms/manifests", key, {"orderIds": [order_id]})
        self.sim("POST", f"/orders/{order_id}/pickup", {})
        rto = self.sim("POST", f"/orders/{order_id}/rto", {}, 201)["return_order_id"]
        self.sim("POST", f"/returns/{rto}/deliver", {})
        ret = self.api("GET", "/vms/returns", key)["returns"][0]
        self.api("POST", f"/vms/returns/{rto}/qc", key, {"items": [
            {"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"} for i in ret["items"]]})
        number = self.sim("POST", "/vms/rsi", {"pob_id": pob["pob_id"], "return_order_ids": [rto]}, 201)["rsiNumber"]
        now = self.sim("GET", "/clock")["now"]
        window = f"rsiDateFrom={quote(_zoned(now - 3600))}&rsiDateTo={quote(_zoned(now + 3600))}"
        self.api("GET", f"/vms/rsi?{window}", key)
        self.call("GET", f"/ajio-vms/rsi?{window}", None, expect=200, headers=erp)
        self.api("POST", f"/vms/rsi/{number}/accept", key, {})
        self.sim("GET", f"/vms/rsi/{number}")

    def vms_erp_dead_letters(self) -> None:
        """A simulated VMS layer releasing a held acknowledgement, and an ERP that never answers: every
        OUTWARD_ORDER_CREATE ends a dead letter, redelivered one by id and then the POB's whole."""
        pob = self.sim("POST", "/sellers", {"model": "vms", "vms_layer": "simulated", "catalog_size": 3,
                                            "erp_url": "http://127.0.0.1:9/erp/postings"}, 201)
        ids = self.sim("POST", "/orders", {"pob_id": pob["pob_id"], "count": 2, "seed": 31}, 201)["order_ids"]
        for order_id in ids:
            self.sim("POST", f"/vms/orders/{order_id}/release-ack", {})
        for _ in range(12):  # MAX_ATTEMPTS attempts, backoff capped at an hour
            self.advance(3600)
            self.sim("POST", "/erp/deliver", {})
        dead = self.sim("GET", f"/erp/dead-letters?pob_id={pob['pob_id']}")["dead_letters"]
        self.sim("POST", f"/erp/postings/{dead[0]['id']}/redeliver", {})
        self.sim("POST", "/erp/redeliver", {"pob_id": pob["pob_id"]})

    def control(self) -> None:
        self.sim("GET", "/health")
        self.sim("GET", "/sellers")
        self.sim("GET", "/journal?limit=1&path=/ds/orders/pendency")
        self.sim("POST", "/clock/freeze", {"frozen": True})
        self.sim("POST", "/clock/set", {"now": self.sim("GET", "/clock")["now"] + 60})
        rule = self.sim("POST", "/faults", {"name": "slow pendency", "match": {"path": "/ds/orders/pendency"},
                                            "effects": [{"kind": "latency", "ms": 0}], "times": 2}, 201)
        self.sim("GET", "/faults")
        self.sim("GET", f"/faults/{rule['id']}")
        self.sim("DELETE", f"/faults/{rule['id']}")
        self.sim("POST", "/faults", {"effects": [{"kind": "status", "status": 503}], "match": {"model": "jit"}}, 201)
        self.sim("DELETE", "/faults")
        self.sim("GET", "/openapi.json")
        self.sim("POST", "/reset", {})

    def run(self) -> dict:
        self.generic_errors()
        self.dropship()
        self.jit()
        self.vms()
        self.vms_erp_dead_letters()
        self.control()
        return self.out


def render(captured: dict) -> str:
    return json.dumps(captured, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    text = render(Capture().run())
    if args[:1] == ["--check"]:
        if not EXAMPLES_FILE.exists() or EXAMPLES_FILE.read_text(encoding="utf-8") != text:
            print(f"{EXAMPLES_FILE} is stale: run `python -m simulator.contract_examples` then "
                  "`python -m contracts.openapi`", file=sys.stderr)
            return 1
        return 0
    EXAMPLES_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {EXAMPLES_FILE}: now run `python -m contracts.openapi`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
