"""Control-plane (/_sim) answer shapes: what each view of sellers, orders, clock, journal, faults answers.

Not AJIO's contract: the simulator's own. They document `/_sim/openapi.json` (simulator/control/openapi.py
maps each view to its answer) and the test suite checks every control answer against them. Inspection
records (`GET /_sim/orders/{id}`, `GET /_sim/returns/{id}`) type their top level and their timelines; the
stored sub-records they show as they are (lines, PO, invoice, shipment) are open objects whose keys may
grow with the simulator.
"""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from contracts.common import ErrorBody, PageBlock
from contracts.erp import ReturnSalesInvoice
from contracts.faults import THROTTLE_MODES, FaultEffect, FaultMatch
from contracts.jit import JitAddress
from contracts.vms import VmsAcknowledgeResponse
from contracts.vms_control import POSTING_STATUSES

MODELS = ("ds", "jit", "vms")


def _s(text: str | None = None, **kw) -> fields.String:
    return fields.String(required=True, metadata={"description": text} if text else {}, **kw)


def _i(text: str | None = None, **kw) -> fields.Integer:
    return fields.Integer(required=True, metadata={"description": text} if text else {}, **kw)


def _b(text: str | None = None) -> fields.Boolean:
    return fields.Boolean(required=True, metadata={"description": text} if text else {})


def _list(inner, text: str | None = None, **kw) -> fields.List:
    inner = fields.Nested(inner) if isinstance(inner, type) else inner
    return fields.List(inner, required=True, metadata={"description": text} if text else {}, **kw)


def _record(text: str, **kw) -> fields.Dict:
    """A stored sub-record shown as it is (open object)."""
    return fields.Dict(required=True, metadata={"description": text}, **kw)


# -- simulator, sellers --------------------------------------------------------------------------
class Health(Schema):
    status = _s(validate=validate.OneOf(("ok",)))
    now = _i("the simulated now, epoch seconds")


class ResetDone(Schema):
    status = _s(validate=validate.OneOf(("SUCCESS",)))


class Seller(Schema):
    """A POB with its login and settings (the API password is shown: this is a test double)."""

    pob_id = _s("the POB id: the username of POST /{model}/authToken")
    password = _s("the POB's API password")
    model = _s(validate=validate.OneOf(MODELS))
    store_code = _s()
    seller_id = _s()
    invoice_series = _s()
    einvoicing = _b()
    shipping_api_access = _b()
    erp_url = _s("where ERP postings go (VMS, seed 004); null: none", allow_none=True)
    einvoice_model = fields.String(metadata={"description": "VMS only: erp or rms (seed 002)"})
    return_model = fields.String(metadata={"description": "VMS only: credit_note or rsi (seed 002)"})
    po_missing = fields.Boolean(metadata={"description": "VMS only: AJIO's POs are withheld for now"})
    vms_layer = fields.String(metadata={"description": "VMS only: who plays the VMS integration layer, the "
                                                       "connector under test or the simulator (docs/vms.md)"})
    ack_hold = fields.Integer(metadata={"description": "VMS only: seconds the VMS layer holds an acknowledgement "
                                                      "(seed 002: 4 hours)"})
    late_customer_cancel = fields.Boolean(metadata={"description": "VMS only: customers may cancel after the "
                                                                  "acknowledgement (seed 004)"})
    channel_name = fields.String(allow_none=True, metadata={"description": "VMS only: the channel (customer) code "
                                                                          "the postings name; null: derived"})
    ready_to_ship_at = fields.String(metadata={"description": "JIT only: pack or manifest (seed 001 row 5)"})
    einvoicing_username = fields.String(metadata={"description": "when given at creation"})
    einvoicing_password = fields.String(metadata={"description": "when given at creation"})


class SellerList(Schema):
    sellers = _list(Seller)


class StockLine(Schema):
    sku = _s()
    quantity = _i("AJIO's view of the sellable stock")
    published_status = _s(validate=validate.OneOf(("PUBLISHED", "UNPUBLISHED")))


class SellerInventory(Schema):
    pob_id = _s()
    inventory = _list(StockLine)


# -- orders, returns, world events -----------------------------------------------------------------
class NewOrders(Schema):
    order_ids = _list(fields.String(), "the new orders (POs for a JIT POB)")


