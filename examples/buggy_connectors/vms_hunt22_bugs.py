"""VMS-layer bugs of the twenty-second blind hunt: each a small subclass of the reference VMS layer (or of its client),
the diff against the reference being the bug. Registered in buggy.py as vms_h22_*."""
from __future__ import annotations

from ajio_client import AjioClient
from vms_connector import VmsConnector

# The stages of an order still "in work" for a team that thinks nothing changes at AJIO once the parcel is packed.
BEFORE_PACKING = ("new", "acknowledged", "po", "invoiced")


class PackedOrdersNotReread(VmsConnector):
    """Rule API-NO-UPDATED-SINCE (and VMS-LATE-CUSTOMER-CANCEL): the orders fetch re-reads the orders still in work
    only until they are packed: a packed order, older than the fetch's overlap, is no longer in the date window. A
    seller with late customer cancellations can have a packed order cancelled completely until handover; this layer
    never learns it and puts the cancelled order on its next manifest (an order stays packed past a sync when its
    label download or its manifest failed)."""

    def rereads(self, mine: dict) -> bool:
        return mine["stage"] in BEFORE_PACKING


class ManifestsCommittedTogether(VmsConnector):
    """Rule API-CHANGE-SENT-ONCE: a handover of more than 250 packed orders goes out as several manifests, and this
    layer records the handover as one unit of work: its orders are marked manifested only once every manifest of it
    went through. When a later manifest fails (AJIO down for that call, or the run killed there), the orders of the
    manifests AJIO already took stay packed here and are sent again on a new manifest at the next sync."""

    def manifest(self) -> None:
        self.answered: list[tuple[list[str], dict]] = []
        super().manifest()
        for chunk, answer in self.answered:  # the whole handover went through: recorded now
            super().manifest_answered(chunk, answer)

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        self.answered.append((chunk, answer))


class NoAnswerWritesNotRetriedClient(AjioClient):
    """A call that changes something (POST) and got no usable answer (a reset connection, a cut or broken body) is
    not retried: "it may have been applied, a POST is not idempotent". 5xx and 429 answers are still retried, and
    reads are retried as before."""

    def _send(self, method, url, kwargs, **options):
        if method == "GET":
            return super()._send(method, url, kwargs, **options)
        before = self.__dict__.get("TRANSPORT_RETRIES")
        self.TRANSPORT_RETRIES = 0  # (a login inside this call is a POST too: set and restored the same way)
        try:
            return super()._send(method, url, kwargs, **options)
        finally:
            if before is None:
                self.__dict__.pop("TRANSPORT_RETRIES", None)  # back to the class's value
            else:
                self.TRANSPORT_RETRIES = before


class WritesNotRetriedOnNoAnswer(VmsConnector):
    """Rule API-RETRY-TRANSIENT: a write (acknowledgement, cancellation, invoice, manifest, QC, RTO request, credit
    note, RSI acceptance, login) whose answer was lost in transit is abandoned at the first failure; the next sync
    finds out from AJIO's lists what became of it."""

    client_class = NoAnswerWritesNotRetriedClient
