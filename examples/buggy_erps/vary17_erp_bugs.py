"""ERP variants of vary17 (crashes and lags the catalogue had never varied): the reference ERP's Tenant with ONE
change each. buggy_erp.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reference_erp"))
from erp import Tenant  # noqa: E402


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
