#!/usr/bin/env python3
"""A small Dropship connector that survives AJIO's bad days, with switches for the bugs real ones have.

One run is one sync cycle, as a scheduled connector job: log in, pull pendency, create each new order
in the "ERP" and acknowledge it, keep acknowledged orders on hold until their PO appears, then
invoice, label and manifest them. Its memory (the ERP) is a JSON file kept between runs.

Environment (as `ajio-sim run` starts connectors): AJIO_BASE_URL, AJIO_USERNAME, AJIO_PASSWORD, and
CONNECTOR_STATE (the JSON file). Exit 0 when the cycle finished, 1 when a call failed for good.

Correct behaviour, and the bug switch that breaks each part (one per failure of issue 8):
  - waits the announced Retry-After on 429 ............. --ignore-retry-after retries at once
  - retries a reset, a 5xx or a cut body (AJIO's calls are idempotent), and after a lost
    acknowledgement reads the order back, then and in later cycles  --no-retry gives up on the first
    failure and never looks again
  - creates an order in its ERP once, whatever pendency repeats  --double-process does not check
  - invoices only once the PO is there (the order is on hold until then)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import requests

PARCEL = {"weight_grams": 450, "length_cm": 30, "breadth_cm": 22, "height_cm": 4}


class GaveUp(Exception):
    pass


class Ajio:
    def __init__(self, base: str, username: str, password: str, *, retry: bool, honour_retry_after: bool) -> None:
        self.base, self.username, self.password = base.rstrip("/"), username, password
        self.retry, self.honour = retry, honour_retry_after
        self.session = requests.Session()
        self.token = None

    def login(self) -> None:
        status, body = self.call("POST", "/ds/authToken", {"username": self.username, "password": self.password},
                                 auth=False)
        if status != 200:
            raise GaveUp(f"login failed: {status} {body}")
        self.token = body["result"]["accessToken"]

    def call(self, method: str, path: str, body=None, *, auth: bool = True, ok=(200,)):
        """(status, json) after retries; transport failures and 5xx are retried, 429 waits Retry-After."""
        failures, throttled = 0, 0
        while True:
            try:
                r = self.session.request(method, self.base + path, json=body, timeout=15,
                                         headers={"apiKey": self.token} if auth and self.token else {})
                if r.status_code == 429:
                    throttled += 1
                    if throttled > 20:
                        raise GaveUp(f"{method} {path}: still throttled after {throttled} tries")
                    if self.honour:
                        time.sleep(float(r.headers.get("Retry-After", "1")) + 0.05)
                    continue
                if r.status_code == 401 and auth and failures == 0:
                    failures += 1
                    self.login()
                    continue
                if r.status_code >= 500:
                    raise ValueError(f"server error {r.status_code}")
                return r.status_code, r.json()
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, ValueError) as exc:
                failures += 1
                if not self.retry or failures >= 5:
                    raise GaveUp(f"{method} {path}: {exc}") from exc
                time.sleep(0.02 * failures)


def pendency(ajio: Ajio) -> list[dict]:
    out, page = [], 0
    while True:
        status, body = ajio.call("GET", f"/ds/orders/pendency?size=50&page={page}")
        if status != 200:
            raise GaveUp(f"pendency: {status} {body}")
        out.extend(body["orders"])
        page += 1
        if page >= body["page"]["totalPages"]:
            return out


def read_order(ajio: Ajio, order_id: str) -> dict:
    status, body = ajio.call("GET", f"/ds/orders?orderIds={order_id}")
    if status != 200:
        raise GaveUp(f"order {order_id}: {status} {body}")
    return body["orders"][0]


def cycle(ajio: Ajio, erp: dict, double_process: bool) -> None:
    ajio.login()
    for order in pendency(ajio):
        order_id = order["order_id"]
        if order_id in erp["orders"] and not double_process:
            continue  # pendency showed it again: already in the ERP
        erp["events"].append({"event": "erp_order_created", "order_id": order_id})
        erp["orders"][order_id] = {"stage": "new"}
        try:
            status, body = ajio.call("POST", "/ds/orders", {"order_id": order_id, "status": "Acknowledge",
                                                           "order_lines": []})
        except GaveUp as exc:
            if not ajio.retry:
                raise
            status, body = None, str(exc)
        if status != 200:
            # The answer was lost or refused: AJIO may have applied it anyway, so read the order back.
            if read_order(ajio, order_id)["status"] == "CREATED":
                raise GaveUp(f"acknowledge {order_id}: {status} {body}")
        erp["orders"][order_id]["stage"] = "acknowledged"
    if ajio.retry:
        # An acknowledgement a past cycle could not confirm: the order may have left pendency anyway.
        for order_id, rec in erp["orders"].items():
            if rec["stage"] == "new" and read_order(ajio, order_id)["status"] != "CREATED":
                rec["stage"] = "acknowledged"
    to_dispatch = []
    for order_id, rec in erp["orders"].items():
        if rec["stage"] in ("acknowledged", "on_hold"):
            order = read_order(ajio, order_id)
            if not order.get("po_number"):
                rec["stage"] = "on_hold"
                continue
            status, invoice = ajio.call("POST", f"/ds/orders/{order_id}/invoice", {})
            if status != 200:
                raise GaveUp(f"invoice {order_id}: {status} {invoice}")
            status, label = ajio.call("POST", f"/ds/orders/{order_id}/label", PARCEL)
            if status != 200:
                raise GaveUp(f"label {order_id}: {status} {label}")
            rec.update(stage="packed", invoice_number=invoice["invoice_number"], awb=label["tracking_number"],
                       carrier=label["carrier"])
        if rec["stage"] == "packed":
            to_dispatch.append({"masterAWB": rec["awb"], "orderId": order_id, "invoiceNo": rec["invoice_number"]})
    by_carrier: dict[str, list[dict]] = {}
    for item in to_dispatch:  # a manifest is handed to one courier: one per carrier
        by_carrier.setdefault(erp["orders"][item["orderId"]].get("carrier", ""), []).append(item)
    for items in by_carrier.values():
        status, manifest = ajio.call("POST", "/ds/orders/dispatch", {"dispatchItems": items})
        if status != 200:
            raise GaveUp(f"dispatch: {status} {manifest}")
        for item in items:
            erp["orders"][item["orderId"]].update(stage="dispatched", manifest_id=manifest["manifest_id"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ignore-retry-after", action="store_true", help="bug: retry a 429 at once")
    parser.add_argument("--no-retry", action="store_true", help="bug: give up on the first failed call")
    parser.add_argument("--double-process", action="store_true", help="bug: no check for orders already in the ERP")
    args = parser.parse_args(argv)
    state = Path(os.environ["CONNECTOR_STATE"])
    erp = json.loads(state.read_text()) if state.exists() else {"orders": {}, "events": []}
    ajio = Ajio(os.environ["AJIO_BASE_URL"], os.environ["AJIO_USERNAME"], os.environ["AJIO_PASSWORD"],
                retry=not args.no_retry, honour_retry_after=not args.ignore_retry_after)
    try:
        cycle(ajio, erp, args.double_process)
        code = 0
    except GaveUp as exc:
        print(f"connector gave up: {exc}", file=sys.stderr)
        code = 1
    state.write_text(json.dumps(erp, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
