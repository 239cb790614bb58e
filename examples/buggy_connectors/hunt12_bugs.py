"""Bugs of the twelfth blind Dropship/JIT hunt that the catalogue let through (or caught only under another rule, or
only because a list happened to be a multiple of 50): each class is the reference with ONE planted mistake.
buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient
from connector import Connector, log
from jit_connector import JitConnector
from rewriting import PagesRewritten, PostRewritten


class LastPageFromTotalClient(AjioClient):
    """Works the last page out as totalElements // 50 instead of reading page.totalPages: right for 49 or 51
    items, one page past the end for exactly 50 (100, ...), which AJIO refuses."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            if page >= answer["page"]["totalElements"] // PAGE_SIZE:
                return
            page += 1


class DsPagesExtraWhenExact(Connector):
    """API-PAGING: a list of exactly 50 items (a listing of 50 SKUs) is read one page too far at every sync; AJIO
    refuses the page past the end, so that phase fails and no stock is pushed."""
    client_class = LastPageFromTotalClient


class DsReturnsUnknownStatusStopsPage(PagesRewritten, Connector):
    """DS-CIR-PUTAWAY: returns are read against the statuses known at go-live; one it does not know
    (RETURN_CANCELLED: a customer withdrew) stops the read. The withdrawn return stays open in memory, pins the read
    window to its date, and every return listed after it is never put away."""

    KNOWN = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED")

    def seen(self, path: str, item: dict) -> dict | None:
        if path == "/returns" and item["return_status"] not in self.KNOWN:
            log(f"return {item['return_order_id']}: unknown status {item['return_status']}, read stopped")
            return None   # the bug
        return item


class JitPrepackRecordedAfterLabels(PostRewritten, JitConnector):
    """API-CHANGE-SENT-ONCE: a prepack is recorded only once its invoice and every box label are downloaded ("print
    first, then commit the picklist"). A download that fails leaves the PO new here, but AJIO invoiced it at the
    prepack and it left pendency. Until the kill_at sweep the reference under it then never packed the PO
    (JIT-PO-PROCESSED); it now re-reads a PO it started that left pendency, and this one, new here, is prepacked
    again and its PDFs fetched again."""

    def prepack(self, po_id: str, mine: dict) -> None:
        self.with_rewrite(super().prepack, po_id, mine)

    def rewritten(self, path, body, post):
        answer = post(path, body)
        if path.endswith("/prepack"):   # the bug: the documents before the record; a failed one raises
            self.keep_document(answer["invoice"]["invoice_pdf_url"], "invoice")
            for box in answer["boxes"]:
                self.keep_document(box["label_pdf_url"], "box label")
        return answer


class JitPackShortfallRecordedBeforeCancel(JitConnector):
    """JIT-SELLER-CANCEL-UNTIL-PACKED: at pack time the short pick is written to the PO's lines (and an invoice
    re-issue noted) before the cancellation is sent. When the cancellation fails for a whole sync, the next run
    finds nothing short: the shortfall is never cancelled and every pack of the picked units is refused."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        if moment == "pack":
            self.picking_for = po_id
            planned = [{**line, "open": self.picked(line)} for line in lines]
            if planned != lines:   # the bug: recorded before AJIO took the cancellation
                self.state.orders[po_id].update(lines=planned, reissue_owed=True)
                self.state.save()
        return super().cancel_shortfall(po_id, lines, moment)


# -- a status AJIO added (the unknown_value fault; found by writing its scenario, not by the hunt) --------------
class DsUnknownStatusTakenAsAcknowledged(Connector):
    """API-UNKNOWN-VALUE: the reference until the twelfth hunt: an imported order AJIO lists in any status but CREATED
    or CANCELLED is taken as acknowledged by an earlier run; one in a status AJIO added is never acknowledged."""

    def acknowledged_elsewhere(self, status: str) -> bool:
        return True


class DsUnknownStatusCrashesSync(PagesRewritten, Connector):
    """API-UNKNOWN-VALUE: reads each order's status through a table of the statuses known at go-live; a status AJIO
    added raises, and the phase reading it stops for every order of the list."""

    STATUSES = {"CREATED": "new", "CONFIRMED": "acknowledged", "PACKED": "packed", "READY_TO_DISPATCH": "manifested",
                "DISPATCHED": "shipped", "DELIVERED": "delivered", "CANCELLED": "cancelled"}

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders":
            self.STATUSES[item["status"]]   # the bug: a KeyError for a status it does not know
        return item


class DsUnknownStatusCancelled(PagesRewritten, Connector):
    """API-UNKNOWN-VALUE: an order in a status it does not know is cancelled at AJIO ("never ship what we do not
    understand"): a seller cancellation of an order AJIO had nothing against."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/orders" and item["status"] not in DsUnknownStatusCrashesSync.STATUSES:
            self.client.post("/orders", {"order_id": item["order_id"], "status": "Cancel", "order_lines": []})
            return {**item, "status": "CANCELLED"}   # the bug
        return item
