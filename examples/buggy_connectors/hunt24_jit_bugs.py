"""Blind hunt 24, JIT: six bugs a connector team ships under time pressure, each the reference with one change.

Designed from the rulebook (contracts/rules/*.yaml), docs/jit.md and the reference connector only, before reading
the scenario catalogue. Registered in buggy.py under `jit_h24_*`; the rule each breaks is named in its docstring.
"""
from __future__ import annotations

from ajio_client import AjioClient
from connector import log
from jit_connector import RETURNS_LOOKBACK_S, JitConnector


class PushCommittedAfterAllBatches(JitConnector):
    """JIT-INVENTORY-PUSH (only what changed): the push's batches are sent in turn, but what AJIO now holds is noted
    only once every batch went through ("commit the push at the end"). A later batch that fails (AJIO down past the
    retries, a long Retry-After) leaves the batches AJIO did take unnoted: the next sync pushes those SKUs again,
    unchanged, with the ones still owed."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        for start in range(0, len(changed), self.INVENTORY_BATCH):
            self.client.post("/inventory", {"inventory": changed[start:start + self.INVENTORY_BATCH]})
        self.state.inventory.update({line["sku"]: line["quantity"] for line in changed})
        log(f"inventory: {len(changed)} SKU(s) pushed")


class ManifestWaitsForWave(JitConnector):
    """JIT-MANIFEST-DOCUMENT (packed POs are manifested): the manifest is made once the pick wave is over, i.e. only
    when no PO is still invoiced or being picked. While another PO waits for its pick (prepack: one sync at least)
    or its pack keeps failing, the POs already packed are not handed to the courier."""

    def manifest(self) -> None:
        waiting = self.state.in_stage("invoiced", "picking")
        if waiting:
            log(f"manifest waits for the wave: {len(waiting)} PO(s) still being picked")
            return
        super().manifest()


class RetryAfterOn429Only(AjioClient):
    """Retry-After is read on a 429 only; a 5xx is retried on the client's own backoff, whatever AJIO announced."""

    def retry_wait(self, response, attempt: int) -> float | None:
        if response.status_code == 429:
            return super().retry_wait(response, attempt)
        return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)


class FiveXXRetryAfterIgnored(JitConnector):
    """API-RETRY-TRANSIENT (never hammered): a 503 carrying Retry-After is retried after 0.2 s, 0.4 s..., sooner
    than AJIO asked."""

    client_class = RetryAfterOn429Only


class CancelsAfterPack(JitConnector):
    """JIT-SELLER-CANCEL-UNTIL-PACKED (until it is packed): every sync re-checks the stock of the POs packed by an
    earlier sync and not yet dispatched ("cancel what we cannot ship before the courier comes"), and seller-cancels
    the lines the warehouse can no longer cover, which AJIO refuses once a PO is packed."""

    def sync(self) -> None:
        self.packed_ids: set[str] = set()
        super().sync()

    def pack(self, po_id: str, mine: dict) -> None:
        super().pack(po_id, mine)
        self.packed_ids.add(po_id)

    def pack_picked(self) -> None:
        super().pack_picked()
        for po_id in self.state.in_stage("packed", "manifested"):
            mine = self.state.orders[po_id]
            if po_id in self.packed_ids or not mine.get("lines"):
                continue
            try:
                lines = self.cancel_shortfall(po_id, mine["lines"], "recheck")
            except Exception as exc:  # noqa: BLE001 (AjioError: refused, tried again next sync)
                self.errors += 1
                log(f"{po_id}: {exc}")
                continue
            mine["lines"] = lines


class OwedDocumentsOfOpenPOsOnly(JitConnector):
    """JIT-MANIFEST-DOCUMENT (the connector fetches the manifest document): documents a sync could not download
    are fetched again at the next one, but only for the POs still in the warehouse's hands (new to packed). The
    manifest's PDF is owed by a manifested PO: when its download failed past the retries it is never fetched."""

    def fetch_owed_documents(self) -> None:
        for key, mine in list(self.state.orders.items()):
            if mine.get("stage") not in ("new", "invoiced", "picking", "packed") or not mine.get("documents_owed"):
                continue
            try:
                self.fetch_owed(mine)
            except Exception as exc:  # noqa: BLE001 (AjioError)
                self.errors += 1
                log(f"{key}: documents still owed: {exc}")


class ReturnsLast24hOnly(JitConnector):
    """JIT-RETURNS-CONFIRMED (returns are pulled): after the first pull (a month back), each pull reads the last 24
    hours ("a daily job reads a day"). A connector that did not run for more than a day (a weekend, an outage)
    never reads the returns raised early in that gap."""

    def returns_since(self, now: int) -> int:
        if "returns_pulled_at" not in self.state.extra:
            return now - RETURNS_LOOKBACK_S - 86400
        return now - 86400
