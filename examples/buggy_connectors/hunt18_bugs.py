"""Bugs of the eighteenth blind hunt, Dropship and JIT (designed from the seeds, the rules and the references before
any scenario was read). JIT: a value AJIO adds to the answer of a manifest and of a cancellation, a pick-time
cancellation of a whole PO failing for whole syncs and a crash right after one, a manifest line failed for two
syncs, a crash at the JIT manifest PDF. Dropship: a failed acknowledgement line acknowledged again with nothing to
confirm, a crash between a label's two PDFs, finished orders forgotten without their ids, returns read from 05:30
IST, a lagging status sync putting a manifested order back on the manifest queue; and the two reference mistakes the
hunt found (a stray parcel's 404 ending the RTO step, a delivered order retired before its tracking read). Each is
the reference with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

import calendar
from datetime import datetime, timezone

from ajio_client import AjioError
from connector import Connector, State, log
from jit_connector import JitConnector

IST_OFFSET = 5 * 3600 + 30 * 60

DISPATCH_TRIES = 2   # JitFailedDispatchRetryBudget: manifests a PO is sent on before it is parked


class JitDispatchStatusNotSuccess(JitConnector):
    """JIT-MANIFEST-DOCUMENT: the manifest's answer is trusted only when its `status` says SUCCESS ("as the public
    utility retries until status is SUCCESS"); any other 200 is taken as "nothing manifested": its POs stay packed
    and go on the next manifest. With a value AJIO adds to the answer's status, the POs AJIO did manifest are sent
    again with the POs packed since: AJIO refuses the mix (409 CONFLICTING_REPEAT) at every sync, so the new POs are
    never manifested and the first ones are never followed (packed here, never re-read)."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        if answer.get("status") != "SUCCESS":                                 # the bug
            log(f"manifest answered {answer.get('status')!r}: not manifested, sent again next sync")
            return
        super().manifest_answered(chunk, answer)



class JitCancelAnswerStatusCloses(JitConnector):
    """JIT-PO-PROCESSED: after a seller cancellation, the PO is taken as still open only while the answer's status
    is an open one (CREATED before the invoice, INVOICED after it); any other status means "AJIO closed it", and
    every line is taken as cancelled. Right for the pinned statuses (a whole cancellation answers CANCELLED), but a
    value AJIO adds to the answer of a partial cancellation drops the PO here for good: the units left open are
    never invoiced, packed or shipped, also once AJIO says CREATED again."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        answered: dict = {}
        real_post = self.client.post

        def post(path, body, headers=None):
            answer = real_post(path, body, headers=headers)
            if path.endswith("/cancel"):
                answered["status"] = answer.get("status")
            return answer

        self.client.post = post
        try:
            lines = super().cancel_shortfall(po_id, lines, moment)
        finally:
            self.client.post = real_post
        if "status" in answered and answered["status"] not in ("CREATED", "INVOICED"):   # the bug
            log(f"PO {po_id}: {answered['status']} after the cancellation: closed")
            return [{**line, "open": 0} for line in lines]
        return lines


class JitUnsuppliableCancelSwallowed(JitConnector):
    """JIT-PO-PROCESSED: a PO the warehouse can supply nothing of is let go at picklist time: its cancellation is
    sent as a courtesy and a failure is only logged ("nobody invoices it, AJIO's buyer re-raises it elsewhere"); the
    PO is closed here either way. While AJIO's cancellation call is down for a sync, such a PO stays open at AJIO
    (CREATED, in pendency, its demand a back order) and the seller never cancels it."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        self.picking_for = po_id
        if moment == "pick" and lines and all(self.picked(line) == 0 for line in lines if line["open"]):
            try:
                return super().cancel_shortfall(po_id, lines, moment)
            except AjioError as exc:                                       # the bug
                log(f"PO {po_id}: nothing to supply; cancellation not taken ({exc}): let go")
                return [{**line, "open": 0} for line in lines]
        return super().cancel_shortfall(po_id, lines, moment)