class OrderSummary(Schema):
    order_id = _s()
    pob_id = _s()
    model = _s(validate=validate.OneOf(MODELS))
    status = _s("the simulator's state")
    ajio_status = _s("what the model's connectors see as the status")
    order_date = _i()
    updated_at = _i()


class OrderPage(Schema):
    orders = _list(OrderSummary)
    page = fields.Nested(PageBlock, required=True)


class DocumentRef(Schema):
    document_id = _s()
    kind = _s()
    created_at = _i()
    url = _s("GET /documents/{document_id} (the owning POB's apiKey) or /_sim/ui/documents/{document_id}")


class Transition(Schema):
    at = _i()
    from_ = _s("the state before; null for the first", allow_none=True, data_key="from")
    to = _s()
    cause = _s()


class OrderState(Schema):
    """An order (or a JIT PO) as the simulator holds it. Keys marked by model are sent for that model only."""

    order_id = _s()
    pob_id = _s()
    model = _s(validate=validate.OneOf(MODELS))
    status = _s("the simulator's state")
    ajio_status = _s("what the model's connectors see as the status")
    order_date = _i()
    updated_at = _i()
    version = _i("optimistic-locking version of the record")
    carrier = _s()
    lines = _list(fields.Dict(), "the stored order lines")
    invoice = _record("the B2B invoice; null until issued", allow_none=True)
    manifest_id = _s(allow_none=True)
    returns = _list(fields.Dict(), "the order's returns")
    documents = _list(DocumentRef)
    timeline = _list(Transition)
    allowed_world_events = _list(fields.String(), "the /_sim/orders/{id}/... events allowed now")
    payment_method = fields.String(metadata={"description": "Dropship and VMS"})
    tracking_number = fields.String(allow_none=True, metadata={"description": "Dropship and VMS"})
    total_amount = fields.Float(metadata={"description": "Dropship and VMS"})
    customer = fields.Dict(metadata={"description": "Dropship and VMS: name, phone, email, address"})
    po = fields.Dict(allow_none=True, metadata={"description": "Dropship and VMS: AJIO's PO; null until issued"})
    po_due_at = fields.Integer(allow_none=True, metadata={"description": "Dropship and VMS: when the PO comes"})
    on_hold = fields.Boolean(metadata={"description": "Dropship and VMS: acknowledged, waiting for the PO"})
    shipment = fields.Dict(allow_none=True, metadata={"description": "Dropship and VMS: label and parcel"})
    vms = fields.Dict(metadata={"description": "VMS only: acknowledgement, e-invoice, PO knobs"})
    ack_hold = fields.Dict(metadata={"description": "VMS only: the acknowledgement hold as a scenario checks it "
                                                    "(layer, seconds, created_at, until, acknowledged_at, "
                                                    "acknowledged_early, customer_cancellations)"})
    po_date = fields.Integer(metadata={"description": "JIT only"})
    deliver_to = fields.Nested(JitAddress, metadata={"description": "JIT only: the AJIO warehouse"})
    invoice_stale = fields.Boolean(metadata={"description": "JIT only"})
    invoice_history = fields.List(fields.Dict(), metadata={"description": "JIT only: superseded invoices"})
    master_awb = fields.String(allow_none=True, metadata={"description": "JIT only"})
    boxes = fields.List(fields.Dict(), metadata={"description": "JIT only: packed boxes"})
    tracking = fields.Nested(lambda: CourierTrackingState(), metadata={
        "description": "Dropship and VMS: the courier's milestones up to now, and what its plan holds"})
    amount_due = fields.Float(metadata={"description": "Dropship and VMS: open quantities x unit_price"})
    acknowledge_by = fields.Integer(allow_none=True, metadata={"description": "Dropship: acknowledgement SLA deadline"})
    dispatch_by = fields.Integer(allow_none=True, metadata={"description": "Dropship: dispatch SLA deadline"})
    sla_breached = fields.Boolean(metadata={"description": "Dropship: passed dispatch_by before its manifest"})
    cancelled_by = fields.String(allow_none=True, validate=validate.OneOf(("CUSTOMER", "SELLER", "AJIO")),
                                 metadata={"description": "Dropship: who cancelled it"})
    cancellation_reason = fields.String(allow_none=True, metadata={"description": "Dropship: why AJIO cancelled it"})


# -- courier tracking, timing, catalogue (docs/dropship.md) ----------------------------------------
class TrackingEvent(Schema):
    status = _s("the milestone: PICKED_UP ... RTO_DELIVERED")
    at = _i("epoch seconds")
    location = _s()
    reason = fields.String(required=True, allow_none=True, metadata={"description": "a failed attempt's reason"})


