"""The thirty-third blind JIT hunt's bugs: what an integrator's team shipping a JIT connector under time pressure gets
wrong about the rules, designed from the rulebook and the reference alone (registered in buggy.py as jit_h33_*).

Each is a small subclass of the reference (or of its client) overriding the one method or hook the bug lives in.
"""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient
from connector import log
from jit_connector import JitConnector

CALLS_PER_TOKEN = 100   # "the gateway drops a token after about a hundred calls" (seen once in UAT, never checked)
CARTON_DIGITS = 100     # the WMS's LPN has a two-digit carton field: PO number + carton 01..99


# -- AUTH-LOGIN-SPARINGLY: a new token every hundred calls ------------------------------------------------------------
class ReloginEvery100Client(AjioClient):
    """In UAT a long sync once got a 401 after about a hundred calls (the token had in fact run its 30 minutes). The
    team's fix: a token is used for at most a hundred calls, then a new one is asked for, whatever its age. A sync of
    a few POs never notices; a day with thirty POs to invoice, pack and manifest (a hundred-odd calls), a month's
    daemon, or a catalogue of hundreds of SKUs logs in again and again while the token is valid."""

    calls_on_token = 0

    def _token(self) -> str:
        if self.token is not None and self.calls_on_token >= CALLS_PER_TOKEN:
            self.token = None
        if self.token is None:
            self.calls_on_token = 0
        token = super()._token()
        self.calls_on_token += 1
        return token


class ReloginEvery100Calls(JitConnector):
    client_class = ReloginEvery100Client


# -- API-PAGING: the number of pages from totalElements, rounded down ----------------------------------------------------
class LastPageByFloorClient(AjioClient):
    """The pager was written against the page's `totalElements` ("totalPages is sometimes 0 on an empty list"): the
    pages to read are `totalElements // size`, at least one. Tested with 30 POs (one page) and 100 SKUs (two pages),
    it is right whenever the count is a multiple of 50 or under 50; with 51 to 99 items (or 101 to 149...) the last,
    partial page is never read: the 51st PO of a pendency, SKU of a catalogue, return of a month is never seen."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            if page + 1 >= max(1, answer["page"]["totalElements"] // PAGE_SIZE):
                return
            page += 1


class LastPageByFloor(JitConnector):
    client_class = LastPageByFloorClient


# -- JIT-PO-PROCESSED: an e-invoice's PDF not downloaded ----------------------------------------------------------------
class EinvoicePdfSkipped(JitConnector):
    """For an e-invoicing POB the team keeps the IRN and the signed QR ("the e-invoice is what NIC registered; the PDF
    is a print copy AJIO can give again") and skips the invoice PDF whenever the invoice carries an IRN, to spare a
    download per PO. Sellers without e-invoicing keep their PDFs as before. An e-invoicing seller's POs (invoiced at
    once or re-issued after a cancellation) are shipped without their invoice document."""

    def invoice(self, po_id: str, mine: dict) -> None:
        answer = self.client.post(f"/orders/{po_id}/invoice", {})
        mine.update(invoice_number=answer["invoice_number"], stage="invoiced")
        self.reserving[po_id] = mine
        if answer.get("irn"):
            mine["irn"] = answer["irn"]
            log(f"PO {po_id}: e-invoice {answer['invoice_number']} (IRN {answer['irn']}): IRN and QR kept")
            return
        self.owe_documents(mine, (answer["invoice_pdf_url"], "invoice"))

    def update_invoice(self, po_id: str, mine: dict) -> None:
        answer = self.client.put(f"/orders/{po_id}/invoice", {})
        mine["invoice_number"] = answer["invoice_number"]
        mine.pop("reissue_owed", None)
        if answer.get("irn"):
            mine["irn"] = answer["irn"]
            return
        self.owe_documents(mine, (answer["invoice_pdf_url"], "invoice"))


# -- JIT-PO-PROCESSED: the shortfall cancellation sends the quantity kept -----------------------------------------------
class CancelsKeptQuantity(JitConnector):
    """The cancellation push was ported from the team's Dropship acknowledgement, where a line carries the quantity the
    seller confirms: here too each short line is sent with the quantity the warehouse can give ("cancel down to 3").
    AJIO's cancellation takes a delta: a line of 5 of which 3 can be picked is cancelled by 3 and packed with 2 (two
    units the warehouse had are not sold), a line of 4 with 2 picked comes out right by chance, and a line the
    warehouse cannot supply at all is sent with 0, which AJIO refuses, with the PO's whole cancellation, at every
    sync."""

    def quantity_to_cancel(self, line: dict) -> int:
        return self.picked(line)   # the bug: the quantity kept, where AJIO takes the quantity to cancel


# -- JIT-BOX-IDS-UNIQUE: a two-digit carton number in the box and seal ids ---------------------------------------------
class BoxNumberTwoDigits(JitConnector):
    """The WMS's LPN for a JIT carton is the PO number and a two-digit carton field, and so is its seal: carton 100 of a
    PO is printed `00`, 101 `01` ("a PO never has a hundred cartons"). A big replenishment PO packed one unit or a few
    a box (a box capacity of 1 for footwear, 2 for heavy winterwear) gets past 100 boxes: its pack repeats box and seal
    ids, which AJIO refuses with the whole pack at every sync. The PO is invoiced and never packed.

    Not registered in buggy.py: the simulator takes at most 100 boxes in one pack (contracts/jit.py MAX_BOXES), so
    a pack AJIO would take never reaches carton 101 and this bug cannot be told from the reference. Trying to stage
    it found the reference packing 101 units in boxes of one as 101 boxes, refused at every sync (now fixed:
    jit/fulfilment/po_over_a_hundred_boxes)."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        boxes = super().boxes(po_id, lines)
        for n, box in enumerate(boxes, start=1):
            box["box_id"] = f"{po_id}-B{n % CARTON_DIGITS:02d}"
            box["seal_id"] = f"SL{po_id}{n % CARTON_DIGITS:02d}"
        return boxes


# -- JIT-INVOICE-UPDATE-UNTIL-PACKED: the invoice re-issued once per PO -------------------------------------------------
class ReissueOncePerPo(JitConnector):
    """Each re-issue takes a new number from the seller's series (the old one is void), and the accountants asked for
    as few voids as possible: a PO's invoice is re-issued at most once ("one short pick per PO"). A PO whose pack failed
    after its re-issue, and whose pick came short again at the next sync (more units lost or damaged), is cancelled
    short again but packed against the first re-issue, which AJIO refuses (stale invoice) at every sync: the PO is
    never packed."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        if mine.get("reissued_once"):
            mine.pop("reissue_owed", None)
            log(f"PO {po_id}: invoice already re-issued once, kept")
            return
        super().update_invoice(po_id, mine)
        mine["reissued_once"] = True
