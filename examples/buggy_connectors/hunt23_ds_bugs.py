"""Blind bug hunt 23, Dropship: six bugs of real connectors, each the reference with one change.

Each class names the rule it breaks and the lawful situation that shows it (docs: buggy.py's docstring).
"""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient, AjioError
from connector import Connector


class SellerCancelAfterInvoice(Connector):
    """DS-SELLER-CANCEL-UNTIL-INVOICED. The warehouse's short-pick check runs on every order still to be labelled,
    invoiced ones too: an order invoiced whose label failed (AJIO down, no shipping access yet) and whose SKU the
    warehouse then counts short is sent a seller's Cancel, which AJIO refuses once invoiced; the order is never
    labelled (the Cancel fails at every sync) though it must ship."""

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("acknowledged", "invoiced"):
            mine = self.state.orders[order_id]
            if mine.get("status") != "CONFIRMED" and not self.label_answer_lost(mine):
                continue
            if not mine.get("po_number"):
                continue
            try:
                if self.stock_lost(mine, order_id):   # the bug: the reference checks only stage "acknowledged"
                    self.seller_cancel(order_id)
                    continue
                self.fulfil_order(order_id, mine)
            except AjioError:
                self.errors += 1


class ReloginOn5xxClient(AjioClient):
    """AUTH-LOGIN-SPARINGLY: a 5xx is taken for a broken session: the token is dropped and a new login precedes
    each retry (a flapping AJIO gets a login per failed call)."""

    def retry_wait(self, response, attempt):
        if response.status_code >= 500:
            self.token = None   # the bug: the next try logs in again
        return super().retry_wait(response, attempt)


class ReloginOn5xx(Connector):
    client_class = ReloginOn5xxClient


class NextPageUnfilteredClient(AjioClient):
    """The next page is asked with `page` and `size` only: the list's filters (the returns' fromDate) are left off
    after the first page, so page 2 is the unfiltered list's page 2 (older returns) and the window's returns from
    its 51st on are never seen."""

    def pages(self, path, key, **params):
        page = 0
        while True:
            answer = self.get(path, **(params if page == 0 else {}), page=page, size=PAGE_SIZE)
            yield from answer[key]
            if page + 1 >= answer["page"]["totalPages"]:
                return
            page += 1


class ReturnsNextPageUnfiltered(Connector):
    """DS-RETURN-SYNC (API-PAGING): see NextPageUnfilteredClient."""
    client_class = NextPageUnfilteredClient


class OwedDocumentsRefetched(Connector):
    """DS-LABEL-DOCUMENTS-FETCHED (each PDF fetched once): the owed PDFs are fetched in a loop and the list cleared
    only once all came: when the label PDF came and the B2C invoice PDF failed, the next sync downloads the label
    again (and a person prints it twice)."""

    def fetch_owed(self, mine: dict) -> None:
        for url, kind in list(mine.get("documents_owed") or []):
            self.keep_document(url, kind)
        mine.pop("documents_owed", None)


class AckFailedLinesResentAtOnce(Connector):
    """DS-ACK-REREAD-FIRST: lines AJIO failed inside an acknowledgement's 200 are sent again at once, as they were,
    without re-reading the order (what failed them, a unit the customer cancelled meanwhile, is never learnt
    before the repeat)."""

    def acknowledgement_partly_failed(self, order, lines, failed):
        resend = [l for l in lines if l["order_item_id"] in failed]
        try:
            answer = self.client.post("/orders", {"order_id": order["order_id"], "status": "Acknowledge",
                                                  "order_lines": resend})
        except AjioError:
            answer = {"failed_items": [{"order_item_id": l["order_item_id"]} for l in resend]}
        still = self.lines_failed(answer)
        if not still:
            self.state.orders[order["order_id"]] = {"stage": "acknowledged"}
            return
        super().acknowledgement_partly_failed(order, lines, still)


class ShortPageEndsListClient(AjioClient):
    """A page holding fewer items than asked is taken for the last one, whatever page.totalPages says."""

    def pages(self, path, key, **params):
        page = 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            if page + 1 >= answer["page"]["totalPages"] or len(answer[key]) < PAGE_SIZE:
                return
            page += 1


class ShortPageEndsList(Connector):
    """API-PAGING: see ShortPageEndsListClient (a page AJIO sent one short, an order hidden by a lagging list or
    left out, ends the read: the next pages' orders, products or returns wait, or are never read)."""
    client_class = ShortPageEndsListClient
