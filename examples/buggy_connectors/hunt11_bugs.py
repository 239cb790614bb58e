"""Bugs of the eleventh blind Dropship/JIT hunt that the catalogue caught only under another rule: each class is the
reference with ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from ajio_client import AjioError
from connector import Connector, log
from jit_connector import JitConnector


class DsDocumentRetriesInMemory(Connector):
    """DS-INVOICE-PDF-FETCHED: a PDF download that fails goes to an in-process retry queue (not the state file) and
    the order moves on; a run that ends (one-shot runs, a restarted daemon) loses the queue, so the B2B invoice,
    label or manifest PDF whose download failed is never kept."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.retry_queue: list[tuple[str, str]] = []

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        for url, kind in documents:
            try:
                self.keep_document(url, kind)
            except AjioError as exc:
                self.errors += 1
                log(f"{kind} download failed, queued for retry: {exc}")
                self.retry_queue.append((url, kind))   # the bug: in this process's memory only

    def fetch_owed_documents(self) -> None:
        super().fetch_owed_documents()
        queue, self.retry_queue = self.retry_queue, []
        for url, kind in queue:
            try:
                self.keep_document(url, kind)
            except AjioError:
                self.retry_queue.append((url, kind))


class DsUnmappedCarriersOneManifest(Connector):
    """DS-MANIFEST-ONE-CARRIER: manifests are grouped by the ERP's shipping-provider code from a table of the couriers
    the integrator knew at go-live (Delhivery, Ecom Express, Blue Dart); every other carrier falls in one default
    provider, so XpressBees and Shadowfax parcels share a manifest."""

    PROVIDER_CODES = {"Delhivery": "DELHIVERY", "Ecom Express": "ECOM", "Blue Dart": "BLUEDART"}

    def manifest(self) -> None:
        by_provider: dict[str, list[str]] = {}
        for order_id in self.state.in_stage("packed"):
            mine = self.state.orders[order_id]
            if mine.get("documents_owed"):
                continue
            provider = self.PROVIDER_CODES.get(mine.get("carrier", ""), "AJIO_DEFAULT")   # the bug
            by_provider.setdefault(provider, []).append(order_id)
        for packed in by_provider.values():
            self.manifest_carrier(packed)


class JitPrefetchedLabelsInMemory(JitConnector):
    """JIT-PREPACK-LABEL: the labels prefetched at picklist time are kept in the print spool (process memory), not
    with the PO: the pack, always a later sync, no longer knows them and downloads every box's label again as if
    AJIO had issued new ones."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.label_cache: dict[str, dict] = {}

    def prepack(self, po_id: str, mine: dict) -> None:
        super().prepack(po_id, mine)
        self.label_cache[po_id] = mine.pop("labels", {})   # the bug: not kept with the PO

    def pack(self, po_id: str, mine: dict) -> None:
        mine["labels"] = self.label_cache.get(po_id, {})
        try:
            super().pack(po_id, mine)
        finally:
            mine.pop("labels", None)
