"""Bugs found by varying the crashes and lags the catalogue had never varied (vary17): lists lagging behind the moving
clock (stale_page with ignore_params) on VMS RSI and held orders, a JIT daemon killed at a write (start_connector
kill_at). Each class is a reference connector with ONE planted
mistake. buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py,
tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import atexit

from connector import Connector
from jit_connector import JitConnector
from vms_connector import FIRST_LOOKBACK_S, VmsConnector


class VmsRsiReadFromCursorExactly(VmsConnector):
    """VMS-RSI-MODEL: reads each RSI range from exactly where the last read stopped ("AJIO's range takes both ends,
    nothing falls between"): a list lagging behind the clock that answered a range without an RSI AJIO had already
    issued has moved the cursor past it, and the RSI is never read, never accepted."""

    def rsi_start(self) -> int:
        return self.meta.get("rsi_to", self.clock - FIRST_LOOKBACK_S)   # the bug: no overlap


class DaemonSavesOnStop:
    """As a daemon, keeps its memory in the process and writes it to disk once, when stopped ("a clean shutdown
    saves"): a daemon killed (an OOM kill, a host restart) loses all it learnt since it started."""

    def __init__(self, env: dict[str, str], *args, **kwargs) -> None:
        super().__init__(env, *args, **kwargs)
        if env.get("AJIO_DAEMON") == "1":
            save, self.state.save = self.state.save, lambda: None   # the bug: nothing written while it runs
            atexit.register(save)                                    # ... only at a clean exit (SIGTERM)


class JitDaemonSavesOnStop(DaemonSavesOnStop, JitConnector):
    """JIT-READY-TO-SHIP: as a daemon, writes its memory only when stopped cleanly (DaemonSavesOnStop): killed right
    after AJIO took an invoice, it has lost the PO, gone from pendency and unknown on disk: invoiced, never packed."""


class DsDaemonSavesOnStop(DaemonSavesOnStop, Connector):
    """DS-MANIFEST-FETCHED: as a daemon, writes its memory only when stopped cleanly (DaemonSavesOnStop): killed right
    after AJIO took a label, it has lost the order it acknowledged (gone from pendency): PACKED, never handed over."""


class VmsReturnsReadFromCursorExactly(VmsConnector):
    """VMS-QC-PASS-FAIL: reads each returns range from exactly where the last read stopped (or the oldest return still
    open): a list lagging behind the clock that answered a range without a return AJIO had already raised has moved
    the cursor past it, and the return is never read again, never QC'd."""

    def returns_from(self) -> int:
        start = self.meta.get("returns_to", self.clock - FIRST_LOOKBACK_S)   # the bug: no overlap
        return min([start, *(r["date"] for r in self.state.returns.values() if r["stage"] != "done")])
