"""VMS inputs the catalogue never varied (vary18v): crashes right after reads that keep something (the packing
documents, an RSI's PDF), an RSI listed again by the overlapping read of the next syncs.
Each is the reference VMS layer with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

from connector import log
from vms_connector import VmsConnector


class PackedAtAjioTakenAsPacked(VmsConnector):
    """VMS-PACK-DOCUMENTS: an order AJIO lists PACKED is taken as packed here ("AJIO packs an order when its documents
    are fetched, so PACKED means we have them"): a run killed right after AJIO answered the packing documents, before
    it kept them, leaves an order the next runs hand over with no label or B2C invoice ever fetched."""

    def follow_status(self, order_id: str, mine: dict, status: str) -> None:
        if status == "PACKED" and mine["stage"] in ("po", "invoiced"):   # the bug
            mine["stage"] = "packed"
            log(f"{order_id} packed at AJIO")
            return
        super().follow_status(order_id, mine, status)


class RsiPdfNotedBeforeDownload(VmsConnector):
    """VMS-RSI-MODEL: an RSI's PDF is noted kept (on disk) before it is downloaded, "so a crash never downloads it
    twice": a run killed while the download is out (AJIO answered, the bytes lost) leaves the RSI noted kept; the
    next run accepts it without ever pulling its document."""

    def accept_document(self, doc: dict) -> bool:
        kept = self.meta.setdefault("rsi_pdfs", [])
        if doc["rsiNumber"] not in kept:
            kept.append(doc["rsiNumber"])                                # the bug: noted first
            self.noted += 1                                              # (saved before the download leaves)
            self.keep_document(doc["rsiPdfUrl"], "RSI")
        self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})
        log(f"RSI {doc['rsiNumber']} accepted ({len(doc['rsiLines'])} line(s))")
        return True


class RsiReworkedOnOverlap(VmsConnector):
    """VMS-RSI-MODEL: every RSI a range lists is worked, "AJIO's list says what is left to do": the hour each read
    goes back over (where the last read stopped) lists an RSI accepted by the sync before, and the layer pulls its PDF
    and sends its acceptance again at every sync that reads that hour."""

    def accept_range(self, docs: list[dict], end: int) -> None:
        for doc in docs:
            self.keep_document(doc["rsiPdfUrl"], "RSI")                  # the bug: nothing noted, nothing skipped
            self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})
            log(f"RSI {doc['rsiNumber']} accepted")
        self.meta["rsi_to"] = end


class PackingDocumentsReadUntilHandedOver(VmsConnector):
    """VMS-PACK-DOCUMENTS: the pack phase works every order not yet handed over, packed ones too ("the documents
    answer carries the AWB: read it fresh before the manifest"): while AJIO refuses the manifest, every sync reads each
    waiting order's packing documents again and downloads its label and B2C invoice again."""

    def pack(self) -> None:
        for mine in self.state.orders.values():
            if mine["stage"] == "packed":
                mine["stage"] = "invoiced"                               # the bug: packed again at every sync
        super().pack()
