"""ERP variants of vary17 (crashes and lags the catalogue had never varied): the reference ERP's Tenant with ONE
change each. buggy_erp.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference_erp"))
from erp import RSI_EVERY_S, RSI_LOOK_BACK_S, Tenant  # noqa: E402


class RsiCursorCheckpointedBeforeFetch(Tenant):
    """VMS-ERP-RSI-FETCH: writes its cursor past a range to disk before fetching it ("the range is taken", so a slow
    fetch is never asked twice), and puts it back when the fetch fails: a 503 is fetched again, but a crash while the
    fetch is out (killed after AJIO answered, before the ERP read the answer) leaves the cursor past a range nobody
    read: its RSI never reach the books."""

    def fetch_rsi(self, start: int, end: int):
        with self.lock:
            kept, self.rsi_cursor = self.rsi_cursor, end   # the bug: checkpointed before the call
            self.save()
        found = super().fetch_rsi(start, end)
        if found is None:
            with self.lock:
                self.rsi_cursor = kept
                self.save()
        return found


class RsiReadFromCursorExactly(Tenant):
    """VMS-ERP-RSI-FETCH: the reference until vary17: each round fetches from exactly where its cursor stopped (AJIO's
    range takes both ends, so nothing falls between ranges): a list lagging behind the clock that answered a range
    without an RSI AJIO had already issued has moved the cursor past it, and that RSI is never fetched."""

    def pull_rsi(self) -> None:
        if not self.rsi_model() or time.monotonic() < max(self.rsi_next, self.quiet_until):
            return
        self.rsi_next = time.monotonic() + RSI_EVERY_S
        upto, self.rsi_clock = self.rsi_clock, int(self.now())
        if upto is None:
            return
        start = self.rsi_cursor if self.rsi_cursor is not None else upto - RSI_LOOK_BACK_S   # the bug: no overlap
        for piece_from, piece_to in self.rsi_pieces(start, upto):
            found = self.fetch_rsi(piece_from, piece_to)
            if found is None:
                return
            with self.lock:
                self.book_rsi(found)
                self.rsi_cursor = piece_to
                self.save()