class CourierTrackingState(Schema):
    shipment_status = fields.String(required=True, allow_none=True, metadata={"description": "the latest milestone"})
    delivery_attempts = _i("failed delivery attempts so far")
    events = _list(TrackingEvent, "milestones up to now, oldest first")
    planned = _list(TrackingEvent, "what the courier's plan holds for later")
    due = fields.Dict(required=True, allow_none=True, metadata={
        "description": "the plan's outcome timer: {event: deliver|rto, at}; null when none"})


class OrderTracking(CourierTrackingState):
    order_id = _s()
    status = _s("the simulator's state")
    carrier = fields.String(required=True, allow_none=True)
    tracking_number = fields.String(required=True, allow_none=True, metadata={"description": "the AWB"})


class DeliveryAttempted(Schema):
    order_id = _s()
    status = _s("the order's state after the attempt (RTO after the last one allowed)")
    delivery_attempts = _i()
    reason = _s()
    return_order_id = fields.String(required=True, allow_none=True, metadata={
        "description": "the RTO AJIO raised when this was the last attempt allowed"})
    shipment_status = fields.String(required=True, allow_none=True)


class Scanned(Schema):
    order_id = _s()
    status = _s()
    shipment_status = fields.String(required=True, allow_none=True)
    delivery_attempts = _i()


class TimingSettings(Schema):
    profile = _s(validate=validate.OneOf(("exact", "realistic")))
    ack_sla = _i("seconds; 0 = off")
    dispatch_sla = _i("seconds; 0 = off")
    dispatch_sla_cancel = _b("cancel, not only flag, an order past dispatch_by")
    max_delivery_attempts = _i()
    profiles = _list(fields.String())
    failure_reasons = _list(fields.String())
    realistic = fields.Dict(required=True, allow_none=True, metadata={
        "description": "the realistic profile's distributions (null in the exact profile)"})


class CatalogueImported(Schema):
    seller_id = _s()
    pob_ids = _list(fields.String(), "the POBs now listing the catalogue")
    imported = _i()
    removed = _i("listings not in the catalogue removed (replace)")
    skipped_pob_ids = _list(fields.String(), "the seller's JIT POBs, whose listings stay AJIO's")


class PublishDone(Schema):
    seller_id = _s()
    skus = _list(fields.String())
    published_status = _s(validate=validate.OneOf(("PUBLISHED", "UNPUBLISHED")))
    listings_changed = _i()


class OrderEvent(Schema):
    order_id = _s()
    status = _s("the order's state after the event")


class CancelOutcome(Schema):
    success = _list(fields.String(), "order_item_ids cancelled")
    failed_items = _list(fields.Dict(), "lines that could not be cancelled, each with its reason")
    status = _s("the order's state after the cancellation")


class CancelRefused(ErrorBody):
    """400: nothing could be cancelled; `failed_items` says why per line (present when lines were looked at)."""

    success = fields.List(fields.String(), metadata={"description": "[] (present when lines were looked at)"})
    failed_items = fields.List(fields.Dict(), metadata={"description": "every line with its reason"})


class ReturnStarted(Schema):
    return_order_id = _s()
    order_status = fields.String(metadata={"description": "Dropship and VMS: the order's state now"})
    status = fields.String(metadata={"description": "JIT: the return's state (CONFIRMED)"})


class ReturnEvent(Schema):
    return_order_id = _s()
    return_status = _s()


class ReturnState(Schema):
    """A return as the simulator holds it, with AJIO's view of it (the fields of GET /ds/returns)."""

    return_order_id = _s()
    return_date = _i()
    order_id = _s()
    return_type = _s()
    tracking_number = _s(allow_none=True)
    return_status = _s()
    return_reason = _s(allow_none=True)
    return_order_items = _list(fields.Dict())
    credit_note_available_at = _i(allow_none=True)
    pob_id = _s()
    status = _s()
    putaway_at = _i(allow_none=True)
    credit_note = _record("the credit note; null until issued", allow_none=True)
    rsi_number = _s("VMS, RSI return model: the RSI AJIO issued over this return; null until issued",
                    allow_none=True)
    documents = _list(DocumentRef)
    timeline = _list(Transition)
    allowed_world_events = _list(fields.String())


