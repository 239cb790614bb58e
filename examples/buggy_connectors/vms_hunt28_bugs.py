"""The twenty-eighth blind VMS hunt: three bugs of the VMS integration layer (registered in buggy.py as vms_h28_*).

Each is a small subclass of the reference (vms_connector.VmsConnector, or its AjioClient) overriding the one hook the
bug lives in; the diff against the reference is the bug."""
from __future__ import annotations

from datetime import datetime

from ajio_client import PAGE_SIZE, AjioClient
from vms_connector import IST, VmsConnector


class ShortPageClient(AjioClient):
    """Takes a page shorter than the page size for the list's last page, whatever page.totalPages says. AJIO may
    answer a page with fewer items than asked though more pages follow (an item left out of the page, an order it
    hides for a moment): the pages after it are not read in this sync, and the date window moves past them."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            yield from answer[key]
            if len(answer[key]) < PAGE_SIZE or page + 1 >= answer["page"]["totalPages"]:
                return
            page += 1


class ShortPageEndsList(VmsConnector):
    """API-PAGING: a short page (fewer than 50 items) ends the orders and returns lists."""
    client_class = ShortPageClient


def financial_year(epoch: float) -> int:
    """The Indian financial year (April to March, IST) an instant falls in, by its starting calendar year."""
    day = datetime.fromtimestamp(int(epoch), IST)
    return day.year if day.month >= 4 else day.year - 1


class CreditNoteSeriesByReturnFy(VmsConnector):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE: RMS's credit-note series restarts at each financial year (lawful), but a credit
    note is numbered from the series of the year the *return* was raised in, not of the credit note's own date: a
    return raised on 31 March and credited in April takes the next number of last year's series, which this year's
    series hands out again to the first return raised in April."""

    def credit_note_number(self, ret: dict, mine: dict) -> str:
        if mine.get("credit_note"):
            return mine["credit_note"]
        key = f"RCN-FY{financial_year(ret['return_date'])}"
        self.meta[key] = self.meta.get(key, 0) + 1
        self.noted += 1
        return f"RCN{self.username[-6:]}-{self.meta[key]:05d}"


class ReloginOn5xxClient(AjioClient):
    """Drops its token on every 5xx it retries ("a server error may mean a broken session: start a fresh one"), so
    each retry of a failing call logs in again though the token was valid."""

    def retry_wait(self, response, attempt: int):
        if response.status_code >= 500:
            self.token = None
        return super().retry_wait(response, attempt)


class ReloginOn5xx(VmsConnector):
    """AUTH-LOGIN-SPARINGLY: a new login before each retry of a call AJIO answered 5xx."""
    client_class = ReloginOn5xxClient
