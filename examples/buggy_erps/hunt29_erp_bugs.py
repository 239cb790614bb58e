"""The twenty-ninth blind VMS hunt, ERP side: three bugs of the seller's ERP (registered in buggy_erp.py as erp_h29_*).

Each is a small subclass of the reference ERP's Tenant overriding the one method the bug lives in."""
from __future__ import annotations

import time
from datetime import datetime

from erp import IST, RSI_OVERLAP_S, Tenant


class RsiToEndOfDay(Tenant):
    """VMS-ERP-RSI-FETCH: each RSI round asks up to the end of the IST day it runs in ("today's RSIs", 23:59:59) and
    the cursor goes there: the round fetched a range reaching into the future, and an RSI AJIO issues later that day
    (after the round) is never fetched: the next round starts at 23:00 that night."""

    def rsi_round(self, start: int, upto: int) -> None:
        day = datetime.fromtimestamp(upto, IST).date()
        end_of_day = int(datetime(day.year, day.month, day.day, tzinfo=IST).timestamp()) + 86400 - 1
        super().rsi_round(start, max(upto, end_of_day))


class RsiRereadsLastHourIdle(Tenant):
    """VMS-ERP-RSI-FETCH: when the clock has not moved since the last round, the RSI poller reads the last hour
    before its cursor again ("in case AJIO was late"), every round (a second apart) for as long as the clock
    stands: the same range is read again for ever."""

    def pull_rsi(self) -> None:
        due = self.rsi_model() and time.monotonic() >= max(self.rsi_next, self.quiet_until)
        before = self.rsi_cursor
        super().pull_rsi()
        if due and before is not None and self.rsi_cursor == before:
            self.rsi_round(before - RSI_OVERLAP_S, before)


class TransportRetriedAtOnce(Tenant):
    """API-RETRY-TRANSIENT: a posting to AJIO that got no answer (a reset or refused connection, an answer cut) is
    tried again at once, up to 5 times in a row, before the outbox's backoff takes over (an HTTP client's
    connect-retry with no backoff): a flapping AJIO is hammered."""
    AT_ONCE = 5

    def send(self, item: dict) -> tuple[int | None, str, float]:
        for _ in range(self.AT_ONCE):
            status, answer, retry_after = super().send(item)
            if status is not None:
                break
        return status, answer, retry_after

