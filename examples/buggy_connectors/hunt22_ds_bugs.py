"""Blind bug hunt 22, Dropship: six bugs of real connectors, each the reference with one change.

Each class names the rule it breaks and the lawful situation that shows it (docs: buggy.py's docstring).
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError, Response
from connector import Connector, item_refused, log


# -- 1. AUTH-LOGIN-SPARINGLY: a 403 taken for a token problem ------------------------------------
class ReloginOn403Client(AjioClient):
    """Many HTTP clients treat 401 and 403 alike ("not authorised: log in again"). A label AJIO refuses with
    403 (the POB has no shipping-API access, DS-SHIPPING-API-ACCESS) costs a fresh login and a second label
    call, at every sync until AJIO's account manager enables the access."""

    def _send(self, method: str, url: str, kwargs: dict, *, auth: bool = True,
              parse: bool = True, headers: dict | None = None) -> Response:
        try:
            return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)
        except AjioError as exc:
            if exc.status != 403 or not auth:
                raise
            self.login()  # the bug: a refusal of the call is no refusal of the token
            return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)


class ReloginOn403(Connector):
    client_class = ReloginOn403Client


# -- 2. DS-INVENTORY-CHANGED-ONLY: AJIO's listing unreadable, the whole stock pushed -----------------
class FullPushWhenListingFails(Connector):
    """When AJIO's product listing cannot be read (AJIO down past the retries), the connector "plays safe" and
    pushes every SKU it knows (its last pushes and the warehouse's file) instead of leaving the push to the next
    sync: unchanged SKUs are pushed again, and SKUs of the warehouse AJIO does not list are sent."""

    def stock_changes(self) -> list[dict]:
        try:
            return super().stock_changes()
        except AjioError as exc:
            if item_refused(exc):
                raise
            skus = sorted(set(self.state.inventory) | set(self.warehouse.stock))
            log(f"product listing unreadable ({exc}): pushing all {len(skus)} SKU(s) known")
            return [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in skus]


# -- 3. API-RETRY-TRANSIENT: a gateway's 502/504 on a write never retried -------------------------
class GatewayWritesNotRetriedClient(AjioClient):
    """"A 502/504 comes from the gateway: AJIO may have applied the call, so a write is not sent again" (a fear
    of double processing, though AJIO answers an identical repeat with its first result). The write is
    abandoned at its first failure; only the next sync tries again."""

    def retry_wait(self, response: Response, attempt: int) -> float | None:
        if response.status_code in (502, 504) and response.request.method != "GET":
            return None
        return super().retry_wait(response, attempt)


class GatewayWritesNotRetried(Connector):
    client_class = GatewayWritesNotRetriedClient


# -- 4. AUTH-TOKEN-30-MIN: the call that met the expiry repeated with the expired token ---------------
class StaleTokenAfterReloginClient(AjioClient):
    """The apiKey header is built once per call, before its attempts: on a 401 the client logs in again but
    repeats the call with the token AJIO just refused, gets 401 again and gives the call up. A daemon whose
    token expired between two syncs loses the first call of the sync (and its phase) every time."""

    def headers_of_call(self, headers: dict | None, auth: bool):
        built = super().headers_of_call(headers, auth)()  # the bug: built once, before the first attempt
        return lambda: built


class StaleTokenAfterRelogin(Connector):
    client_class = StaleTokenAfterReloginClient


# -- 5. API-RETRY-TRANSIENT: a sync with errors run again at once ---------------------------------
class SyncRerunOnError(Connector):
    """A sync that logged errors is run again at once ("AJIO hiccuped: try the whole sync again"), twice more:
    while AJIO is down every call is hammered again right after its retries gave up, and every read is made
    three times over."""

    RERUNS = 2

    def sync(self) -> None:
        for attempt in range(1 + self.RERUNS):
            before = self.errors
            super().sync()
            if self.errors == before:
                return
            log(f"sync ended with {self.errors - before} error(s): running it again at once")


# -- 6. DS-CIR-PUTAWAY: returns of orders this connector did not process left alone ------------------
class ReturnsOfOwnOrdersOnly(Connector):
    """Returns are matched to the connector's own orders: a return of an order it never held (orders shipped
    before it went live, by the integrator it replaced, or by a state restored from an older backup) is never
    put away, though AJIO lists it arrived at the warehouse."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if not self.state.holds(ret["order_id"]):
            log(f"return {ret['return_order_id']}: order {ret['order_id']} is not ours: skipped")
            return
        super().quality_check(ret, mine)
