"""Bugs of the nineteenth blind hunt, JIT model: each a small subclass of the reference JIT connector (or of its
client), the diff against the reference being the bug (buggy.py registers them under names starting jit_h19_).

- jit_h19_cut_body_not_retried (API-RETRY-TRANSIENT): a 2xx whose body is cut, empty or malformed is taken for a
  failure at once (the client's retries cover resets and 5xx only; JSON is parsed after them).
- jit_h19_retries_refusals (API-CHANGE-SENT-ONCE): a call AJIO refused (a 4xx other than 401/429) is sent again,
  like a 5xx, a few times with backoff ("retry on any error").
- jit_h19_daemon_logs_in_each_sync (AUTH-LOGIN-SPARINGLY): the daemon opens a fresh session at every sync, so it
  logs in every poll although its token is still valid.
- jit_h19_recon_day_as_text (JIT-INVENTORY-RECONCILE): the day of the last reconciliation is kept as the back office
  shows it (dd-mm-yyyy) and compared as text ("already done today, or the clock went back"): from the 1st of a
  month the day looks earlier than the last one, and the daily reconciliation stops until the day of the month
  catches up.
- jit_h19_new_sku_baseline (JIT-INVENTORY-PUSH): after the first (onboarding) push, a SKU first seen in a later SKU
  pull (approved since, or whose first push failed) is recorded at its current count without being pushed: only
  changes from then on are pushed.
- jit_h19_cancels_line_total (JIT-PO-PROCESSED): the cancel quantity is taken for the line's cancelled total (as
  AJIO's `cancelled_quantity` is), so a second shortfall on a line re-sends the first one inside it and cancels
  units the warehouse has.
"""
from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime

from ajio_client import AjioClient, AjioError, AjioUnreachable
from connector import item_refused, log
from jit_connector import IST, JitConnector


# -- client: transient failures and refusals --------------------------------------------------------------------
class CutBodyNotRetriedClient(AjioClient):
    def request(self, method, path, *, json=None, params=None, raw=False, headers=None):
        url = path if path.startswith("http") else f"{self.base_url}/{self.model}{path}"
        # BUG: the answer is parsed after the retries (which only see resets and 5xx): a cut, empty or malformed
        # 200 is a failure at once, the call left for the next sync.
        r = self._send(method, url, {"json": json, "params": params}, parse=False, headers=headers)
        if raw:
            return r.content
        try:
            return r.json()
        except ValueError as exc:
            raise AjioUnreachable(method, url, exc) from exc


class CutBodyNotRetried(JitConnector):
    client_class = CutBodyNotRetriedClient


class RetriesRefusalsClient(AjioClient):
    def _send(self, method, url, kwargs, *, auth=True, parse=True, headers=None):
        attempt = 0
        while True:
            try:
                return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)
            except AjioError as exc:
                # BUG: "retry on any error": a refusal (400, 404, 409) is sent again like a 5xx.
                if attempt >= self.RETRIES or not item_refused(exc):
                    raise
                time.sleep(self.transport_wait(attempt))
                attempt += 1


class RetriesRefusals(JitConnector):
    client_class = RetriesRefusalsClient


# -- daemon: a session per sync ------------------------------------------------------------------------------
class DaemonLogsInEachSync(JitConnector):
    def sync(self) -> None:
        self.client.token = None  # BUG: a fresh session every cycle: a login at every poll, the token still valid
        super().sync()


# -- inventory ------------------------------------------------------------------------------------------------
class ReconDayAsText(JitConnector):
    def today(self) -> str:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        return datetime.fromtimestamp(now, IST).strftime("%d-%m-%Y")  # as the back office shows dates

    def reconcile_inventory(self) -> None:
        last = self.state.extra.get("reconciled")
        # BUG: dd-mm-yyyy compared as text: "01-12-2026" < "30-11-2026", so the 1st looks already reconciled.
        if last is not None and last >= self.today():
            return
        super().reconcile_inventory()


class NewSkuBaseline(JitConnector):
    def push_inventory(self) -> None:
        if self.state.inventory:  # onboarded (the first sync pushed every SKU): from now on, changes only
            for sku in self.pulled_skus():
                # BUG: a SKU first seen now is recorded at its count without a push (it "has not changed").
                self.state.inventory.setdefault(sku, self.warehouse.available(sku))
        super().push_inventory()


# -- orders ---------------------------------------------------------------------------------------------------
class CancelsLineTotal(JitConnector):
    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        self.picking_for = po_id
        short = {line["order_item_id"]: line["open"] - self.picked(line)
                 for line in lines if line["open"] > self.picked(line)}
        if not short:
            return lines
        done = self.state.orders[po_id].setdefault("cancelled", {})
        # BUG: the line's cancelled total (what was cancelled before plus the new shortfall), as if absolute.
        send = [{"order_item_id": item, "quantity": done.get(item, 0) + qty} for item, qty in short.items()]
        basis = [(line["order_item_id"], line["open"]) for line in lines] + [(s["order_item_id"], s["quantity"])
                                                                             for s in send]
        digest = hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:12]
        answer = self.client.post(f"/orders/{po_id}/cancel", {"lines": send},
                                  headers={"Idempotency-Key": f"{po_id}-{moment}-{digest}"})
        for item, qty in short.items():
            done[item] = done.get(item, 0) + qty
        log(f"PO {po_id}: cancelled {sum(short.values())} unit(s) the warehouse lacks")
        left = {line["order_item_id"]: line["open_quantity"] for line in answer["order_lines"]}
        return [{**line, "open": left[line["order_item_id"]]} for line in lines]
