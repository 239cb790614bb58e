"""Bugs of the twentieth blind hunt, JIT model: each a small subclass of the reference JIT connector (or of its
client), the diff against the reference being the bug (buggy.py registers them under names starting jit_h20_).

- jit_h20_recon_fixes_overstated_only (JIT-INVENTORY-RECONCILE): the daily reconciliation corrects only SKUs AJIO
  shows more of than the warehouse holds (the oversell guard); a SKU AJIO shows fewer of stays understated.
- jit_h20_post_reset_not_retried (API-RETRY-TRANSIENT): a write (POST, PUT) that got no usable answer (a reset
  connection, a cut body) is not retried in the sync, "it may have been applied"; the next sync will see.
- jit_h20_throttle_hold_forgotten (API-THROTTLE-RETRY-AFTER): a Retry-After too long to wait in the sync ends that
  call's attempts but is not remembered: the sync's other calls (and a daemon's next sync) go out at once.
- jit_h20_backorders_only_with_new_pos (JIT-BACKORDER-PULL): the back-order pull is skipped in a sync whose pendency
  listed no PO ("nothing new, no new demand"), though POs invoiced and not packed yet still make demand.
- jit_h20_reissue_prepack_only (JIT-PACK-MATCHES-INVOICE): a shortfall found at pack time re-issues the invoice only
  for a prepacked PO; a PO invoiced by an earlier sync that could not pack it is packed against its old invoice.
- jit_h20_relogin_on_server_error (AUTH-LOGIN-SPARINGLY): a 5xx or a 429 drops the token, and the retry logs in
  again first ("the session may be bad").
"""
from __future__ import annotations

from ajio_client import AjioClient
from connector import log
from jit_connector import JitConnector


class ReconFixesOverstatedOnly(JitConnector):
    """JIT-INVENTORY-RECONCILE: only drift that could oversell (AJIO above the warehouse, or no row) is pushed."""

    def reconcile_inventory(self) -> None:
        if not self.warehouse.settings.get("inventory_recon", True) or self.state.extra.get("reconciled") == self.today():
            return
        view = {row["sku"]: row["quantity"] for row in self.client.get("/inventory")["inventory"]}
        # BUG: AJIO showing fewer units than the warehouse holds is left as it is (only oversell is corrected).
        drifted = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if view.get(sku) is None or view[sku] > self.warehouse.available(sku)]
        for start in range(0, len(drifted), self.INVENTORY_BATCH):
            self.push_inventory_batch(drifted[start:start + self.INVENTORY_BATCH])
        self.state.extra["reconciled"] = self.today()
        log(f"reconciliation: {len(drifted)} SKU(s) had drifted on AJIO")


class NoTransportRetryOnWrites(AjioClient):
    def _send(self, method, url, kwargs, *, auth=True, parse=True, headers=None):
        # BUG: a write that got no usable answer "may have been applied": not retried (logins still are).
        self.TRANSPORT_RETRIES = 0 if (method != "GET" and auth) else AjioClient.TRANSPORT_RETRIES
        return super()._send(method, url, kwargs, auth=auth, parse=parse, headers=headers)


class PostResetNotRetried(JitConnector):
    """API-RETRY-TRANSIENT: transport failures of writes are left to the next sync."""
    client_class = NoTransportRetryOnWrites


class ForgetsThrottleHold(AjioClient):
    # BUG: the hold of a long Retry-After is never kept: the next call goes out at once.
    @property
    def blocked_until(self) -> float:
        return 0.0

    @blocked_until.setter
    def blocked_until(self, value: float) -> None:
        pass


class ThrottleHoldForgotten(JitConnector):
    """API-THROTTLE-RETRY-AFTER: a Retry-After longer than a sync waits is forgotten by the next call."""
    client_class = ForgetsThrottleHold


class BackordersOnlyWithNewPos(JitConnector):
    """JIT-BACKORDER-PULL: no back-order pull in a sync whose pendency was empty."""

    def pending_pos(self) -> list[dict]:
        pos = super().pending_pos()
        self.pendency_listed = bool(pos)
        return pos

    def pull_backorders(self) -> None:
        if not getattr(self, "pendency_listed", False):  # BUG: "no new PO, no new demand"
            return
        super().pull_backorders()


class ReissuePrepackOnly(JitConnector):
    """JIT-PACK-MATCHES-INVOICE: the pack-time re-issue is thought of for the prepack flow only."""

    def reissue_after_shortfall(self, mine: dict) -> bool:
        # BUG: "an invoiced PO was cancelled short before its invoice": only a prepacked one is re-issued.
        return mine["stage"] == "picking"


class ReloginOnErrorClient(AjioClient):
    def retry_wait(self, response, attempt):
        self.token = None  # BUG: a 5xx or a 429 "may mean a bad session": the retry logs in again first
        return super().retry_wait(response, attempt)


class ReloginOnServerError(JitConnector):
    """AUTH-LOGIN-SPARINGLY: every retried 5xx or 429 costs a login."""
    client_class = ReloginOnErrorClient
