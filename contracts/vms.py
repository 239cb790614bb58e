"""VMS `/vms` request and answer shapes (API.md pinned paths and names; seed 002 payloads).

The seed 002 invoice, credit-note and RSI shapes are defined once, in contracts/erp.py, and reused here.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts.common import (
    COMPARISON,
    MAX_EPOCH,
    UNIQUE_PROPERTY,
    Bool,
    ErrorBody,
    Float,
    Int,
    PageQuery,
    StrictSchema,
    Unstated,
    Url,
    one_of_required,
)
from contracts.erp import (
    QC_REASONS,
    QC_STATUSES,
    B2bInvoicePosting,
    CreditNotePosting,
    InvoiceLineEntry,
    RsiQuery,
    RsiResponse,
)

PUBLIC_STATUSES = ("CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED",
                   "CANCELLED")
RETURN_TYPES = ("RTO", "CUSTOMER_RETURN")
MAX_MANIFEST = 250
_EPOCH = validate.Range(min=0, max=MAX_EPOCH, error=f"must be epoch seconds between 0 and {MAX_EPOCH}")


class _VmsDateRange(PageQuery):
    UNSTATED = (Unstated("fromDate", "must not be after toDate", COMPARISON),)

    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")


class VmsOrdersQuery(_VmsDateRange):
    """GET /vms/orders: B2C orders by creation time (seed 002: 'using date filters'), epoch seconds."""

    fromDate = fields.Integer(required=True, validate=_EPOCH, metadata={"description": "created at or after"})
    toDate = fields.Integer(required=True, validate=_EPOCH, metadata={"description": "created at or before"})


class VmsEmptyRequest(StrictSchema):
    """Acknowledge and RSI accept take {} (API.md)."""


VmsAcknowledgeRequest = VmsEmptyRequest
VmsRsiAcceptRequest = VmsEmptyRequest
VmsB2bInvoiceRequest = B2bInvoicePosting
VmsCreditNoteRequest = CreditNotePosting
VmsRsiListQuery = RsiQuery
VmsRsiListResponse = RsiResponse


class VmsSkuQuantity(StrictSchema):
    channelSkuCode = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))


class VmsCancelRequest(StrictSchema):
    """{} cancels the whole order; {"lines": [...]} part of it (model 1: only before the e-invoice)."""

    UNSTATED = (Unstated("lines[].channelSkuCode", "repeated in this request", UNIQUE_PROPERTY),)

    lines = fields.List(fields.Nested(VmsSkuQuantity), validate=validate.Length(min=1, max=500))

    @validates_schema
    def _distinct(self, data, **kwargs):
        seen = set()
        for i, line in enumerate(data.get("lines") or []):
            if line["channelSkuCode"] in seen:
                raise ValidationError({"lines": {i: {"channelSkuCode": ["repeated in this request"]}}})
            seen.add(line["channelSkuCode"])


class VmsManifestRequest(StrictSchema):
    orderIds = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                           validate=validate.Length(min=1, max=MAX_MANIFEST, error=(
                               "must hold between 1 and 250 orders: at most 250 shipments per manifest (Increff)")))


class VmsReturnsQuery(_VmsDateRange):
    fromDate = fields.Integer(validate=_EPOCH)
    toDate = fields.Integer(validate=_EPOCH)
    returnType = fields.String(validate=validate.OneOf(RETURN_TYPES))


class VmsRtoRequest(StrictSchema):
    """RTO generation request (seed 002): the parcel came back and no RTO expectation came from AJIO."""

    order_id = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "the forward order id"})


class VmsQcItem(StrictSchema):
    # _rules as the document states it.
    OPENAPI_ALL_OF = (
        one_of_required("itemCode", "channelSkuCode", description="exactly one of itemCode or channelSkuCode"),
        {"description": "a FAIL names a qcReason; a PASS carries neither qcReason nor imageUrls (API.md)",
         "anyOf": [{"properties": {"qcStatus": {"enum": ["FAIL"]}}, "required": ["qcReason"]},
                   # `not: {}`: no value is valid, i.e. the property is absent
                   {"properties": {"qcStatus": {"enum": ["PASS"]}, "qcReason": {"not": {}}, "imageUrls": {"not": {}}}}]},
    )

    itemCode = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "the return item's itemCode (GET /vms/returns)"})
    channelSkuCode = fields.String(validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))
    qcStatus = fields.String(required=True, validate=validate.OneOf(QC_STATUSES))
    qcReason = fields.String(validate=validate.OneOf(QC_REASONS))
    imageUrls = fields.List(Url(), validate=validate.Length(min=1, max=20))

    @validates_schema
    def _rules(self, data, **kwargs):
        named = [k for k in ("itemCode", "channelSkuCode") if k in data]
        if len(named) != 1:
            raise ValidationError("give exactly one of itemCode or channelSkuCode", field_name="itemCode")
        if data["qcStatus"] == "FAIL" and "qcReason" not in data:
            raise ValidationError("a FAIL needs a qcReason from the QC vocabulary (API.md)", field_name="qcReason")
        if data["qcStatus"] == "PASS" and "qcReason" in data:
            raise ValidationError("only a FAIL carries a qcReason", field_name="qcReason")
        if data["qcStatus"] == "PASS" and "imageUrls" in data:
            raise ValidationError("imageUrls only on FAIL (API.md)", field_name="imageUrls")


class VmsQcRequest(StrictSchema):
    items = fields.List(fields.Nested(VmsQcItem), required=True, validate=validate.Length(min=1, max=500))


# -- answers ------------------------------------------------------------------------------------
# `required` means "always in the answer" (null where nullable); the few optional keys say when they come.
def _s(text: str | None = None, **kw) -> fields.String:
    return fields.String(required=True, metadata={"description": text} if text else {}, **kw)


def _null_s(text: str | None = None) -> fields.String:
    return _s(text, allow_none=True)


def _i(text: str | None = None, **kw) -> fields.Integer:
    return Int(required=True, metadata={"description": text} if text else {}, **kw)


def _f(text: str | None = None) -> fields.Float:
    return Float(required=True, metadata={"description": text} if text else {})


def _list(inner, text: str | None = None) -> fields.List:
    inner = fields.Nested(inner) if isinstance(inner, type) else inner
    return fields.List(inner, required=True, metadata={"description": text} if text else {})


def _url(text: str) -> fields.String:
    return fields.String(required=True, metadata={"format": "uri", "description": text + ": GET /documents/{document_id} "
                                                  "with the owning POB's apiKey"})


class VmsPage(Schema):
    """Spring-style page block (API.md): `number` counts from 0."""

    number = _i()
    size = _i()
    totalElements = _i()
    totalPages = _i()


class VmsOrderLine(Schema):
    order_item_id = _s()
    channelSkuCode = _s("the EAN; the SKU code of the ERP postings")
    sku = _s()
    name = _s()
    brand_name = _s()
    size = _s()
    color = _s()
    hsn = _s()
    quantity = _i("open quantity (ordered minus cancelled)")
    ordered_quantity = _i()
    customer_cancelled_qty = _i()
    seller_cancelled_qty = _i()
    invoiced_quantity = _i("null until the B2B e-invoice", allow_none=True)
    mrp = _f()
    unit_price = _f()


class VmsOrder(Schema):
    order_id = _s()
    order_date = _i("epoch seconds")
    status = _s(validate=validate.OneOf(PUBLIC_STATUSES))
    payment_method = _s(validate=validate.OneOf(("PREPAID", "COD")))
    total_amount = _f()
    po_available = Bool(required=True, metadata={"description": "PO availability is a flag, not a status (API.md)"})
    forwardPurchaseOrder = _null_s("the B2B PO number; null until AJIO issued the PO")
    invoiceNumber = _null_s("null until the B2B e-invoice")
    tracking_number = _null_s("null until packed")
    manifest_id = _null_s("null until manifested")
    return_order_ids = _list(fields.String())
    order_lines = _list(VmsOrderLine)


class VmsOrdersResponse(Schema):
    orders = _list(VmsOrder)
    page = fields.Nested(VmsPage, required=True)


class VmsAcknowledgeResponse(Schema):
    order_id = _s()
    status = _s(validate=validate.OneOf(PUBLIC_STATUSES))
    acknowledged_at = _i("epoch seconds")


class VmsPoLine(Schema):
    order_item_id = _s()
    channelSkuCode = _s()
    hsn = _s()
    quantity = _i()
    b2b_unit_price = _f("B2B price per unit including GST")


class VmsPoResponse(Schema):
    order_id = _s()
    forwardPurchaseOrder = _s()
    po_date = _i("epoch seconds")
    po_pdf_url = _url("the PO PDF")
    lines = _list(VmsPoLine)


class VmsB2bInvoiceResponse(Schema):
    status = _s(validate=validate.OneOf(("SUCCESS",)))
    order_id = _s()
    order_status = _s(validate=validate.OneOf(PUBLIC_STATUSES))
    forwardPurchaseOrder = _s()
    invoiceNumber = _s()
    invoice_pdf_url = _url("the e-invoice PDF")
    invoiced = _list(InvoiceLineEntry)
    cancelled = _list(VmsSkuQuantity, "quantities not invoiced, cancelled (seed 002)")


class VmsDocumentsResponse(Schema):
    order_id = _s()
    b2c_invoice_number = _s()
    b2c_invoice_pdf_url = _url("the B2C invoice PDF")
    tracking_number = _s()
    carrier = _s()
    label_pdf_url = _url("the label PDF")


class VmsCancelResponse(Schema):
    order_id = _s()
    status = _s(validate=validate.OneOf(PUBLIC_STATUSES))
    cancelled = _list(VmsSkuQuantity)
    # Sent only when a model-2 partial cancellation cancelled an issued invoice: optional on purpose.
    invoice_cancelled = fields.String(metadata={
        "description": "model 2: the B2B invoice this partial cancellation cancelled; RMS posts a new one with a "
                       "new number for what is left (an issued invoice never changes)"})


class VmsManifestFailure(Schema):
    orderId = _s()
    error_message = _s()


class VmsManifestResponse(Schema):
    """200: a manifest was made; the orders that could not join it are listed in `failed`."""

    manifest_id = _s()
    manifestUrl = _url("the manifest PDF")
    failed = _list(VmsManifestFailure)


class VmsManifestFailedResponse(ErrorBody):
    """400: nothing was manifested. Either every order failed (`failed` says why, `manifest_id` and
    `manifestUrl` are null) or the request broke the contract (`field`, `errors`)."""

    manifest_id = fields.String(allow_none=True, metadata={"description": "null: no manifest (present when orders "
                                                                          "failed)"})
    manifestUrl = fields.String(allow_none=True, metadata={"description": "null: no manifest (present when orders "
                                                                          "failed)"})
    failed = fields.List(fields.Nested(VmsManifestFailure), metadata={
        "description": "every order with its reason (present when orders failed)"})


class VmsReturnItemQc(Schema):
    passed = _i("units that passed QC", data_key="pass")
    failed = _i("units that failed QC", data_key="fail")
    qcReasons = _list(fields.String())
    imageUrls = _list(fields.String())


class VmsReturnItem(Schema):
    itemCode = _s()
    order_item_id = _s()
    channelSkuCode = _s()
    quantity = _i()
    qc = fields.Nested(VmsReturnItemQc, required=True, allow_none=True, metadata={
        "description": "null until the seller's QC update"})


class VmsReturn(Schema):
    return_order_id = _s()
    order_id = _s("the forward order (seed 002: expectation against it)")
    return_type = _s(validate=validate.OneOf(RETURN_TYPES))
    return_status = _s()
    return_date = _i("epoch seconds")
    return_reason = _null_s()
    tracking_number = _null_s()
    items = _list(VmsReturnItem)
    creditNoteNumber = _null_s("null until the credit note")


class VmsReturnsResponse(Schema):
    returns = _list(VmsReturn)
    page = fields.Nested(VmsPage, required=True)


class VmsRtoResponse(Schema):
    status = _s()
    order_id = _s()
    expectation_due_at = _i("when AJIO's RTO expectation appears (simulated epoch)")


class VmsQcResponse(Schema):
    return_order_id = _s()
    return_status = _s()
    items = _list(VmsReturnItem)


class VmsCreditNoteResponse(Schema):
    status = _s(validate=validate.OneOf(("SUCCESS",)))
    returnOrderId = _s()
    creditNoteNumber = _s()
    credit_note_pdf_url = _url("the credit note PDF")


class VmsRsiAcceptResponse(Schema):
    rsiNumber = _s()
    status = _s()
    accepted_at = _i("epoch seconds")


# operationId (= the view's and domain function's name) -> method, path, request/query schema, answer schema.
OPERATIONS = {
    "list_orders": ("GET", "/vms/orders", VmsOrdersQuery, VmsOrdersResponse),
    "acknowledge_order": ("POST", "/vms/orders/{order_id}/acknowledge", VmsAcknowledgeRequest,
                          VmsAcknowledgeResponse),
    "get_po": ("GET", "/vms/orders/{order_id}/po", None, VmsPoResponse),
    "post_b2b_invoice": ("POST", "/vms/orders/{order_id}/b2bInvoice", VmsB2bInvoiceRequest, VmsB2bInvoiceResponse),
    "get_documents": ("GET", "/vms/orders/{order_id}/documents", None, VmsDocumentsResponse),
    "cancel_order": ("POST", "/vms/orders/{order_id}/cancel", VmsCancelRequest, VmsCancelResponse),
    "create_manifest": ("POST", "/vms/manifests", VmsManifestRequest, VmsManifestResponse),
    "list_returns": ("GET", "/vms/returns", VmsReturnsQuery, VmsReturnsResponse),
    "request_rto": ("POST", "/vms/returns/rto", VmsRtoRequest, VmsRtoResponse),
    "quality_check": ("POST", "/vms/returns/{return_order_id}/qc", VmsQcRequest, VmsQcResponse),
    "post_credit_note": ("POST", "/vms/returns/{return_order_id}/creditNote", VmsCreditNoteRequest,
                         VmsCreditNoteResponse),
    "list_rsi": ("GET", "/vms/rsi", VmsRsiListQuery, VmsRsiListResponse),
    "accept_rsi": ("POST", "/vms/rsi/{rsi_number}/accept", VmsRsiAcceptRequest, VmsRsiAcceptResponse),
}
