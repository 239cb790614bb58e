"""Bugs a crash at a chosen call finds (`run_connector: {kill_at: ...}`): state saved too late, or a change recorded
as done before it is sent. Each class is the reference with ONE planted mistake; buggy.py lists them by name and
each fails the scenario written for it (tests/harness/test_buggy_connectors.py, tests/harness/test_run_vms.py)."""
from __future__ import annotations

import time

from connector import AjioError, Connector, log
from jit_connector import JitConnector
from vms_connector import VmsConnector


class SavedPerPhase:
    """The reference before kill_at found its gap: the state is saved after each phase that sent a change, never
    between two calls of one phase. A crash after AJIO answered a change, before the phase ends (the next write of
    the same phase), loses what the answer recorded: the next run sends that change again."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client.before_call = None   # the bug: the reference saves before the call after a change


class DsStateSavedPerPhase(SavedPerPhase, Connector):
    """API-CHANGE-SENT-ONCE: an order invoiced in a sync killed before its label is invoiced again."""


class JitStateSavedPerPhase(SavedPerPhase, JitConnector):
    """API-CHANGE-SENT-ONCE: a PO invoiced in a sync killed before its pack is invoiced again."""


class VmsStateSavedPerPhase(SavedPerPhase, VmsConnector):
    """API-CHANGE-SENT-ONCE: a VMS order whose change AJIO took in a killed sync is sent that change again."""


class DsManifestMarkedBeforeCall(Connector):
    """DS-MANIFEST-FETCHED: packed orders are recorded as manifested, and the state saved, before the manifest is
    sent ("never hand a shipment over twice"): a crash before the call reaches AJIO leaves them PACKED on AJIO and
    manifested in the state, and no later sync manifests them."""

    def manifest_carrier(self, packed: list[str]) -> None:
        for order_id in packed:
            self.state.orders[order_id]["stage"] = "manifested"   # the bug: recorded before the call
        self.state.save()
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            answer = self.client.post("/orders/dispatch", {"dispatchItems": [self.dispatch_item(o) for o in chunk]})
            log(f"manifest {answer['manifest_id']}: {len(chunk)} shipment(s)")
            self.owe_manifest(answer, chunk)


class DsLabelAnswerLostStranded(Connector):
    """DS-MANIFEST-FETCHED: the reference before kill_at found its gap: only an order AJIO shows CONFIRMED is
    fulfilled, so one whose label AJIO took while the connector died before the answer (invoiced here, PACKED at
    AJIO) is never labelled here, never manifested, and waits until AJIO's dispatch SLA cancels it."""

    @staticmethod
    def label_answer_lost(mine: dict) -> bool:
        return False   # the bug: a PACKED order invoiced here is left alone


class VmsPackedOrderStranded(VmsConnector):
    """VMS-MANIFEST-AT-HANDOVER: the reference before kill_at found its gap: an order whose PO this layer fetched
    waits for AJIO to say INVOICED. A run killed after it fetched the order's packing documents (which pack it at
    AJIO: PACKED), before its state was saved, leaves the order in stage "po" for ever: never packed here, never
    handed over. (That reference saved before a call only after a write: the documents kept and the manifest in
    flight, which the kill_at sweep made changes to save, were not.)"""

    def save_changes(self) -> None:
        self.saved_noted = self.noted   # as that reference: only a write is a change to save
        super().save_changes()

    def fetch_orders(self) -> None:
        self._invoiced_only(super().fetch_orders)

    def fetch_pos(self) -> None:
        self._invoiced_only(super().fetch_pos)

    @staticmethod
    def _invoiced_only(phase) -> None:
        import vms_connector
        saved, vms_connector.INVOICED_AT_AJIO = vms_connector.INVOICED_AT_AJIO, ("INVOICED",)   # the bug
        try:
            phase()
        finally:
            vms_connector.INVOICED_AT_AJIO = saved


class ManifestInFlightForgotten:
    """The reference until the kill_at sweep: a manifest whose answer a crash lost is not remembered, so the next run
    puts its orders (still packed here, READY_TO_DISPATCH at AJIO) on one manifest with the orders packed since.
    AJIO refuses that mix (409 CONFLICTING_REPEAT) at every sync: the new orders are never handed over and the lost
    manifest's PDF is never had."""

    def manifest_in_flight(self) -> list[str]:
        return []   # the bug: the manifest in flight is forgotten


class DsManifestMixedAfterLostAnswer(ManifestInFlightForgotten, Connector):
    """API-IDEMPOTENT-REPEAT: the reference until the kill_at sweep: a DS order whose manifest answer a crash lost is
    put on the next manifest with newly packed orders: refused at every sync, the new orders never handed over."""


