"""Dropship request and response shapes (API.md pinned bodies; grounded field names kept exactly)."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from contracts.common import (
    COMPARISON,
    MAX_EPOCH,
    UNIQUE_PROPERTY,
    ErrorBody,
    Float,
    Int,
    PageBlock,
    PageQuery,
    StrictSchema,
    Unstated,
    id_list_pattern,
)

ACTIONS = ("Acknowledge", "Cancel")
PUBLISHED_STATUSES = ("PUBLISHED", "UNPUBLISHED")
PUBLIC_STATUSES = ("CREATED", "CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED")
RETURN_TYPES = ("RTO", "CUSTOMER_RETURN")
QC_CODES = ("GOOD", "BAD", "MISSING")
# Courier milestones and why a delivery attempt fails (not grounded: docs/dropship.md "Courier tracking").
MILESTONES = ("PICKED_UP", "IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY", "DELIVERY_ATTEMPTED",
              "DELIVERED", "RTO_INITIATED", "RTO_IN_TRANSIT", "RTO_DELIVERED")
FAILURE_REASONS = ("CUSTOMER_NOT_AVAILABLE", "ADDRESS_ISSUE", "REFUSED", "COD_NOT_READY")
CANCELLED_BY = ("CUSTOMER", "SELLER", "AJIO")
SLA_REASONS = ("ACK_SLA_BREACHED", "DISPATCH_SLA_BREACHED")
_qty = validate.Range(min=0, max=10_000, error="must be between 0 and 10000")
_pos_qty = validate.Range(min=1, max=10_000, error="must be between 1 and 10000")
_EPOCH_ERROR = f"must be epoch seconds between 0 and {MAX_EPOCH}"


class ProductsQuery(PageQuery):
    sku = fields.String(validate=validate.Length(min=1, max=128))
    publishedStatus = fields.String(validate=validate.OneOf(PUBLISHED_STATUSES))


class InventoryLine(StrictSchema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    quantity = Int(required=True, validate=validate.Range(min=0, max=1_000_000, error="must be between 0 and 1000000"))


class UpdateInventoryRequest(StrictSchema):
    inventory = fields.List(fields.Nested(InventoryLine), required=True, validate=[
        validate.Length(min=1, error="must hold at least 1 line"),
        validate.Length(max=50, error="must hold at most 50 lines: AJIO takes at most 50 SKUs per call "
                                      "(rule INVENTORY-ABSOLUTE-MAX-50)")])


class OrderLineAction(StrictSchema):
    order_item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    confirmed_quantity = Int(load_default=0, validate=_qty)
    cancelled_quantity = Int(load_default=0, validate=_qty)


class OrderActionRequest(StrictSchema):
    order_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    status = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    order_lines = fields.List(fields.Nested(OrderLineAction), load_default=list,
                              validate=validate.Length(max=500))


MAX_ORDER_IDS = 50


class OrdersQuery(PageQuery):
    orderIds = fields.String(validate=validate.Length(min=1, max=MAX_ORDER_IDS * 40),
                             metadata={"pattern": id_list_pattern(MAX_ORDER_IDS),
                                       "description": f"comma-separated order ids, 1 to {MAX_ORDER_IDS}"})
    status = fields.String(validate=validate.OneOf(PUBLIC_STATUSES))

    @post_load
    def _split_order_ids(self, data, **kwargs):
        """Comma-separated ids -> a list; "orderIds=,," names no order and is refused, not ignored."""
        if "orderIds" in data:
            ids = [part.strip() for part in data["orderIds"].split(",") if part.strip()]
            if not ids:
                raise ValidationError("orderIds names no order id: give comma-separated order ids",
                                      field_name="orderIds")
            if len(ids) > MAX_ORDER_IDS:
                raise ValidationError(f"at most {MAX_ORDER_IDS} orderIds per call (got {len(ids)})",
                                      field_name="orderIds")
            data["orderIds"] = ids
        return data


_SPLIT_KEYS = ("order_lines", "order_item_ids", "lines", "items", "quantity", "order_items")


class InvoiceRequest(StrictSchema):
    """Body `{}`: AJIO invoices the whole order; naming lines or quantities would split it."""

    RULES = {key: "DS-NO-ORDER-SPLIT" for key in _SPLIT_KEYS}

    # Declared only so that a split attempt gets the split rule, not a bare "Unknown field"; the OpenAPI
    # builder leaves these out of the document (contracts/openapi.py): the documented body is `{}`.
    locals().update({key: fields.Raw(load_only=True, metadata={"x-refused": True}) for key in _SPLIT_KEYS})

    @validates_schema
    def _no_split(self, data, **kwargs):
        named = [key for key in _SPLIT_KEYS if key in data]
        if named:
            raise ValidationError(
                "order split is not supported by AJIO Dropship (seed 000 point 5): the invoice covers the "
                "whole order; send {}", field_name=named[0])


class LabelRequest(StrictSchema):
    RULES = {key: "DS-LABEL-NEEDS-DIMENSIONS" for key in ("weight_grams", "length_cm", "breadth_cm", "height_cm")}
    weight_grams = Int(required=True, validate=validate.Range(min=1, max=50_000, error="must be between 1 and 50000 grams"))
    length_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))
    breadth_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))
    height_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))


class DispatchItem(StrictSchema):
    masterAWB = fields.String(required=True, validate=validate.Length(min=1, max=64))
    orderId = fields.String(required=True, validate=validate.Length(min=1, max=64))
    invoiceNo = fields.String(required=True, validate=validate.Length(min=1, max=64))


class DispatchRequest(StrictSchema):
    dispatchItems = fields.List(fields.Nested(DispatchItem), required=True, validate=[
        validate.Length(min=1, error="must hold at least 1 shipment"),
        validate.Length(max=250, error="must hold at most 250 shipments: at most 250 per manifest "
                                       "(rule MANIFEST-MAX-250; Increff)")])
    # Unicommerce's CreateManifest utility sends this beside dispatchItems; accepted, not used.
    auth = fields.String(validate=validate.Length(max=512))


def _id_list(name: str, value: str) -> list[str]:
    """Comma-separated ids -> a list; one naming no id is refused, not ignored."""
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids:
        raise ValidationError(f"{name} names no id: give comma-separated ids", field_name=name)
    if len(ids) > MAX_ORDER_IDS:
        raise ValidationError(f"at most {MAX_ORDER_IDS} {name} per call (got {len(ids)})", field_name=name)
    return ids


class ReturnsQuery(PageQuery):
    UNSTATED = (Unstated("fromDate", "must not be after toDate", COMPARISON),)

    returnType = fields.String(validate=validate.OneOf(RETURN_TYPES))
    # Lookups by id (not grounded: docs/dropship.md). There is no status filter and no "updated since".
    returnOrderIds = fields.String(validate=validate.Length(min=1, max=MAX_ORDER_IDS * 40), metadata={
        "pattern": id_list_pattern(MAX_ORDER_IDS),
        "description": "comma-separated return_order_ids (at most 50); an id unknown to this POB is a 404"})
    orderIds = fields.String(validate=validate.Length(min=1, max=MAX_ORDER_IDS * 40), metadata={
        "pattern": id_list_pattern(MAX_ORDER_IDS),
        "description": "comma-separated order_ids (at most 50): the returns against these forward orders"})
    fromDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))
    toDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))

    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")

    @post_load
    def _split_ids(self, data, **kwargs):
        for name in ("returnOrderIds", "orderIds"):
            if name in data:
                data[name] = _id_list(name, data[name])
        return data


class CreateRtoItem(StrictSchema):
    item_id = fields.String(validate=validate.Length(max=128))
    order_item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=_pos_qty)
    qc_code = fields.String(required=True, validate=validate.OneOf(QC_CODES))
    reason = fields.String(validate=validate.Length(max=256))


class CreateRtoRequest(StrictSchema):
    # Refused by the domain (simulator/domain/ds/returns.py), after the line is checked against the order.
    UNSTATED = (Unstated("order_items[].order_item_id", "order_item_id repeated", UNIQUE_PROPERTY,
                         "each order_item_id once"),)

    order_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    order_items = fields.List(fields.Nested(CreateRtoItem), required=True, validate=validate.Length(min=1, max=500))


class QcItem(StrictSchema):
    return_item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=_pos_qty)
    qc_code = fields.String(required=True, validate=validate.OneOf(QC_CODES))
    reason = fields.String(validate=validate.Length(max=256))


class QcRequest(StrictSchema):
    items = fields.List(fields.Nested(QcItem), required=True, validate=validate.Length(min=1, max=500))


# -- responses: what the simulator answers, dumped through these (api.common.respond) -------------
# Grounded names as API.md lists them; `required` here means "always present in the answer".
RETURN_STATUSES = ("RETURN_INITIATED", "RETURN_CREATED", "RETURN_DELIVERED", "RETURN_PROCESSED", "RETURN_CANCELLED")


def _str(**kw):
    return fields.String(required=True, **kw)


def _opt_str(**kw):
    return fields.String(required=True, allow_none=True, **kw)


def _money(**kw):
    return fields.Float(required=True, **kw)


def _url(**kw):
    return fields.String(required=True, metadata={
        "format": "uri",
        "description": "absolute URL of GET /documents/{document_id}, fetched with the owning POB's apiKey"},
        **kw)


class Product(Schema):
    sku = _str()
    ean = _str(metadata={"description": "EAN-13"})
    item_code = _str()
    name = _str()
    brand_name = _str()
    category = _opt_str()
    color = _str()
    size = _str()
    hsn = _str()
    mrp = _money()
    selling_price = _money()
    style_code = _opt_str()
    product_id = _opt_str()
    variant_id = _opt_str()
    published_status = _str(validate=validate.OneOf(PUBLISHED_STATUSES))
    quantity = Int(required=True, metadata={"description": "AJIO's view of the sellable stock"})
    updated_at = Int(required=True)


class ProductsResponse(Schema):
    products = fields.List(fields.Nested(Product), required=True)
    page = fields.Nested(PageBlock, required=True)


class InventoryOk(Schema):
    sku = _str()
    quantity = Int(required=True)


class InventoryFailed(InventoryOk):
    error_message = _str()


class UpdateInventoryResponse(Schema):
    success = fields.List(fields.Nested(InventoryOk), required=True)
    failed_items = fields.List(fields.Nested(InventoryFailed), required=True)


class UpdateInventoryFailedResponse(ErrorBody):
    """400: no line applied. Either every line failed (`success` is [] and `failed_items` says why) or the
    request broke the contract (`field`, `errors`)."""

    success = fields.List(fields.Nested(InventoryOk), metadata={"description": "[] (present when lines failed)"})
    failed_items = fields.List(fields.Nested(InventoryFailed), metadata={
        "description": "every line with its reason (present when lines failed)"})


class ItemDetails(Schema):
    brand_name = _str()
    color = _str()
    ean = _str()
    item_code = _str()
    name = _str()
    size = _str()


class PendencyLine(Schema):
    item_details = fields.Nested(ItemDetails, required=True)
    order_item_id = _str()
    ordered_quantity = Int(required=True)
    mrp = _money()
    unit_price = _money()
    listing_price = _money()
    seller_discount = _money()
    b2b_base_price = _money()
    b2b_tax = _money()
    quantity = Int(required=True, metadata={"description": "open quantity: ordered less every cancellation"})
    customer_cancelled_qty = Int(required=True)
    seller_cancelled_qty = Int(required=True)


class TaxSummary(Schema):
    gst_rate = _money()
    taxable_value = _money()
    tax_amount = _money()


class OrderLine(PendencyLine):
    item_base_price = _money()
    seller_short_picked_qty = Int(required=True)
    hsn = _str()
    tax_summary = fields.Nested(TaxSummary, required=True)


# Not grounded (docs/dropship.md "What is not grounded"): AJIO's field names for these are not public.
def _amount_due():
    return _money(metadata={"description": "what the customer still pays: open quantities x unit_price (the COD "
                                           "amount to reconcile); total_amount stays the order as placed"})


def _deadline(what: str):
    return Int(required=True, allow_none=True, metadata={
        "description": f"epoch seconds: AJIO's {what} deadline (SLA); null when AJIO sets none"})


class PendencyOrder(Schema):
    order_id = _str()
    order_date = Int(required=True, metadata={"description": "epoch seconds (spec v1.1)"})
    payment_method = _str(validate=validate.OneOf(("PREPAID", "COD")))
    carrier = _str()
    tracking_number = _opt_str()
    total_amount = _money()
    amount_due = _amount_due()
    acknowledge_by = _deadline("acknowledgement: an order still pending then is cancelled by AJIO")
    dispatch_by = _deadline("dispatch (manifest)")
    order_lines = fields.List(fields.Nested(PendencyLine), required=True)


class PendencyResponse(Schema):
    orders = fields.List(fields.Nested(PendencyOrder), required=True)
    page = fields.Nested(PageBlock, required=True)


class Order(Schema):
    order_id = _str()
    order_date = Int(required=True)
    status = _str(validate=validate.OneOf(PUBLIC_STATUSES))
    payment_method = _str(validate=validate.OneOf(("PREPAID", "COD")))
    carrier = _str()
    tracking_number = _opt_str()
    total_amount = _money()
    po_number = _opt_str(metadata={"description": "null while the PO lags the acknowledgement: keep the order on hold"})
    po_date = Int(required=True, allow_none=True)
    po_pdf_url = fields.String(required=True, allow_none=True, metadata={"format": "uri"})
    po_amount = fields.Float(required=True, allow_none=True)
    total_tax = fields.Float(required=True, allow_none=True)
    invoice_number = _opt_str()
    manifest_id = _opt_str()
    return_order_ids = fields.List(fields.String(), required=True)
    amount_due = _amount_due()
    acknowledge_by = _deadline("acknowledgement")
    dispatch_by = _deadline("dispatch (manifest)")
    sla_breached = fields.Boolean(required=True, metadata={
        "description": "true once the order passed dispatch_by before its manifest (flagged by AJIO)"})
    cancelled_by = fields.String(required=True, allow_none=True, validate=validate.OneOf(CANCELLED_BY),
                                 metadata={"description": "who cancelled a CANCELLED order"})
    cancellation_reason = fields.String(required=True, allow_none=True, validate=validate.OneOf(SLA_REASONS),
                                        metadata={"description": "why AJIO cancelled it (an SLA breached)"})
    shipment_status = fields.String(required=True, allow_none=True, validate=validate.OneOf(MILESTONES),
                                    metadata={"description": "the courier's latest milestone; null before pickup"})
    delivery_attempts = Int(required=True, metadata={"description": "failed delivery attempts so far"})
    order_lines = fields.List(fields.Nested(OrderLine), required=True)


class OrdersResponse(Schema):
    orders = fields.List(fields.Nested(Order), required=True)
    page = fields.Nested(PageBlock, required=True)


class FailedLine(Schema):
    order_item_id = _str()
    error_message = _str()


class OrderActionResponse(Schema):
    success = fields.List(fields.String(), required=True, metadata={"description": "order_item_ids applied"})
    failed_items = fields.List(fields.Nested(FailedLine), required=True)


class OrderActionFailedResponse(ErrorBody):
    """400 (no line applied) or 409 (a repeat that differs from the first acknowledgement): the refusal,
    with the per-line lists when lines were looked at (`success` is then [])."""

    success = fields.List(fields.String(), metadata={"description": "[] (present when lines were looked at)"})
    failed_items = fields.List(fields.Nested(FailedLine), metadata={
        "description": "every line with its reason (present when lines were looked at)"})


class InvoiceResponse(Schema):
    order_id = _str()
    invoice_number = _str()
    invoice_date = Int(required=True)
    invoice_pdf_url = _url()
    po_number = _str()
    # NIC's answer for an e-invoicing POB (seed 000 GstEInvoicing); null otherwise. Names not grounded.
    irn = _opt_str(metadata={"description": "Invoice Reference Number (64 hex characters)"})
    ack_number = _opt_str(metadata={"description": "NIC's acknowledgement number (Ack No)"})
    ack_date = Int(required=True, allow_none=True, metadata={"description": "NIC's acknowledgement date (epoch)"})
    signed_qr_code = _opt_str(metadata={"description": "NIC's signed QR: a JWT whose `data` carries SellerGstin, "
                                                        "BuyerGstin, DocNo, DocTyp, DocDt, TotInvVal, ItemCnt, "
                                                        "MainHsnCode, Irn, IrnDt"})


class TrackingEvent(Schema):
    status = _str(validate=validate.OneOf(MILESTONES))
    at = Int(required=True, metadata={"description": "epoch seconds"})
    location = _str()
    reason = fields.String(required=True, allow_none=True, validate=validate.OneOf(FAILURE_REASONS),
                           metadata={"description": "why a delivery attempt failed (and the RTO that followed)"})


class TrackingResponse(Schema):
    """GET /ds/orders/{order_id}/tracking: not grounded (docs/dropship.md); AJIO's tracking shape is not public."""
    order_id = _str()
    status = _str(validate=validate.OneOf(PUBLIC_STATUSES))
    carrier = _str()
    tracking_number = _opt_str()
    shipment_status = fields.String(required=True, allow_none=True, validate=validate.OneOf(MILESTONES))
    delivery_attempts = Int(required=True)
    events = fields.List(fields.Nested(TrackingEvent), required=True)


