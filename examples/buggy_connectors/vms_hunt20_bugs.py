"""The twentieth blind VMS hunt: three bugs of a VMS integration layer, each a small subclass of the reference.

Designed from the rulebook alone (contracts/rules), before reading the scenario catalogue:

- QcOncePerOrder (VMS-QC-PASS-FAIL): the QC record is kept per forward order (seed 002: a return expectation
  comes "against a Forward order number"), so a second return of an order whose first return was QC'd is taken
  as QC'd already and never shared: the too-little side of the returns flow, revealed by a customer returning
  an order's remaining units some days after the first ones (lawful: RETURN-AGAINST-FORWARD-ORDER).
- SessionDroppedOn404 (AUTH-LOGIN-SPARINGLY): the client drops its token on a 404 as well as a 401 (a gateway that
  hides an expired token behind 404), so every PO still lagging (404 NOT_YET) costs a login at the next call: the
  too-much side of logins, revealed by an ordinary PO lag across a few syncs.
- RetryAfterOn429Only (API-RETRY-TRANSIENT): Retry-After is honoured on a 429 only; a 503 that announces one is
  retried on the client's own short backoff, sooner than AJIO asked: the too-much side of retries.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import log
from vms_connector import VmsConnector


class QcOncePerOrder(VmsConnector):
    """A return whose forward order already had a return QC'd (or closed) here is taken as QC'd: the layer's QC
    record is keyed by the forward order, not by the return order."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if any(other["order_id"] == ret["order_id"] and other["stage"] != "expected"
               for key, other in self.state.returns.items() if key != ret["return_order_id"]):
            mine["stage"] = "checked"
            log(f"QC of {ret['return_order_id']}: order {ret['order_id']} is QC'd already")
            return
        super().quality_check(ret, mine)


class SessionDroppedOn404Client(AjioClient):
    """A 404 (or 403) answer is taken for a token AJIO no longer knows: the token is dropped, the next call logs in."""

    def _send(self, method, url, kwargs, *, auth=True, parse=True, headers=None):
        try:
            return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)
        except AjioError as exc:
            if auth and exc.status in (403, 404):
                self.token = None
            raise


class SessionDroppedOn404(VmsConnector):
    client_class = SessionDroppedOn404Client


class RetryAfterOn429OnlyClient(AjioClient):
    """Retry-After read on a 429 only: a 5xx is retried on the client's own backoff whatever AJIO announced."""

    def retry_wait(self, response, attempt):
        if response.status_code == 429:
            return super().retry_wait(response, attempt)
        return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)


class RetryAfterOn429Only(VmsConnector):
    client_class = RetryAfterOn429OnlyClient