class VmsManifestMixedAfterLostAnswer(ManifestInFlightForgotten, VmsConnector):
    """API-IDEMPOTENT-REPEAT: the reference until the kill_at sweep: an order whose manifest answer a crash lost is
    put on the next manifest with newly packed orders: refused at every sync, the new orders never handed over."""


class JitManifestMixedAfterLostAnswer(ManifestInFlightForgotten, JitConnector):
    """API-IDEMPOTENT-REPEAT: the reference until the kill_at sweep: a PO whose manifest answer a crash lost is put on
    the next manifest with newly packed POs: refused at every sync, the new POs never shipped."""


class DsAckOwnAnswerOnly(Connector):
    """DS-MANIFEST-FETCHED: only its own acknowledgement's answer marks an order acknowledged: an imported order AJIO
    shows CONFIRMED (its acknowledgement taken by a run killed before the answer) is taken for a status it does not
    know and waits for ever: never invoiced, never handed over."""

    def acknowledged_elsewhere(self, status: str) -> bool:
        return False   # the bug: CONFIRMED without an answer here is not believed


class DsDocumentsSavedWithWritesOnly(Connector):
    """DS-CREDIT-NOTE-FETCHED: the reference until the kill_at sweep: the state is saved before a call only after a
    write, not after a document kept. A credit note fetched and kept (a read), then a crash at the next return's
    credit-note call, and the next run fetches the first credit note and its PDF again: booked twice."""

    def save_changes(self) -> None:
        self.saved_noted = self.noted   # the bug: a document kept is no change to save
        super().save_changes()


class DsPutawayRecordedBeforeCall(Connector):
    """DS-CIR-PUTAWAY: a return is recorded as put away, and the state saved, before its QC is sent ("a putaway is
    never sent twice"): a crash before the call reaches AJIO leaves the return RETURN_DELIVERED at AJIO and put
    away here: never put away, never credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "put_away"   # the bug: before the call
        self.state.save()
        super().quality_check(ret, mine)


class DsCreditedBeforeFetch(Connector):
    """DS-CREDIT-NOTE-FETCHED: a return is recorded as credited, and the state saved, before its credit note is asked
    for ("never book a credit note twice"): a crash after AJIO answered, before the answer was read, and the credit
    note is never kept."""

    def fetch_credit_notes(self) -> None:
        for return_id, mine in self.returns_awaiting_credit_note():
            mine["stage"] = "credited"   # the bug: before the call
            self.state.save()
            try:
                answer = self.client.get(f"/returns/{return_id}/creditNote")
            except AjioError as exc:
                mine["stage"] = "put_away"
                if exc.code == "NOT_YET":
                    continue
                raise
            self.keep_document(answer["credit_note_pdf_url"], "credit note")
            mine.update(credit_note=answer["credit_note_number"], series=answer["credit_note_series"])


class DsRtoRecordedBeforeCall(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: an RTO is recorded as created, and the state saved, before it is sent ("an RTO
    is never created twice"): a crash before the call reaches AJIO, and the parcel is never booked back nor
    credited."""

    def create_rto(self, order_id: str) -> None:
        self.state.rto_created.append(order_id)   # the bug: before the call
        self.state.save()
        self.state.rto_created.remove(order_id)
        super().create_rto(order_id)


class JitPoKnownFromPendencyOnly(JitConnector):
    """JIT-READY-TO-SHIP: the reference until the kill_at sweep: a PO is known from pendency only. A run killed right
    after AJIO took the PO's invoice (the answer lost, the PO not yet recorded) leaves it INVOICED at AJIO and gone
    from pendency: no later run packs it, and it never ships."""

    def resume_started(self, listed: set[str]) -> None:
        return None   # the bug: a started PO gone from pendency is not looked for


class VmsRsiPdfNotSaved(VmsConnector):
    """VMS-RSI-MODEL: the reference until the kill_at sweep: an RSI's PDF is downloaded without noting it as a change
    to save before the next call. A crash right after AJIO took the acceptance (its answer lost) loses the record:
    the next run fetches the RSI's PDF again, and books the return's sales invoice twice."""

    def keep_document(self, url: str, kind: str) -> bytes:
        if kind != "RSI":
            return super().keep_document(url, kind)
        return self.client.document(url)   # the bug: kept, but nothing says the state must be saved