class JitResumeIgnoresCancelled(JitConnector):
    """API-NO-UPDATED-SINCE (overdone: a final PO re-read for ever): a PO an earlier run started whose answer it
    never recorded is re-read by id and resumed when AJIO shows it INVOICED (the killed-after-invoice case); in any
    other status it "waits". A run killed right after AJIO took the pick-time cancellation of a whole PO (nothing in
    stock) leaves it CANCELLED at AJIO, out of pendency and "new" here: it is never closed, and re-read at every
    sync for ever."""

    def resume_started(self, listed: set[str]) -> None:
        lost = [po_id for po_id, mine in self.state.orders.items()
                if mine.get("stage") == "new" and mine.get("started") and po_id not in listed]
        if not lost:
            return
        for po_id, po in self.read_orders(lost).items():
            if po["status"] == "INVOICED":                                 # the bug: no CANCELLED branch
                try:
                    self.start_po(po)
                except AjioError as exc:
                    self.errors += 1
                    log(f"{po_id}: {exc}")
            else:
                log(f"PO {po_id}: {po['status']} at AJIO, not in pendency: left as it is")


class FailedDispatchRetryBudget:
    """A shipment failed per line inside a manifest's 200 is sent on DISPATCH_TRIES manifests at most, then parked
    (both models' bug: JitFailedDispatchRetryBudget, vary18d's DsFailedDispatchRetryBudget)."""

    def manifest_carrier(self, packed: list[str]) -> None:
        parked = self.state.meta.get("dispatch_parked", [])
        packed = [order_id for order_id in packed if order_id not in parked]   # the bug: parked POs never sent
        if packed:
            super().manifest_carrier(packed)

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        tries = self.state.meta.setdefault("dispatch_tries", {})
        for order_id in {f.get("orderId") for f in answer.get("failedDispatchItems", [])} & set(chunk):
            tries[order_id] = tries.get(order_id, 0) + 1
            if tries[order_id] >= DISPATCH_TRIES:
                self.state.meta.setdefault("dispatch_parked", []).append(order_id)
                log(f"PO {order_id}: failed on {tries[order_id]} manifests: parked for a person")
        super().manifest_answered(chunk, answer)


class JitFailedDispatchRetryBudget(FailedDispatchRetryBudget, JitConnector):
    """API-PER-LINE-FAILURES: a PO whose line AJIO fails inside a manifest's 200 is sent again on the next manifests,
    but on DISPATCH_TRIES manifests at most ("the public utility retries up to 3 times"): then it is parked for a
    person and no longer manifested. A line AJIO fails for two syncs (its message says "send it again") leaves the
    PO packed for good, never picked up."""


class JitManifestPdfOwedOnFailureOnly(JitConnector):
    """JIT-MANIFEST-DOCUMENT: the manifest PDF is printed right after AJIO's manifest answer and written to the PO's
    "owed" list only when the download fails ("the retry queue holds failures"). A failed download is fetched again
    at the next sync, as it must be; but a run that dies at the download (after the manifest was taken and saved,
    before the PDF came) has noted nothing owed: the manifest document is never fetched."""

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        try:
            self.keep_document(answer["manifestUrl"], "manifest")
        except AjioError:                                                  # the bug: owed only on failure
            mine = self.state.orders[orders[0]]
            mine.setdefault("documents_owed", []).append([answer["manifestUrl"], "manifest"])
            self.noted += 1
            raise


# Dropship

class DsAckStageFromLastCall(Connector):
    """API-PER-LINE-FAILURES: after an acknowledgement whose 200 failed a line, the lines AJIO took are remembered
    and not sent again (as the reference does), but the order's fate is decided by the units the LAST call
    confirmed ("did this acknowledgement confirm anything?"): when the failed line is acknowledged again at a later
    sync with nothing to confirm (its SKU ran out meanwhile: confirmed 0, cancelled all), the order is recorded as
    cancelled, though AJIO holds it CONFIRMED with the units of the lines it took earlier. It is never invoiced,
    labelled or manifested: AJIO's dispatch SLA runs out on a confirmed order."""

    @staticmethod
    def units_confirmed(lines: list[dict], applied: dict) -> int:
        return sum(l["confirmed_quantity"] for l in lines)                    # the bug: applied lines forgotten



