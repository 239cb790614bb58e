"""VMS `/vms` request and answer shapes (API.md pinned paths and names; seed 002 payloads).

The seed 002 invoice, credit-note and RSI shapes are defined once, in contracts/erp.py, and reused here.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from contracts.common import MAX_EPOCH, Bool, Float, Int, PageQuery, StrictSchema
from contracts.erp import (QC_REASONS, QC_STATUSES, B2bInvoicePosting, CreditNotePosting, RsiQuery, RsiResponse,
                           InvoiceLineEntry)

PUBLIC_STATUSES = ("CREATED", "ACKNOWLEDGED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED",
                   "CANCELLED")
RETURN_TYPES = ("RTO", "CUSTOMER_RETURN")
MAX_MANIFEST = 250
_EPOCH = validate.Range(min=0, max=MAX_EPOCH, error=f"must be epoch seconds between 0 and {MAX_EPOCH}")


class _DateRange(PageQuery):
    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")


class OrdersQuery(_DateRange):
    """GET /vms/orders: B2C orders by creation time (seed 002: 'using date filters'), epoch seconds."""

    fromDate = fields.Integer(required=True, validate=_EPOCH, metadata={"description": "created at or after"})
    toDate = fields.Integer(required=True, validate=_EPOCH, metadata={"description": "created at or before"})


class EmptyRequest(StrictSchema):
    """Acknowledge and RSI accept take {} (API.md)."""


AcknowledgeRequest = EmptyRequest
RsiAcceptRequest = EmptyRequest
B2bInvoiceRequest = B2bInvoicePosting
CreditNoteRequest = CreditNotePosting
RsiListQuery = RsiQuery
RsiListResponse = RsiResponse


class SkuQuantity(StrictSchema):
    channelSkuCode = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))


class CancelRequest(StrictSchema):
    """{} cancels the whole order; {"lines": [...]} part of it (model 1: only before the e-invoice)."""

    lines = fields.List(fields.Nested(SkuQuantity), validate=validate.Length(min=1, max=500))

    @validates_schema
    def _distinct(self, data, **kwargs):
        seen = set()
        for i, line in enumerate(data.get("lines") or []):
            if line["channelSkuCode"] in seen:
                raise ValidationError({"lines": {i: {"channelSkuCode": ["repeated in this request"]}}})
            seen.add(line["channelSkuCode"])


class ManifestRequest(StrictSchema):
    orderIds = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                           validate=validate.Length(min=1, max=MAX_MANIFEST, error=(
                               "must hold between 1 and 250 orders: at most 250 shipments per manifest (Increff)")))


class ReturnsQuery(_DateRange):
    fromDate = fields.Integer(validate=_EPOCH)
    toDate = fields.Integer(validate=_EPOCH)
    returnType = fields.String(validate=validate.OneOf(RETURN_TYPES))


class RtoRequest(StrictSchema):
    """RTO generation request (seed 002): the parcel came back and no RTO expectation came from AJIO."""

    order_id = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "the forward order id"})


class QcItem(StrictSchema):
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


class QcRequest(StrictSchema):
    items = fields.List(fields.Nested(QcItem), required=True, validate=validate.Length(min=1, max=500))


# -- answers ------------------------------------------------------------------------------------
class Page(Schema):
    number = Int()
    size = Int()
    totalElements = Int()
    totalPages = Int()


class OrderLine(Schema):
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


class Order(Schema):
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
    order_lines = fields.List(fields.Nested(OrderLine))


class OrdersResponse(Schema):
    orders = fields.List(fields.Nested(Order))
    page = fields.Nested(Page)


class AcknowledgeResponse(Schema):
    order_id = fields.String()
    status = fields.String()
    acknowledged_at = Int()


class PoLine(Schema):
    order_item_id = fields.String()
    channelSkuCode = fields.String()
    hsn = fields.String()
    quantity = Int()
    b2b_unit_price = Float(metadata={"description": "B2B price per unit including GST"})


class PoResponse(Schema):
    order_id = fields.String()
    forwardPurchaseOrder = fields.String()
    po_date = Int()
    po_pdf_url = fields.String()
    lines = fields.List(fields.Nested(PoLine))


class B2bInvoiceResponse(Schema):
    status = fields.String()
    order_id = fields.String()
    order_status = fields.String()
    forwardPurchaseOrder = fields.String()
    invoiceNumber = fields.String()
    invoice_pdf_url = fields.String()
    invoiced = fields.List(fields.Nested(InvoiceLineEntry))
    cancelled = fields.List(fields.Nested(SkuQuantity), metadata={
        "description": "quantities not invoiced, cancelled (seed 002)"})


class DocumentsResponse(Schema):
    order_id = fields.String()
    b2c_invoice_number = fields.String()
    b2c_invoice_pdf_url = fields.String()
    tracking_number = fields.String()
    carrier = fields.String()
    label_pdf_url = fields.String()


class CancelResponse(Schema):
    order_id = fields.String()
    status = fields.String()
    cancelled = fields.List(fields.Nested(SkuQuantity))


class ManifestFailure(Schema):
    orderId = fields.String()
    error_message = fields.String()


class ManifestResponse(Schema):
    manifest_id = fields.String(allow_none=True)
    manifestUrl = fields.String(allow_none=True)
    failed = fields.List(fields.Nested(ManifestFailure))


class ReturnItemQc(Schema):
    passed = Int(data_key="pass")
    failed = Int(data_key="fail")
    qcReasons = fields.List(fields.String())
    imageUrls = fields.List(fields.String())


class ReturnItem(Schema):
    itemCode = fields.String()
    order_item_id = fields.String()
    channelSkuCode = fields.String()
    quantity = Int()
    qc = fields.Nested(ReturnItemQc, allow_none=True)


class Return(Schema):
    return_order_id = fields.String()
    order_id = fields.String(metadata={"description": "the forward order (seed 002: expectation against it)"})
    return_type = fields.String(validate=validate.OneOf(RETURN_TYPES))
    return_status = fields.String()
    return_date = Int()
    return_reason = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    items = fields.List(fields.Nested(ReturnItem))
    creditNoteNumber = fields.String(allow_none=True)


class ReturnsResponse(Schema):
    returns = fields.List(fields.Nested(Return))
    page = fields.Nested(Page)


class RtoResponse(Schema):
    status = fields.String()
    order_id = fields.String()
    expectation_due_at = Int(metadata={"description": "when AJIO's RTO expectation appears (simulated epoch)"})


class QcResponse(Schema):
    return_order_id = fields.String()
    return_status = fields.String()
    items = fields.List(fields.Nested(ReturnItem))


class CreditNoteResponse(Schema):
    status = fields.String()
    returnOrderId = fields.String()
    creditNoteNumber = fields.String()
    credit_note_pdf_url = fields.String()


class RsiAcceptResponse(Schema):
    rsiNumber = fields.String()
    status = fields.String()
    accepted_at = Int()


# operationId (= the view's and domain function's name) -> method, path, request/query schema, answer schema.
OPERATIONS = {
    "list_orders": ("GET", "/vms/orders", OrdersQuery, OrdersResponse),
    "acknowledge_order": ("POST", "/vms/orders/{order_id}/acknowledge", AcknowledgeRequest, AcknowledgeResponse),
    "get_po": ("GET", "/vms/orders/{order_id}/po", None, PoResponse),
    "post_b2b_invoice": ("POST", "/vms/orders/{order_id}/b2bInvoice", B2bInvoiceRequest, B2bInvoiceResponse),
    "get_documents": ("GET", "/vms/orders/{order_id}/documents", None, DocumentsResponse),
    "cancel_order": ("POST", "/vms/orders/{order_id}/cancel", CancelRequest, CancelResponse),
    "create_manifest": ("POST", "/vms/manifests", ManifestRequest, ManifestResponse),
    "list_returns": ("GET", "/vms/returns", ReturnsQuery, ReturnsResponse),
    "request_rto": ("POST", "/vms/returns/rto", RtoRequest, RtoResponse),
    "quality_check": ("POST", "/vms/returns/{return_order_id}/qc", QcRequest, QcResponse),
    "post_credit_note": ("POST", "/vms/returns/{return_order_id}/creditNote", CreditNoteRequest, CreditNoteResponse),
    "list_rsi": ("GET", "/vms/rsi", RsiListQuery, RsiListResponse),
    "accept_rsi": ("POST", "/vms/rsi/{rsi_number}/accept", RsiAcceptRequest, RsiAcceptResponse),
}