class VmsNumberDrawnUnsaved(VmsConnector):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE: the reference until the kill_at sweep: a number drawn from the seller's series
    is saved with the state only after a later write. A run killed right after AJIO took a credit note (the first
    write of its run) forgets the draw: the next return's credit note reuses the number, refused 409 at every
    sync, and the return is never credited."""

    def next_number(self, prefix: str) -> str:
        self.meta[prefix] = self.meta.get(prefix, 0) + 1   # the bug: no change noted, nothing saved before the call
        return f"{prefix}{self.username[-6:]}-{self.meta[prefix]:05d}"


# -- kill16: crashes where the catalogue had never crashed a connector, and kill_at aimed by body ------------------

class VmsRtoNotedBeforeCall(VmsConnector):
    """VMS-RTO-REQUEST: an RTO generation request is noted as made, and the state saved, before it is sent ("never ask
    AJIO twice"): a crash before the call reaches AJIO, and the parcel is never asked for: no expectation, never
    checked, never credited."""

    def request_rto(self, order_id: str) -> None:
        self.meta["rto_requested"].append(order_id)   # the bug: before the call
        self.state.save()
        self.meta["rto_requested"].remove(order_id)
        super().request_rto(order_id)


class JitCancelKeyPerRun(JitConnector):
    """API-IDEMPOTENT-REPEAT: a cancellation's Idempotency-Key carries the run it was sent in (a key made fresh per
    process, as a random one is): the client's own retries repeat it, but a run killed after AJIO took the
    cancellation sends it again under a new key from the next run, and AJIO, which reads a cancellation as a delta,
    cancels the units again: units the warehouse holds are never shipped."""

    def cancel_shortfall(self, po_id: str, lines: list[dict], moment: str) -> list[dict]:
        post = self.client.post

        def key_of_this_run(path, body, headers=None):
            headers = {**(headers or {})}
            headers["Idempotency-Key"] = f"{headers.get('Idempotency-Key', po_id)}-{self.sync_id}"   # the bug
            return post(path, body, headers=headers)
        self.client.post = key_of_this_run
        try:
            return super().cancel_shortfall(po_id, lines, moment)
        finally:
            self.client.post = post


class JitReissueDoneBeforeCall(JitConnector):
    """JIT-PO-PROCESSED: a PO's invoice re-issue is recorded as done, and the state saved, before the PUT is sent ("a
    re-issue is never asked twice"): a run killed after AJIO re-issued the invoice, before its answer was read,
    leaves the PO packed against an invoice this connector never read: the re-issued number and PDF never kept."""

    def update_invoice(self, po_id: str, mine: dict) -> None:
        mine.pop("reissue_owed", None)   # the bug: before the call
        self.state.save()
        super().update_invoice(po_id, mine)


class VmsCancelNotedBeforeCall(VmsConnector):
    """VMS-MODEL1-COMPLETE-CANCEL-ONLY: a seller cancellation is recorded as done, and the state saved, before it is
    sent ("never cancel twice"): a crash before the call reaches AJIO, and the order is never cancelled: INVOICED at
    AJIO (model 1: its e-invoice stands), neither shipped nor cancelled."""

    def cancel(self, order_id: str, mine: dict, lines: list[dict] | None, why: str) -> None:
        if not lines:
            mine["stage"] = "cancelled"   # the bug: before the call
            self.state.save()
        super().cancel(order_id, mine, lines, why)


class JitReturnsCursorMovedFirst(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns cursor is moved to "now", and the state saved, before the pull reads its
    pages ("the next pull starts where this one started"): a run killed after AJIO answered, before the answer was
    read, and the next window (a day of overlap) no longer reaches a return raised two days earlier: never
    inbounded."""

    def pull_returns(self) -> None:
        now = int(self.warehouse.now if self.warehouse.now is not None else time.time())
        since = self.returns_since(now)
        self.state.extra["returns_pulled_at"] = now   # the bug: before the pages are read
        self.state.save()
        for ret in self.client.pages("/returns", "returns", fromDate=max(0, since)):
            if ret["return_order_id"] not in self.state.returns:
                self.state.returns[ret["return_order_id"]] = {"order_id": ret["order_id"], "stage": "to_inbound",
                                                              "status": ret["return_status"]}
                log(f"return {ret['return_order_id']} of PO {ret['order_id']}: {ret['return_status']}, to inbound")


class VmsLinesFromFirstRead(VmsConnector):
    """API-CHANGE-SENT-ONCE: an order's lines are taken from its first read only ("before the acknowledgement they
    change only by our own cancellation, applied from its answer"): a run killed right after AJIO took the
    cancellation of a shortfall, and the next run, still counting the missing unit, cancels it again: AJIO reads
    the cancellation as a delta and cancels a unit the warehouse holds, never shipped."""

    def fetch_orders(self) -> None:
        kept = {order_id: mine["lines"] for order_id, mine in self.state.orders.items() if "lines" in mine}
        super().fetch_orders()
        for order_id, lines in kept.items():   # the bug: AJIO's quantities of a known order are not read
            self.state.orders[order_id]["lines"] = lines