class LabelResponse(Schema):
    order_id = _str()
    tracking_number = _str(metadata={"description": "the AWB; send it as masterAWB in dispatch"})
    carrier = _str()
    label_pdf_url = _url()
    b2c_invoice_pdf_url = _url()
    b2c_invoice_number = _str()
    invoice_number = _str(metadata={"description": "the B2B invoice number: send it as invoiceNo in dispatch"})


class FailedDispatchItem(Schema):
    masterAWB = _str()
    orderId = _str()
    invoiceNo = _str()
    error_message = _str()


class DispatchResponse(Schema):
    """200: a manifest was made; the items that could not join it are listed, each with its reason."""

    status = _str(validate=validate.OneOf(("SUCCESS",)))
    manifest_id = _str()
    manifestUrl = _url()
    failedDispatchItems = fields.List(fields.Nested(FailedDispatchItem), required=True)


class DispatchFailedResponse(ErrorBody):
    """400: nothing was manifested. Either every item failed (`failedDispatchItems` says why, `manifest_id`
    and `manifestUrl` are null) or the request broke the contract (`field`, `errors`)."""

    manifest_id = fields.String(allow_none=True, metadata={"description": "null: no manifest (present when items "
                                                                          "failed)"})
    manifestUrl = fields.String(allow_none=True, metadata={"description": "null: no manifest (present when items "
                                                                          "failed)"})
    failedDispatchItems = fields.List(fields.Nested(FailedDispatchItem), metadata={
        "description": "every item with its reason (present when items failed)"})