# -- clock, journal --------------------------------------------------------------------------------
class ClockState(Schema):
    now = _i("the simulated now, epoch seconds")
    frozen = _b()
    offset_seconds = _i("a running clock's offset from wall time; null when frozen", allow_none=True)


class ClockChanged(Schema):
    now = _i("the simulated now after the change (due timers have fired)")
    frozen = _b()


class FieldViolation(Schema):
    field = _s()
    message = _s()
    rule_id = fields.String(metadata={
        "description": "the rulebook id an accepted request broke (the simulator marks it, e.g. "
                       "VMS-DOCUMENT-DATE); absent on a refused request's violations, whose answer names the rule"})


class JournalEntry(Schema):
    id = _i()
    at = _i("simulated epoch seconds")
    pob_id = _s(allow_none=True)
    method = _s()
    path = _s()
    query = _s(allow_none=True)
    status = _i("0: no answer reached the connector (a staged reset)")
    duration_ms = _i()
    request_body = _s("passwords redacted; clipped at the journal limit", allow_none=True)
    response_body = _s("tokens shortened; clipped at the journal limit", allow_none=True)
    entity_ids = _list(fields.String(), allow_none=True)
    violations = _list(FieldViolation, "contract violations of the request", allow_none=True)
    faults = _list(fields.Dict(), "fault effects applied", allow_none=True)


class Journal(Schema):
    entries = _list(JournalEntry)


# -- the change feed (GET /_sim/changes) ---------------------------------------------------------------
class Change(Schema):
    id = _i("the cursor: ask again with after_id set to the last one")
    at = _i("simulated epoch seconds")
    entity_kind = _s("order, return, or rsi (a VMS RSI: ISSUED, ACCEPTED)",
                     validate=validate.OneOf(("order", "return", "rsi")))
    entity_id = _s()
    from_ = _s("the state before; null for the first", allow_none=True, data_key="from")
    to = _s()
    cause = _s()


class FeedOrder(Schema):
    """An order the changes touched, as it is now (compact: what a follower of the world needs)."""

    order_id = _s()
    pob_id = _s()
    model = _s(validate=validate.OneOf(MODELS))
    status = _s("the simulator's state")
    order_date = _i()
    updated_at = _i()
    lines = _list(fields.Dict(), "order_item_id, sku and the line's quantities, under the model's names")
    po_number = _s(allow_none=True)
    po_date = _i(allow_none=True)
    invoice_number = _s(allow_none=True)
    tracking_number = _s(allow_none=True)
    manifest_id = _s(allow_none=True)
    return_order_ids = _list(fields.String())
    cancelled_by = _s("AJIO when AJIO cancelled it itself (an SLA), else null", allow_none=True)
    cancellation_reason = _s(allow_none=True)
    documents = _list(fields.Dict(), "document_id and kind of the order's documents and its manifest's")


class FeedReturn(Schema):
    return_order_id = _s()
    order_id = _s()
    pob_id = _s()
    return_type = _s()
    status = _s()
    return_date = _i()
    updated_at = _i()
    putaway_at = _i(allow_none=True)
    credit_note_due_at = _i(allow_none=True)
    credit_note_number = _s(allow_none=True)
    items = _list(fields.Dict(), "return_item_id, order_item_id, sku, quantities and the QC outcome")
    documents = _list(fields.Dict())


class FeedRsi(Schema):
    rsi_number = _s()
    pob_id = _s()
    status = _s("ISSUED or ACCEPTED")
    created_at = _i()
    accepted_at = _i(allow_none=True)
    return_order_ids = _list(fields.String())
    document_id = _s("its PDF: GET /documents/{document_id}")


class ChangeFeed(Schema):
    changes = _list(Change, "transitions after after_id, oldest first")
    orders = _list(FeedOrder)
    returns = _list(FeedReturn)
    rsis = _list(FeedRsi, "VMS RSIs (RSI return model) the transitions touched")
    last_id = _i("the cursor of the next read")
    more = _b("true when limit cut the read short: ask again from last_id")


# -- faults, throttle --------------------------------------------------------------------------
class FaultRule(Schema):
    id = _i()
    name = _s(allow_none=True)
    match = fields.Nested(FaultMatch, required=True)
    effects = _list(FaultEffect)
    times = _i(allow_none=True)
    probability = fields.Float(required=True, allow_none=True)
    seed = _i(allow_none=True)
    created_at = _i()
    hits = _i("matching requests so far")
    applied = _i("requests the rule acted on")
    remaining = _i("uses left; null: unlimited", allow_none=True)
    active = _b()


