"""The harness's wait for an ERP's first try of a document it owes (VmsRun.settle_erps, _first_try_made)."""
from __future__ import annotations

from types import SimpleNamespace

from harness.vms_run import VmsRun


class _Control:
    def __init__(self, status: str, entries: list[dict]) -> None:
        self.status, self.entries = status, entries

    def get(self, path: str) -> dict:
        if path.startswith("/orders/"):
            return {"status": self.status}
        assert path.startswith("/journal?"), path
        return {"entries": self.entries}


def _made(entries: list[dict], status: str = "ACKNOWLEDGED") -> bool:
    run = SimpleNamespace(control=_Control(status, entries), pobs={"pob": {"pob_id": "P1"}})
    return VmsRun._first_try_made(run, ("invoice", "FN1"), {"seller": "pob", "since": 0})


def test_a_try_left_without_an_answer_is_a_try():
    """A staged reset (journal status 0) is the ERP's try: counted, the harness does not hold the scenario
    ERP_SETTLE_S while the ERP keeps retrying (xm33's draft: its next fault rule came after the try it was for)."""
    assert _made([{"status": 0}])


def test_refused_tries_count_and_no_try_does_not():
    assert _made([{"status": 503}])
    assert _made([{"status": 429}])
    assert not _made([])
    assert _made([], status="INVOICED")
