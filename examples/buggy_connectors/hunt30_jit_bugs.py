"""The thirtieth blind JIT hunt's bugs: what an integrator's team shipping a JIT connector under time pressure gets
wrong about the rules, designed from the rulebook and the reference alone (registered in buggy.py as jit_h30_*).

Each is a small subclass of the reference (or of its client) overriding the one method or hook the bug lives in.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import log
from hunt29_jit_bugs import Reconciling
from jit_connector import JitConnector


# -- API-RETRY-TRANSIENT: a gateway's 502/504 taken as final ---------------------------------------------------
class GatewayErrorsFinalClient(AjioClient):
    """Retries 500 and 503 (and 429) but takes a 502 Bad Gateway or 504 Gateway Timeout as AJIO's final word: a
    status list written as "the server's errors" (500, 503) with the gateway's left out ("a 504 may have been done
    already, do not send it again"). The call is abandoned at the first failure; the next sync sends it."""

    def may_retry(self, method, failure, attempt, limit):
        if getattr(failure, "status_code", None) in (502, 504):
            return False
        return super().may_retry(method, failure, attempt, limit)


class GatewayErrorsFinal(JitConnector):
    client_class = GatewayErrorsFinalClient


# -- JIT-INVENTORY-RECONCILE: the day's reconciliation counted only when it corrected something ------------------
class ReconStampedOnlyOnDrift(JitConnector):
    """The day's reconciliation is stamped done only when it found a drift and pushed it: on a day AJIO's view
    agrees with the warehouse, AJIO's whole view is read again at every sync ("nothing reconciled yet")."""

    def reconcile_inventory(self) -> None:
        before = self.state.extra.get("reconciled")
        writes = self.client.writes
        super().reconcile_inventory()
        if self.client.writes == writes:  # nothing pushed: not counted as the day's reconciliation
            if before is None:
                self.state.extra.pop("reconciled", None)
            else:
                self.state.extra["reconciled"] = before


# -- JIT-INVENTORY-RECONCILE: a sold-out SKU's drift never corrected -----------------------------------------------
class ReconInStockSkusOnly(Reconciling):
    """The reconciliation walks the SKUs the warehouse holds units of (its stock report's rows with a count): a SKU
    that ran out, which AJIO's view shows with units (drift), is never set back to 0, and AJIO goes on ordering it."""


    def pulled_skus(self) -> list[str]:
        skus = super().pulled_skus()
        if getattr(self, "_reconciling", False):
            return [sku for sku in skus if self.warehouse.available(sku) > 0]
        return skus


# -- API-CHANGE-SENT-ONCE: a prefetch whose label PDF failed is prefetched again ----------------------------------
class PrepackResentAfterLabelFailure(JitConnector):
    """The prefetch (prepack) is taken as one step with its documents: when a prefetched label's (or the invoice's)
    PDF cannot be downloaded, the PO goes back to "not prefetched" and the next sync sends the prepack again (AJIO
    took it: it answers the repeat with the same labels), downloading every document of it again."""

    def prepack(self, po_id: str, mine: dict) -> None:
        try:
            super().prepack(po_id, mine)
        except AjioError:
            if mine.get("stage") == "picking" and mine.get("documents_owed"):
                for key in ("documents_owed", "labels", "invoice_number"):
                    mine.pop(key, None)
                mine["stage"] = "new"
                self.reserving.pop(po_id, None)
                log(f"PO {po_id}: prefetch incomplete, prefetched again at the next sync")
            raise


# -- AUTH-TOKEN-30-MIN: one re-login for the client's whole life ---------------------------------------------------
class OneReloginClient(AjioClient):
    """The guard against a re-login loop is kept on the client, not on the call: after its first re-login, a later
    expired token's 401 is raised as an error. A process per sync never sees it twice; a daemon whose token
    expires a second time fails every call from then on."""

    def login(self) -> None:
        if self.token is not None:  # a re-login (a fresh client has no token yet)
            self.RELOGIN_ON_401 = False
        super().login()


class ReloginOncePerClient(JitConnector):
    client_class = OneReloginClient


# -- JIT-PO-PROCESSED: a PO started once is never started again while pendency lists it ----------------------------
class StartedPoSkipped(JitConnector):
    """A PO an earlier run started (noted before its first call) is taken as in progress and left alone while
    pendency still lists it (a dedup on "imported" rather than on "done"): one whose first attempt failed (the
    cancellation or the invoice down past the retries, a crash before AJIO took anything) stays in pendency for
    good, never invoiced nor cancelled."""

    def start_po(self, po: dict) -> None:
        mine = self.state.orders.get(po["order_id"]) or {}
        if po.get("status") != "INVOICED" and mine.get("started") and mine["started"] != self.sync_id:
            log(f"PO {po['order_id']}: already imported, left to the run that started it")
            return
        super().start_po(po)
