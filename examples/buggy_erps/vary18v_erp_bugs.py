"""ERP variants of vary18v (VMS inputs the catalogue never varied): the reference ERP's Tenant with ONE change each
(an RSI fetch refused 429 or answered with a body that does not parse taken as "no RSI in the range", a catch-up
whose cursor is written to the round's end before its pieces are fetched). buggy_erp.py lists them by name; each
fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

from erp import IST, Tenant, log


class RsiThrottledAsEmpty(Tenant):
    """VMS-ERP-RSI-FETCH: an RSI fetch refused 429 (AJIO's throttling) is read as "AJIO has nothing for us in that
    range now" and the range counts as fetched (the Retry-After is still waited out): the cursor moves past it, and
    an RSI AJIO issued in it is never fetched."""

    def fetch_rsi(self, start: int, end: int):
        found = super().fetch_rsi(start, end)
        if found is None and time.monotonic() < self.quiet_until:   # the bug: throttled taken as empty
            return []
        return found


class RsiUnreadableAsEmpty(Tenant):
    """VMS-ERP-RSI-FETCH: an RSI answer whose body does not parse is read as an empty range ("a 200 is a 200"):
    the cursor moves past the range, and an RSI AJIO issued in it is never fetched."""

    def fetch_rsi(self, start: int, end: int):
        query = urllib.parse.urlencode({
            "rsiDateFrom": datetime.fromtimestamp(start, IST).isoformat(timespec="milliseconds"),
            "rsiDateTo": datetime.fromtimestamp(end, IST).isoformat(timespec="milliseconds")})
        req = urllib.request.Request(f"{self.env['AJIO_ERP_BASE_URL']}/rsi?{query}", headers=self.credentials())
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                body = r.read()
        except (urllib.error.HTTPError, OSError) as exc:
            log(f"{self.pob}: RSI fetch {query} failed ({exc}), again in the next round")
            return None
        try:
            return list(json.loads(body)["returnSalesInvoices"])
        except (ValueError, KeyError, TypeError):
            return []                                                # the bug


class RsiRoundCursorFirst(Tenant):
    """VMS-ERP-RSI-FETCH: a round writes its cursor to the round's end (on disk) before it fetches its pieces, "so a
    long catch-up is not redone", and puts it back when a piece fails: a 503 is fetched again, but an ERP killed in
    the middle of a multi-piece catch-up restarts past the pieces it never fetched, and their RSI never reach the
    books."""

    def rsi_round(self, start: int, upto: int) -> None:
        before = self.rsi_cursor
        with self.lock:
            self.rsi_cursor = upto                                   # the bug: the round's end, before any piece
            self.save()
        for piece_from, piece_to in self.rsi_pieces(start, upto):
            found = self.fetch_rsi(piece_from, piece_to)
            if found is None:
                with self.lock:
                    self.rsi_cursor = before
                    self.save()
                return
            with self.lock:
                self.book_rsi(found)
                self.save()
