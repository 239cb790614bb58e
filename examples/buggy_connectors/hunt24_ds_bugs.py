"""Blind bug hunt 24, Dropship: six bugs of real connectors, each the reference with one change.

Each class names the rule it breaks and the lawful situation that shows it (docs: buggy.py's docstring).
"""
from __future__ import annotations

import calendar
import time

from ajio_client import TRANSIENT, AjioClient, AjioError, AjioUnreachable
from connector import PARCEL, Connector


class _LoginWithFixedPauseClient(AjioClient):
    """The login is its own small loop (written apart from the client's call path, as an auth helper often is):
    a throttled (429) or failing login is tried again after a fixed half second, Retry-After never read."""

    LOGIN_TRIES = 5
    LOGIN_PAUSE_S = 0.5

    def login(self) -> None:
        url = f"{self.base_url}/{self.model}/authToken"
        body = {"username": self.username, "password": self.password}
        problem: Exception | None = None
        for _ in range(self.LOGIN_TRIES):
            try:
                r = self.http.request("POST", url, json=body, timeout=60)
            except TRANSIENT as exc:
                problem = exc
                time.sleep(self.LOGIN_PAUSE_S)
                continue
            if r.status_code == 429 or r.status_code >= 500:
                problem = AjioError(r)
                time.sleep(self.LOGIN_PAUSE_S)   # the bug: Retry-After is not read
                continue
            if not r.ok:
                raise AjioError(r)
            self.token = r.json()["result"]["accessToken"]
            self.token_at = time.monotonic()
            self.logins += 1
            return
        if isinstance(problem, AjioError):
            raise problem
        raise AjioUnreachable("POST", url, problem or RuntimeError("login failed"))


class LoginThrottleFixedPause(Connector):
    """API-THROTTLE-RETRY-AFTER. A throttled login (AJIO's auth bucket is small: a dozen logins a minute) is sent
    again half a second later whatever its Retry-After says: AJIO counts each early login against the POB, and a
    strict throttle refuses it again, restarting the wait."""

    client_class = _LoginWithFixedPauseClient


class ReturnsWindowFromDayStrings(Connector):
    """DS-RETURN-SYNC. The return dates are kept as the ERP shows them, "dd-mm-yyyy" strings, and the returns
    window starts at the smallest of those strings: across a month's end (an open return of 30 November, another
    of 2 December) "02-12-2026" sorts before "30-11-2026", so the window starts on 2 December and the older
    return, still open, is never read again: never put away, never credited."""

    @staticmethod
    def day(ts: int) -> str:
        return time.strftime("%d-%m-%Y", time.gmtime(ts))

    def returns_window(self) -> dict:
        dates = [self.day(r["return_date"]) for r in self.state.returns.values() if isinstance(r.get("return_date"), int)]
        if not dates:
            return {}
        still_open = [self.day(r["return_date"]) for r in self.state.returns.values()
                      if isinstance(r.get("return_date"), int) and r["stage"] in ("seen", "put_away")]
        chosen = min(still_open) if still_open else max(dates)   # the bug: strings, day first, compared as text
        return {"fromDate": calendar.timegm(time.strptime(chosen, "%d-%m-%Y"))}


class GoodReturnsAddedToStock(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE. Units put away GOOD are kept in a ledger of "restocked" units and added to
    the warehouse's count at every later push, as if the warehouse's count did not hold them: AJIO shows more
    than the warehouse can sell (and AJIO's own count already moved up with the putaway, so nothing brings it
    back)."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        super().quality_check(ret, mine)
        if mine.get("qc_code") != "GOOD":
            return
        ledger = self.state.meta.setdefault("restocked", {})
        for item in ret["return_order_items"]:
            units = item["return_quantity"] - item["cancelled_return_quantity"]
            sku = (item.get("item_details") or {}).get("item_code")
            if sku and units > 0:
                ledger[sku] = ledger.get(sku, 0) + units

    def stock_changes(self) -> list[dict]:
        ledger = self.state.meta.get("restocked", {})
        changed = []
        for product in self.client.pages("/products", "products"):
            sku = product[self.PRODUCT_SKU]
            quantity = self.warehouse.available(sku) + ledger.get(sku, 0)   # the bug: the returns counted twice
            shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
            if shown != quantity:
                changed.append({"sku": sku, "quantity": quantity})
        return changed


class ListingMappedOnce(Connector):
    """DS-INVENTORY-REFLECTS-WAREHOUSE. The SKUs of AJIO's listing are mapped at the first sync (onboarding) and
    only those are pushed afterwards: a product the seller lists later (a new catalogue line) is read in the
    listing at every sync but never gets the warehouse's count."""

    def stock_changes(self) -> list[dict]:
        mapped = self.state.extra.get("mapped_skus")
        seen, changed = [], []
        for product in self.client.pages("/products", "products"):
            sku = product[self.PRODUCT_SKU]
            seen.append(sku)
            if mapped is not None and sku not in mapped:
                continue   # the bug: not mapped at onboarding
            quantity = self.warehouse.available(sku)
            shown = product["quantity"] if "quantity" in product else self.state.inventory.get(sku)
            if shown != quantity:
                changed.append({"sku": sku, "quantity": quantity})
        if mapped is None:
            self.state.extra["mapped_skus"] = seen
        return changed


class FullPushAfterCrash(Connector):
    """DS-INVENTORY-CHANGED-ONLY. A sync marks itself running in the state; a run that finds the mark (the last
    one died: a kill, an OOM, a reboot) "recovers" by pushing the warehouse's count of every listed SKU, changed
    or not, instead of the changes only."""

    def sync(self) -> None:
        self.after_crash = bool(self.state.meta.get("sync_running"))
        self.state.meta["sync_running"] = True
        self.state.save()
        super().sync()
        self.state.meta["sync_running"] = False
        self.state.save()

    def stock_changes(self) -> list[dict]:
        if not getattr(self, "after_crash", False):
            return super().stock_changes()
        return [{"sku": p[self.PRODUCT_SKU], "quantity": self.warehouse.available(p[self.PRODUCT_SKU])}
                for p in self.client.pages("/products", "products")]   # the bug: every SKU, as a recovery


class LabelPerLine(Connector):
    """DS-NO-ORDER-SPLIT. The warehouse packs each order line in its own box, and the connector asks a label per
    box (weight and height by the line's units): an order of two lines gets a second label call with other
    dimensions, which AJIO refuses (one order, one parcel, one AWB); the order is never handed over."""

    def label(self, order_id: str, mine: dict) -> None:
        first = None
        for line in [l for l in mine.get("lines", []) if l["quantity"] > 0] or [{"quantity": 1}]:
            parcel = dict(PARCEL, weight_grams=PARCEL["weight_grams"] * line["quantity"],
                          height_cm=PARCEL["height_cm"] * line["quantity"])
            answer = self.client.post(f"/orders/{order_id}/label", parcel)
            first = first or answer
        mine.update(stage="packed", awb=first["tracking_number"], carrier=first["carrier"])
        self.owe_documents(mine, (first["label_pdf_url"], "label"), (first["b2c_invoice_pdf_url"], "B2C invoice"))
