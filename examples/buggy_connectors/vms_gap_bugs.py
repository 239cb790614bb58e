"""VMS layer bugs for the gaps the blind hunts named and left open (their notes): the reference VMS layer with ONE
planted mistake each. buggy.py lists them by name; each fails the scenario written for its gap
(tests/harness/test_run_vms.py)."""
from __future__ import annotations

from ajio_client import AjioClient
from connector import log
from hunt27_jit_bugs import PagesEndAtFailedPage
from vms_connector import VmsConnector


class ReturnsOfOwnOrdersOnly(VmsConnector):
    """VMS-QC-PASS-FAIL: returns are matched to the layer's own orders: the return of an order it never handled
    (handed over before a reinstall, a lost disk, or by the integrator it replaced) is left "to whoever shipped
    it" and never checked, though AJIO lists its parcel at the warehouse."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if not self.state.holds(ret["order_id"]):
            log(f"return {ret['return_order_id']}: order {ret['order_id']} is not ours, left alone")
            return
        super().quality_check(ret, mine)


class FailedPageEndsList(VmsConnector):
    """API-PAGING: a later page of the orders or returns list that fails past the retries is taken for the list's
    end ("read what we can"; the JIT form is jit_h27_failed_page_ends_list): the window then moves past what that
    page held, and those orders are never acknowledged or those returns never checked."""

    client_class = PagesEndAtFailedPage


class _ReturnsPagesEndAtFailedPage(PagesEndAtFailedPage):
    def pages(self, path, key, **params):
        """Only the returns read takes a failed later page for the list's end (its own pager, written apart)."""
        if path != "/returns":
            return AjioClient.pages(self, path, key, **params)
        return super().pages(path, key, **params)


class ReturnsFailedPageEndsList(VmsConnector):
    """API-PAGING: a later page of the returns list that fails past the retries is taken for the list's end: the
    returns window moves past what that page held once the others are done, and that parcel is never checked."""

    client_class = _ReturnsPagesEndAtFailedPage
