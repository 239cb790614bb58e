"""Bugs of the fifteenth blind VMS hunt, on classes the catalogue had never varied: a cursor or a step committed to
disk before the work it covers (only a crash between the two shows it: run_connector kill_at), a listing that lags
(stale_page) taken at its word, and a value AJIO adds on an RSI line. Each class is the reference VMS connector
with ONE planted mistake. buggy.py lists them by name; each fails the scenario written for it
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

from ajio_client import AjioError
from connector import log
from rewriting import PagesRewritten
from vms_connector import VmsConnector


class RsiCursorCheckpointed(VmsConnector):
    """VMS-RSI-MODEL: the RSI cursor is committed to disk as soon as a range is read, before its RSIs are
    accepted ("the cursor must never go back"); a failed acceptance (AjioError) rolls it back, so an outage is
    handled. A crash between the commit and the acceptances (a deploy, an OOM kill) leaves the cursor past RSIs
    never accepted: the next run reads from the cursor less an hour, and an RSI issued earlier is never
    accepted."""

    def accept_range(self, docs: list[dict], end: int) -> None:
        before = self.meta.get("rsi_to")
        self.meta["rsi_to"] = end
        self.state.save()   # the bug: the cursor is on disk before the range's RSIs are accepted
        try:
            super().accept_range(docs, end)
        except AjioError:
            if before is None:
                self.meta.pop("rsi_to", None)
            else:
                self.meta["rsi_to"] = before
            raise


class QcCheckpointedBeforeCall(VmsConnector):
    """VMS-QC-PASS-FAIL: the return is recorded checked and the state written before the QC update goes to AJIO
    ("never share a QC twice"); a QC call that fails (AjioError) puts the return back, so an outage is handled. A
    crash between the write and the call leaves the return checked on disk with AJIO never told: the next run
    sees RETURN_DELIVERED for a checked return and closes it, never QC'd, never processed, never credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "checked"
        self.state.save()   # the bug: the step is on disk before the call that makes it
        try:
            super().quality_check(ret, mine)
        except AjioError:
            mine["stage"] = "expected"
            raise


class PackCheckpointedBeforeDocuments(VmsConnector):
    """VMS-PACK-DOCUMENTS: the order is recorded packed and the state written before its packing documents are
    asked for ("the warehouse has packed it"); a documents call that fails (AjioError) puts it back to be packed,
    so an outage is handled. A crash between the write and the call (AJIO never packed it) leaves the order packed
    on disk with no AWB, no B2C invoice, no label: the next run puts it on a manifest AJIO cannot take (the order is
    not packed at AJIO) at every sync; it is never packed nor handed over."""

    def pack(self) -> None:
        get = self.client.get

        def checkpointed(path, **params):
            if not path.endswith("/documents"):
                return get(path, **params)
            mine = self.state.orders[path.split("/")[2]]
            mine["stage"] = "packed"
            self.state.save()   # the bug: the step is on disk before the call that makes it
            try:
                return get(path, **params)
            except AjioError:
                mine["stage"] = "invoiced"
                raise
        self.client.get = checkpointed
        try:
            super().pack()
        finally:
            self.client.get = get


class StageFollowsListing(PagesRewritten, VmsConnector):
    """VMS-PACK-DOCUMENTS: AJIO's status is taken as the truth for an order in work, backwards too: an order AJIO
    lists INVOICED is (again) to be packed, one it lists PACKED (again) to be handed over ("AJIO lost our pack or
    manifest: do it again"). A listing that lags (a cached page) takes a packed or handed-over order back: its
    B2C invoice and label are fetched again and it goes on another manifest."""

    def seen(self, path: str, item: dict) -> dict:
        mine = self.state.orders.get(item.get("order_id")) if path == "/orders" else None
        if mine is not None:
            if item["status"] == "INVOICED" and mine["stage"] in ("packed", "manifested"):
                mine["stage"] = "invoiced"   # the bug: a listed status moves the stage backwards
                log(f"{item['order_id']}: AJIO lists it INVOICED: packing it again")
            elif item["status"] == "PACKED" and mine["stage"] == "manifested":
                mine["stage"] = "packed"
                log(f"{item['order_id']}: AJIO lists it PACKED: handing it over again")
        return item


class RsiLineUnknownReturnCrashes(VmsConnector):
    """API-UNKNOWN-VALUE: before accepting an RSI the layer notes, for the warehouse's inward, which of its returns
    each RSI line covers, looked up in its own records (self.state.returns[returnOrderCode]); a code it does not
    hold raises (KeyError): the RSI read stops at that RSI and the sync with it, so the other RSIs of the list are
    not accepted for as long as AJIO sends the value."""

    def accept_document(self, doc: dict) -> bool:
        for line in doc["rsiLines"]:
            held = self.state.returns[line["returnOrderCode"]]   # the bug: KeyError on a code it does not hold
            log(f"RSI {doc['rsiNumber']} covers return {line['returnOrderCode']} of order {held['order_id']}")
        return super().accept_document(doc)
