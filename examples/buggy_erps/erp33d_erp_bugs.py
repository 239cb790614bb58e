"""Helper erp33d, ERP side: the ERP form of "a retry budget per kind of failure" (API-RETRY-TRANSIENT), which escaped
the ERP scenarios until vms/erp/posting_failures_of_three_kinds_in_a_row. A small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

from erp import Tenant


def _failure_kind(status: int | None) -> str:
    if status is None:
        return "no answer"
    return "5xx" if status >= 500 else "429" if status == 429 else str(status)


class BackoffPerFailureKind(Tenant):
    """The outbox keeps its backoff per kind of failure (no answer, 5xx, 429 each counted apart), as a retry library
    configured per exception class does: a posting whose failures change kind starts again at the shortest pause
    (0.25 s) at each change, however long it has been failing. After four resets, AJIO's first 503 is the posting's
    fifth failure in a row, and the next try comes a quarter of a second later instead of the 4 s the run of
    failures asks for (API-RETRY-TRANSIENT: never hammered)."""

    def send(self, item: dict) -> tuple[int | None, str, float]:
        status, answer, retry_after = super().send(item)
        runs = item.setdefault("failures_by_kind", {})
        kind = _failure_kind(status)
        runs[kind] = runs.get(kind, 0) + 1
        item["attempts"] = runs[kind] - 1  # flush adds this try: the backoff grows with this kind's count only
        return status, answer, retry_after