class QcOutcome(Schema):
    good = Int(required=True)
    bad = Int(required=True)
    missing = Int(required=True)
    reasons = fields.List(fields.String(), required=True)


class ReturnItem(Schema):
    item_details = fields.Nested(ItemDetails, required=True)
    return_quantity = Int(required=True)
    order_item_id = _str()
    return_item_id = _str()
    cancelled_return_quantity = Int(required=True)
    qc = fields.Nested(QcOutcome, required=True, allow_none=True)


class Return(Schema):
    return_order_id = _str()
    return_date = Int(required=True)
    order_id = _str()
    return_type = _str(validate=validate.OneOf(RETURN_TYPES))
    tracking_number = _opt_str()
    return_status = _str(validate=validate.OneOf(RETURN_STATUSES))
    return_reason = _opt_str()
    return_order_items = fields.List(fields.Nested(ReturnItem), required=True)
    credit_note_available_at = Int(required=True, allow_none=True)


class ReturnsResponse(Schema):
    returns = fields.List(fields.Nested(Return), required=True)
    page = fields.Nested(PageBlock, required=True)


class CreateRtoResponse(Schema):
    # FAILED (a 200 that created nothing, return_order_id null) only by a line_failure fault (docs/faults.md).
    status = _str(validate=validate.OneOf(("SUCCESS", "FAILED")))
    return_order_id = _opt_str()
    error_message = _opt_str()


class QcItemOutcome(Schema):
    return_item_id = _str()
    good = Int(required=True)
    bad = Int(required=True)
    missing = Int(required=True)
    reasons = fields.List(fields.String(), required=True)


class QcResponse(Schema):
    return_order_id = _str()
    return_status = _str(validate=validate.OneOf(RETURN_STATUSES))
    items = fields.List(fields.Nested(QcItemOutcome), required=True)
    credit_note_available_at = Int(required=True, allow_none=True)


class CreditNoteResponse(Schema):
    return_order_id = _str()
    credit_note_number = _str()
    credit_note_series = _str()
    credit_note_date = Int(required=True)
    credit_note_amount = _money()
    credit_note_pdf_url = _url()
