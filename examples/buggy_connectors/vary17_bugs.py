"""Bugs found by varying the crashes and lags the catalogue had never varied (vary17): lists lagging behind the moving
clock (stale_page with ignore_params) on VMS RSI and held orders. Each class is a reference connector with ONE planted
mistake. buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from vms_connector import FIRST_LOOKBACK_S, VmsConnector


class VmsRsiReadFromCursorExactly(VmsConnector):
    """VMS-RSI-MODEL: reads each RSI range from exactly where the last read stopped ("AJIO's range takes both ends,
    nothing falls between"): a list lagging behind the clock that answered a range without an RSI AJIO had already
    issued has moved the cursor past it, and the RSI is never read, never accepted."""

    def rsi_start(self) -> int:
        return self.meta.get("rsi_to", self.clock - FIRST_LOOKBACK_S)   # the bug: no overlap
