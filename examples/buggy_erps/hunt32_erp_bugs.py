"""The thirty-second blind VMS hunt, ERP side: three bugs of a seller's ERP behind the VMS layer, designed from the
rulebook and the reference alone (before reading a scenario). Each is a small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta

from erp import IST, ClockUnavailable, Tenant, log

DAY = 86400


class RsiCatchUpCappedAtAWeek(Tenant):
    """An RSI round never reaches further back than a week before the clock: the team capped the catch-up after a
    restore from an old backup made the ERP fetch months of RSI in one night ("anything older than a week is
    reconciled by hand from AJIO's portal"). After the ERP was down, or the RSI list failed, for more than a week, the
    RSI issued between the old cursor and a week ago are never fetched nor booked (VMS-ERP-RSI-FETCH: ranges that
    leave no gap)."""

    CATCH_UP_S = 7 * DAY

    def rsi_start(self, upto: int) -> int:
        start = super().rsi_start(upto)
        if upto - start > self.CATCH_UP_S:
            log(f"{self.pob}: RSI catch-up capped at a week: from {upto - self.CATCH_UP_S}, not {start}")
            return upto - self.CATCH_UP_S
        return start


class ThirdThrottleWaitsForMidnight(Tenant):
    """The team read AJIO's throttling as a daily quota: after the third 429 of a day the ERP stops posting to AJIO
    until the next IST midnight of the seller's clock ("the quota is spent; more calls only count against us").
    Retry-After is honoured for the first two; after the third, invoices and credit notes wait for the next day
    however short the announced wait was (API-THROTTLE-RETRY-AFTER: a throttled call is repeated after the
    announced Retry-After, and the work still gets done)."""

    QUOTA_429 = 3

    def __init__(self, env: dict[str, str], state_dir) -> None:
        super().__init__(env, state_dir)
        self.throttled_today = 0
        self.hold_until_sim: float | None = None

    def due(self) -> list[dict]:
        if self.hold_until_sim is not None:
            try:
                now = self.read_clock()
            except ClockUnavailable:
                return []
            if now < self.hold_until_sim:
                return []
            self.hold_until_sim, self.throttled_today = None, 0
        return super().due()

    def send(self, item: dict) -> tuple[int | None, str, float]:
        status, answer, retry_after = super().send(item)
        if status == 429:
            self.throttled_today += 1
            if self.throttled_today >= self.QUOTA_429:
                try:
                    now = datetime.fromtimestamp(self.read_clock(), IST)
                except ClockUnavailable:
                    return status, answer, retry_after
                midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
                self.hold_until_sim = midnight.timestamp()
                log(f"{self.pob}: third 429 today: AJIO's quota is spent, postings wait for {midnight.isoformat()}")
        return status, answer, retry_after


class RsiAuthInQuery(Tenant):
    """The ERP's HTTP wrapper sends a GET's parameters in the query string and has no way to add headers to a GET (its
    POST helper does): seed 002's table lists authUsername and authPassword beside rsiDateFrom and rsiDateTo, so the
    team put all four in the query. Postings carry the headers; every RSI fetch goes without them and AJIO refuses
    it: no RSI is ever booked (ERP-AUTH-HEADERS: every ERP-layer call carries the headers)."""

    def fetch_rsi(self, start: int, end: int) -> list[dict] | None:
        query = urllib.parse.urlencode({
            "rsiDateFrom": datetime.fromtimestamp(start, IST).isoformat(timespec="milliseconds"),
            "rsiDateTo": datetime.fromtimestamp(end, IST).isoformat(timespec="milliseconds"),
            **self.credentials()})
        req = urllib.request.Request(f"{self.env['AJIO_ERP_BASE_URL']}/rsi?{query}")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return list(json.loads(r.read())["returnSalesInvoices"])
        except urllib.error.HTTPError as exc:
            log(f"{self.pob}: RSI fetch answered {exc.code}, again in the next round")
        except (*self.no_answer, ValueError, KeyError, TypeError) as exc:
            log(f"{self.pob}: RSI fetch failed ({exc!r}), again in the next round")
        return None