class DsOwedDocumentsClearedWhenAllKept(Connector):
    """DS-LABEL-DOCUMENTS-FETCHED: an order's owed PDFs are one print job: the job's list is cleared only once every
    PDF of it is kept ("the paperwork of a parcel is printed together"). When the second PDF of a label (the B2C
    invoice) fails or the run dies at it, the label PDF, already kept, stays on the list and is downloaded again by
    the next sync: every such failure prints a second label for the parcel (and counts a document twice)."""

    def fetch_owed(self, mine: dict) -> None:
        for url, kind in list(mine.get("documents_owed") or []):
            self.keep_document(url, kind)
        mine.pop("documents_owed", None)                                      # the bug: popped only at the end


class ForgetfulState(State):
    def retire(self, *stages: str, keep=None) -> None:
        for order_id in self.in_stage(*stages):
            if keep is None or not keep(order_id, self.orders[order_id]):
                del self.orders[order_id]                                     # the bug: no `done` list


class DsForgetsFinishedOrders(Connector):
    """API-ORDER-LISTED-AGAIN: orders finished with (delivered, cancelled) are deleted from the connector's memory
    ("archived": the state would otherwise grow for ever), without keeping their ids. An order AJIO lists again
    after that (a repeat in pendency, a lagging page) is unknown, so it is imported as new: re-read, taken as
    acknowledged elsewhere, its PO PDF downloaded again and its tracking read again (the customer notified of every
    milestone a second time), at every sync AJIO repeats it."""

    def __init__(self, env, assume_stock=None) -> None:
        super().__init__(env, assume_stock)
        self.state.__class__ = ForgetfulState


class DsReturnsFromIstMidnightAsUtc(Connector):
    """DS-RETURN-SYNC: returns are read in whole days of the seller (IST): from the midnight starting the IST day of
    the oldest return still open. That midnight is turned into epoch seconds with calendar.timegm, i.e. as if it
    were UTC midnight: the window starts at 05:30 IST of that day. A return raised between midnight and 05:30 IST
    is listed at the first read, then falls out of the window while it is the oldest open one: its arrival
    (RETURN_DELIVERED) is never seen, it is never put away nor credited."""

    def returns_window(self) -> dict:
        window = super().returns_window()
        if "fromDate" in window:
            ist_day = datetime.fromtimestamp(window["fromDate"] + IST_OFFSET, timezone.utc).date()
            window["fromDate"] = calendar.timegm(ist_day.timetuple())        # the bug: minus IST_OFFSET forgotten
        return window


class DsPackedRequeuedForManifest(Connector):
    """API-CHANGE-SENT-ONCE: an order AJIO lists PACKED is taken as "waiting for its manifest", whatever the
    connector recorded: the reference's own rule for a lost label answer (an invoiced order AJIO shows PACKED is
    labelled again) generalised to the manifest ("a manifest whose answer was lost"). With AJIO's reads current,
    a manifested order shows READY_TO_DISPATCH and nothing happens; a status sync answered by a lagging page
    (PACKED, from before the manifest) puts the manifested order back on the next manifest: sent twice."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        for mine in self.state.orders.values():
            if mine.get("status") == "PACKED" and mine.get("awb") and mine["stage"] == "manifested":
                mine["stage"] = "packed"                                        # the bug


class DsUnknownParcelEndsReturns(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: the reference until the eighteenth blind hunt: a parcel the warehouse reports
    for an order AJIO does not know for this POB (a sibling store's parcel misrouted here) is answered 404 at the
    order's read, and that error ends the returns phase: every parcel listed after it gets no RTO, at every sync
    while the warehouse reports the stray parcel."""

    def book_back_parcel(self, order_id: str) -> None:
        self.create_rto(order_id)                                              # the bug: one parcel's 404 ends all


class DsDeliveredRetiredBeforeTrackingRead(Connector):
    """DS-TRACKING-SYNC: the reference until the eighteenth blind hunt: a delivered order leaves the state at the end
    of the sync it is seen delivered in, whether or not its tracking was read: with the tracking read down in that
    sync, the DELIVERED milestone is never read (the customer never hears of the delivery)."""

    def retirable(self, mine: dict) -> bool:
        return True                                                            # the bug: milestones owed or not