class FaultList(Schema):
    faults = _list(FaultRule)


class FaultsDeleted(Schema):
    deleted = _i("rules removed")


class Bucket(Schema):
    rate = fields.Float(required=True, metadata={"description": "tokens per simulated second"})
    burst = _i()


class ThrottleLimits(Schema):
    auth = fields.Nested(Bucket, required=True)
    read = fields.Nested(Bucket, required=True)
    write = fields.Nested(Bucket, required=True)
    documents = fields.Nested(Bucket, required=True)


class ThrottleState(Schema):
    mode = _s(validate=validate.OneOf(THROTTLE_MODES))
    limits = fields.Nested(ThrottleLimits, required=True)


# -- JIT world ------------------------------------------------------------------------------------
class Drifted(Schema):
    sku = _s()
    before = _i()
    quantity = _i()


class DriftDone(Schema):
    pob_id = _s()
    drifted = _list(Drifted)


class Moderated(Schema):
    pob_id = _s()
    sku = _s()
    moderation_status = _s(validate=validate.OneOf(("APPROVED", "PENDING")))


class StockReportLine(Schema):
    sku = _s()
    ajio_quantity = _i()
    pushed = _i("the seller's last push; null: never pushed", allow_none=True)
    pushed_at = _i(allow_none=True)
    drift = _i("ajio_quantity - pushed")


class StockReport(Schema):
    pob_id = _s()
    inventory = _list(StockReportLine)


class VendorReturn(Schema):
    return_order_id = _s()
    status = _s()


# -- VMS world and ERP postings --------------------------------------------------------------------
class PoState(Schema):
    order_id = _s()
    po_available = _b()
    po_withheld = _b()
    po_missing = _b()
    po_due_at = _i(allow_none=True)


class PobPoMissing(Schema):
    pob_id = _s()
    po_missing = _b()
    released = _list(fields.String(), "orders whose PO was issued on release")


class RsiIssued(Schema):
    rsiNumber = _s()
    pob_id = _s()
    status = _s()
    created_at = _i()


class RsiState(ReturnSalesInvoice):
    pob_id = _s()
    status = _s()
    return_order_ids = _list(fields.String())
    accepted_at = _i(allow_none=True)
    timeline = _list(Transition)


class DeliveryAttempt(Schema):
    attempt = _i("the attempt's number (a redelivery: the attempts made before it)")
    at = _i()
    status = _i("the ERP's HTTP status; null: no answer (or a redelivery)", allow_none=True)
    answer = _s()
    outcome = _s()
    redelivery = fields.Boolean(metadata={"description": "present and true on the entry that records a dead "
                                                          "letter's redelivery"})
    withdrawn = fields.Boolean(metadata={"description": "present and true on the entry that records the "
                                                         "withdrawal of a CREATE the ERP never received"})
    reached = fields.Boolean(metadata={"description": "on an attempt: false when the ERP cannot have read the "
                                                       "posting (connection refused, unknown host)"})


class Posting(Schema):
    id = _i()
    pob_id = _s()
    event_type = _s()
    entity_id = _s()
    url = _s()
    status = _s(validate=validate.OneOf(POSTING_STATUSES))
    attempts = _i()
    created_at = _i()
    next_attempt_at = _i(allow_none=True)
    delivered_at = _i(allow_none=True)
    payload = _record("the posting as sent (contracts/erp.py POSTING_SCHEMAS)")
    log = _list(DeliveryAttempt)


class PostingList(Schema):
    postings = _list(Posting)


class VmsAcknowledged(VmsAcknowledgeResponse):
    """The order as AJIO sees it once the held acknowledgement reached it."""


class DeadLetterList(Schema):
    dead_letters = _list(Posting, "postings that failed their last attempt (status FAILED), oldest first")


class RedeliveryAnswer(Schema):
    """Named apart from its one field: a generated client's model must not share its field's name."""

    redelivered = _list(fields.Integer(), "ids of the dead letters due again now")


class DeliveryRun(Schema):
    attempted = _i()
    delivered = _i()
    retrying = _i()
    failed = _i()


class OpenApiDocument(Schema):
    """An OpenAPI 3.0 document (this one)."""

    class Meta:
        unknown = INCLUDE

    openapi = _s()
    info = _record("title, version, description")
    paths = _record("every /_sim operation")
