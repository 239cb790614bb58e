"""VMS `/vms` request and answer shapes (API.md pinned paths and names; seed 002 payloads).

The seed 002 invoice, credit-note and RSI shapes are defined once, in contracts/erp.py, and reused here.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts.common import MAX_EPOCH, Bool, Float, Int, PageQuery, StrictSchema
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
    itemCode = fields.String(validate=validate.Length(min=1, max=64),
                             metadata={"description": "the return item's itemCode (GET /vms/returns)"})
    channelSkuCode = fields.String(validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))
    qcStatus = fields.String(required=True, validate=validate.OneOf(QC_STATUSES))
    qcReason = fields.String(validate=validate.OneOf(QC_REASONS))
    imageUrls = fields.List(fields.Url(), validate=validate.Length(min=1, max=20))

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
class VmsPage(Schema):
    number = Int()
    size = Int()
    totalElements = Int()
    totalPages = Int()


class VmsOrderLine(Schema):
    order_item_id = fields.String()
    channelSkuCode = fields.String(metadata={"description": "the EAN; the SKU code of the ERP postings"})
    sku = fields.String()
    name = fields.String()
    brand_name = fields.String()
    size = fields.String()
    color = fields.String()
    hsn = fields.String()
    quantity = Int(metadata={"description": "open quantity (ordered minus cancelled)"})
    ordered_quantity = Int()
    customer_cancelled_qty = Int()
    seller_cancelled_qty = Int()
    invoiced_quantity = Int(allow_none=True)
    mrp = Float()
    unit_price = Float()


class VmsOrder(Schema):
    order_id = fields.String()
    order_date = Int()
    status = fields.String(validate=validate.OneOf(PUBLIC_STATUSES))
    payment_method = fields.String()
    total_amount = Float()
    po_available = Bool(metadata={"description": "PO availability is a flag, not a status (API.md)"})
    forwardPurchaseOrder = fields.String(allow_none=True)
    invoiceNumber = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    manifest_id = fields.String(allow_none=True)
    return_order_ids = fields.List(fields.String())
    order_lines = fields.List(fields.Nested(VmsOrderLine))


class VmsOrdersResponse(Schema):
    orders = fields.List(fields.Nested(VmsOrder))
    page = fields.Nested(VmsPage)


class VmsAcknowledgeResponse(Schema):
    order_id = fields.String()
    status = fields.String()
    acknowledged_at = Int()


class VmsPoLine(Schema):
    order_item_id = fields.String()
    channelSkuCode = fields.String()
    hsn = fields.String()
    quantity = Int()
    b2b_unit_price = Float(metadata={"description": "B2B price per unit including GST"})


class VmsPoResponse(Schema):
    order_id = fields.String()
    forwardPurchaseOrder = fields.String()
    po_date = Int()
    po_pdf_url = fields.String()
    lines = fields.List(fields.Nested(VmsPoLine))


class VmsB2bInvoiceResponse(Schema):
    status = fields.String()
    order_id = fields.String()
    order_status = fields.String()
    forwardPurchaseOrder = fields.String()
    invoiceNumber = fields.String()
    invoice_pdf_url = fields.String()
    invoiced = fields.List(fields.Nested(InvoiceLineEntry))
    cancelled = fields.List(fields.Nested(VmsSkuQuantity), metadata={
        "description": "quantities not invoiced, cancelled (seed 002)"})


class VmsDocumentsResponse(Schema):
    order_id = fields.String()
    b2c_invoice_number = fields.String()
    b2c_invoice_pdf_url = fields.String()
    tracking_number = fields.String()
    carrier = fields.String()
    label_pdf_url = fields.String()


class VmsCancelResponse(Schema):
    order_id = fields.String()
    status = fields.String()
    cancelled = fields.List(fields.Nested(VmsSkuQuantity))
    invoice_cancelled = fields.String(metadata={
        "description": "model 2: the B2B invoice this partial cancellation cancelled; RMS posts a new one with a "
                       "new number for what is left (an issued invoice never changes)"})


class VmsManifestFailure(Schema):
    orderId = fields.String()
    error_message = fields.String()


class VmsManifestResponse(Schema):
    manifest_id = fields.String(allow_none=True)
    manifestUrl = fields.String(allow_none=True)
    failed = fields.List(fields.Nested(VmsManifestFailure))


class VmsReturnItemQc(Schema):
    passed = Int(data_key="pass")
    failed = Int(data_key="fail")
    qcReasons = fields.List(fields.String())
    imageUrls = fields.List(fields.String())


class VmsReturnItem(Schema):
    itemCode = fields.String()
    order_item_id = fields.String()
    channelSkuCode = fields.String()
    quantity = Int()
    qc = fields.Nested(VmsReturnItemQc, allow_none=True)


class VmsReturn(Schema):
    return_order_id = fields.String()
    order_id = fields.String(metadata={"description": "the forward order (seed 002: expectation against it)"})
    return_type = fields.String(validate=validate.OneOf(RETURN_TYPES))
    return_status = fields.String()
    return_date = Int()
    return_reason = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    items = fields.List(fields.Nested(VmsReturnItem))
    creditNoteNumber = fields.String(allow_none=True)


class VmsReturnsResponse(Schema):
    returns = fields.List(fields.Nested(VmsReturn))
    page = fields.Nested(VmsPage)


class VmsRtoResponse(Schema):
    status = fields.String()
    order_id = fields.String()
    expectation_due_at = Int(metadata={"description": "when AJIO's RTO expectation appears (simulated epoch)"})


class VmsQcResponse(Schema):
    return_order_id = fields.String()
    return_status = fields.String()
    items = fields.List(fields.Nested(VmsReturnItem))


class VmsCreditNoteResponse(Schema):
    status = fields.String()
    returnOrderId = fields.String()
    creditNoteNumber = fields.String()
    credit_note_pdf_url = fields.String()


class VmsRsiAcceptResponse(Schema):
    rsiNumber = fields.String()
    status = fields.String()
    accepted_at = Int()


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
