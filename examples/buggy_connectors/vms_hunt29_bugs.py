"""The twenty-ninth blind VMS hunt: three bugs of the VMS integration layer (registered in buggy.py as vms_h29_*).

Each is a small subclass of the reference (vms_connector.VmsConnector, or its AjioClient) overriding the one hook the
bug lives in; the diff against the reference is the bug."""
from __future__ import annotations

from ajio_client import AjioClient
from hunt4_bugs import _SwallowsDocumentError
from vms_connector import VmsConnector


class PoPdfBestEffort(_SwallowsDocumentError, VmsConnector):
    """VMS-PO-AFTER-ACK: the B2B PO's PDF is archived "best effort": a download that fails is logged and forgotten,
    the order goes on to its invoice with the PO recorded and its PDF never fetched (an integrator who treats PDFs as
    nice-to-have, as long as the PO number is known). A PO PDF that AJIO failed to serve once is never kept."""

    KIND = "purchase order"


class AcceptsCappedPerRange(VmsConnector):
    """VMS-RSI-MODEL: marks at most 20 RSI ACCEPTED per fetched range ("because of throttling restrictions at Ajio",
    seed 002: the team caps its accept calls) and moves the RSI cursor to the range's end all the same: a busy
    seller's 21st RSI of a 2-day range is never accepted."""
    ACCEPT_MAX = 20

    def accept_range(self, docs: list[dict], end: int) -> None:
        super().accept_range(docs[:self.ACCEPT_MAX], end)


class RetryAfterOnceClient(AjioClient):
    """Honours AJIO's Retry-After at a call's first 429 only; a call throttled again is retried on the client's own
    exponential backoff (0.4 s, 0.8 s ...), as a retry helper that reads the server's hint for its first retry."""

    def retry_wait(self, response, attempt: int) -> float | None:
        if response.status_code == 429 and attempt >= 1:
            return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)
        return super().retry_wait(response, attempt)


class RetryAfterFirst429Only(VmsConnector):
    """API-THROTTLE-RETRY-AFTER: a call throttled twice in a row is sent again before the second Retry-After ran out
    (and even when that Retry-After is longer than a sync waits)."""
    client_class = RetryAfterOnceClient
