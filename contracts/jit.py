"""JIT `/jit` request and response shapes (API.md pinned JIT details; seed 001 touchpoints).

Every request and answer of `/jit` is defined here and only here: the views parse requests with
these schemas and dump answers through them, and the OpenAPI document is generated from them.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from contracts.common import MAX_EPOCH, Int, PageQuery, StrictSchema

PO_STATUSES = ("CREATED", "INVOICED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED")
MODERATION_STATUSES = ("APPROVED", "PENDING")
MAX_BOXES = 100
MAX_ORDER_IDS = 50
_pos_qty = validate.Range(min=1, max=10_000, error="must be between 1 and 10000")
_id = validate.Length(min=1, max=64)
_EPOCH_ERROR = f"must be epoch seconds between 0 and {MAX_EPOCH}"


def _d(text: str) -> dict:
    return {"description": text}


# -- requests ------------------------------------------------------------------------------------
class JitProductsQuery(PageQuery):
    sku = fields.String(validate=validate.Length(min=1, max=128), metadata=_d("AJIO SKU code (exact match)"))
    moderationStatus = fields.String(validate=validate.OneOf(MODERATION_STATUSES), metadata=_d(
        "seed 001 row 1: SKUs are pulled in moderation mode; APPROVED SKUs can be ordered, PENDING ones not yet"))


class JitOrdersQuery(PageQuery):
    orderIds = fields.String(validate=validate.Length(min=1, max=MAX_ORDER_IDS * 40),
                             metadata=_d("comma-separated PO numbers (order_id)"))
    status = fields.String(validate=validate.OneOf(PO_STATUSES))

    @post_load
    def _split_order_ids(self, data, **kwargs):
        if "orderIds" in data:
            ids = [part.strip() for part in data["orderIds"].split(",") if part.strip()]
            if not ids:
                raise ValidationError("orderIds names no PO: give comma-separated PO numbers", field_name="orderIds")
            if len(ids) > MAX_ORDER_IDS:
                raise ValidationError(f"at most {MAX_ORDER_IDS} orderIds per call (got {len(ids)})",
                                      field_name="orderIds")
            data["orderIds"] = ids
        return data


class JitLineQuantity(StrictSchema):
    order_item_id = fields.String(required=True, validate=_id)
    quantity = Int(required=True, validate=_pos_qty)


class JitCancelRequest(StrictSchema):
    """Seller cancellation push (seed 001 "JitOrder cancellation Push"): per line and quantity, partial allowed."""

    lines = fields.List(fields.Nested(JitLineQuantity), required=True, validate=validate.Length(min=1, max=500),
                        metadata=_d("quantities to cancel now (a delta), per PO line; allowed until packed"))


class JitInvoiceRequest(StrictSchema):
    """Body `{}`: AJIO issues the B2B invoice from the seller's registered series for the open quantities."""


class JitPrepackRequest(StrictSchema):
    box_ids = fields.List(fields.String(validate=_id), required=True,
                          validate=validate.Length(min=1, max=MAX_BOXES),
                          metadata=_d("seed 001 row 4 (Prefetch Shipment Label): box ids (LPN) whose dummy ship "
                                      "labels are fetched at picklist time, before the pack call"))


class JitBoxItem(StrictSchema):
    order_item_id = fields.String(required=True, validate=_id)
    quantity = Int(required=True, validate=_pos_qty)


class JitBox(StrictSchema):
    box_id = fields.String(required=True, validate=_id, metadata=_d("box id / LPN, unique per POB"))
    seal_id = fields.String(required=True, validate=_id, metadata=_d("the box's seal id, unique per POB"))
    items = fields.List(fields.Nested(JitBoxItem), required=True, validate=validate.Length(min=1, max=500))


class JitPackRequest(StrictSchema):
    """JitBox-wise packing: per line, the boxes' quantities must add up to the invoiced quantity."""

    boxes = fields.List(fields.Nested(JitBox), required=True, validate=validate.Length(min=1, max=MAX_BOXES))


class JitDispatchItem(StrictSchema):
    masterAWB = fields.String(required=True, validate=_id, metadata=_d("the PO's master AWB from the pack answer"))
    orderId = fields.String(required=True, validate=_id, metadata=_d("the PO number"))
    invoiceNo = fields.String(required=True, validate=_id, metadata=_d("the PO's current invoice number"))


class JitDispatchRequest(StrictSchema):
    RULES = {"dispatchItems": "MANIFEST-MAX-250"}  # the rule a refusal of the field names (api/common.py)
    dispatchItems = fields.List(fields.Nested(JitDispatchItem), required=True, validate=validate.Length(
        min=1, max=250, error="must hold between 1 and 250 shipments: at most 250 per manifest (Increff)"))
    # Unicommerce's CreateManifest utility sends this beside dispatchItems; accepted, not used.
    auth = fields.String(validate=validate.Length(max=512))


class JitInventoryLine(StrictSchema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    quantity = Int(required=True, validate=validate.Range(min=0, max=1_000_000, error="must be between 0 and 1000000"))


class JitInventoryPushRequest(StrictSchema):
    RULES = {"inventory": "INVENTORY-ABSOLUTE-MAX-50"}
    """seed 001 "Inventory Push": absolute quantities, at most 50 SKUs a call (API.md)."""

    inventory = fields.List(fields.Nested(JitInventoryLine), required=True, validate=validate.Length(
        min=1, max=50, error="must hold between 1 and 50 lines: AJIO takes at most 50 SKUs per call"))


class JitInventoryQuery(StrictSchema):
    sku = fields.String(validate=validate.Length(min=1, max=128))


class JitReturnsQuery(PageQuery):
    fromDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))
    toDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))

    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")


# -- responses ------------------------------------------------------------------------------------
class JitPageBlock(Schema):
    number = fields.Integer()
    size = fields.Integer()
    totalElements = fields.Integer()
    totalPages = fields.Integer()


class JitProduct(Schema):
    sku_code = fields.String(metadata=_d("AJIO's SKU code: map it to the connector's channel SKU code (seed 001)"))
    product_id = fields.String()
    variant_id = fields.String()
    channel_product_id = fields.String(metadata=_d("ProductId~VariantId, the channel product id seed 001 makes "
                                                   "mandatory to map"))
    ean = fields.String()
    name = fields.String()
    brand_name = fields.String()
    color = fields.String()
    size = fields.String()
    hsn = fields.String()
    mrp = fields.Float()
    moderation_status = fields.String(metadata=_d("APPROVED or PENDING (seed 001: SKU pull in moderation mode)"))


class JitProductsAnswer(Schema):
    products = fields.List(fields.Nested(JitProduct))
    page = fields.Nested(JitPageBlock)


class JitOrderLine(Schema):
    order_item_id = fields.String()
    sku_code = fields.String()
    product_id = fields.String()
    variant_id = fields.String()
    ean = fields.String()
    quantity = fields.Integer(metadata=_d("quantity on the PO as AJIO raised it"))
    cancelled_quantity = fields.Integer(metadata=_d("quantity the seller cancelled so far"))
    open_quantity = fields.Integer(metadata=_d("quantity - cancelled_quantity: what the invoice and boxes carry"))
    hsn = fields.String()
    b2b_base_price = fields.Float(metadata=_d("unit price before GST that AJIO pays"))
    gst_rate = fields.Float()


class JitAddress(Schema):
    name = fields.String()
    line1 = fields.String()
    city = fields.String()
    state = fields.String()
    pincode = fields.String()


class JitOrder(Schema):
    order_id = fields.String(metadata=_d("the PO number"))
    po_date = fields.Integer(metadata=_d("epoch seconds"))
    status = fields.String(metadata=_d(f"one of {', '.join(PO_STATUSES)}"))
    order_lines = fields.List(fields.Nested(JitOrderLine))
    deliver_to = fields.Nested(JitAddress, metadata=_d("the AJIO warehouse the PO ships to"))
    invoice_number = fields.String(allow_none=True)
    invoice_stale = fields.Boolean(metadata=_d("open quantities changed since the invoice: update it (PUT) before "
                                               "packing"))
    master_awb = fields.String(allow_none=True)
    manifest_id = fields.String(allow_none=True)


class JitOrdersAnswer(Schema):
    orders = fields.List(fields.Nested(JitOrder))
    page = fields.Nested(JitPageBlock)


class JitInvoiceLine(Schema):
    order_item_id = fields.String()
    quantity = fields.Integer()


class JitInvoiceAnswer(Schema):
    order_id = fields.String()
    invoice_number = fields.String(metadata=_d("from the seller's registered invoice series"))
    invoice_date = fields.Integer()
    invoice_pdf_url = fields.String()
    invoice_lines = fields.List(fields.Nested(JitInvoiceLine), metadata=_d("invoiced quantities: the boxes must add "
                                                                        "up to these"))
    irn = fields.String(metadata=_d("e-invoicing sellers only (seed 001 prerequisites)"))
    qr_code = fields.String(metadata=_d("signed QR payload; e-invoicing sellers only"))


class JitBoxLabel(Schema):
    box_id = fields.String()
    tracking_number = fields.String()
    label_pdf_url = fields.String()


class JitPackAnswer(Schema):
    order_id = fields.String()
    status = fields.String()
    master_awb = fields.String(metadata=_d("send as masterAWB in POST /jit/orders/dispatch"))
    boxes = fields.List(fields.Nested(JitBoxLabel))


class JitPrepackAnswer(Schema):
    order_id = fields.String()
    invoice = fields.Nested(JitInvoiceAnswer)
    boxes = fields.List(fields.Nested(JitBoxLabel))


class JitFailedDispatchItem(Schema):
    masterAWB = fields.String()
    orderId = fields.String()
    invoiceNo = fields.String()
    error_message = fields.String()


class JitDispatchAnswer(Schema):
    status = fields.String(metadata=_d("SUCCESS when a manifest was made, else FAILED"))
    manifest_id = fields.String(allow_none=True)
    manifestUrl = fields.String(allow_none=True)
    failedDispatchItems = fields.List(fields.Nested(JitFailedDispatchItem))
    error_message = fields.String()
    error_code = fields.String()


class JitInventoryItem(Schema):
    sku = fields.String()
    quantity = fields.Integer()


class JitInventoryAnswer(Schema):
    inventory = fields.List(fields.Nested(JitInventoryItem))


class JitInventoryPushAnswer(Schema):
    status = fields.String()
    inventory = fields.List(fields.Nested(JitInventoryItem))


class JitBackorder(Schema):
    sku = fields.String()
    demand = fields.Integer(metadata=_d("open quantity on POs not yet packed"))
    available = fields.Integer(metadata=_d("AJIO's view of the seller's stock"))


class JitBackordersAnswer(Schema):
    backorders = fields.List(fields.Nested(JitBackorder))


class JitReturnItem(Schema):
    return_item_id = fields.String()
    order_item_id = fields.String()
    sku_code = fields.String()
    ean = fields.String()
    return_quantity = fields.Integer()


class JitReturn(Schema):
    return_order_id = fields.String()
    return_date = fields.Integer()
    order_id = fields.String()
    return_type = fields.String()
    return_status = fields.String(metadata=_d("seed 001 row 3: a pulled return is always CONFIRMED"))
    return_reason = fields.String(allow_none=True)
    return_order_items = fields.List(fields.Nested(JitReturnItem))


class JitReturnsAnswer(Schema):
    returns = fields.List(fields.Nested(JitReturn))
    page = fields.Nested(JitPageBlock)


class JitEmptyQuery(StrictSchema):
    """No parameter: an unknown one is refused, naming it."""


# Every /jit operation: (method, path) -> (operationId, request schema, answer schema). The
# operationId is the view's and the domain function's name (DESIGN rule 2); errors answer common.ErrorBody.
OPERATIONS = {
    ("GET", "/jit/products"): ("list_products", JitProductsQuery, JitProductsAnswer),
    ("GET", "/jit/orders/pendency"): ("get_pendency", PageQuery, JitOrdersAnswer),
    ("GET", "/jit/orders"): ("list_orders", JitOrdersQuery, JitOrdersAnswer),
    ("POST", "/jit/orders/{order_id}/cancel"): ("cancel_order", JitCancelRequest, JitOrder),
    ("POST", "/jit/orders/{order_id}/invoice"): ("generate_invoice", JitInvoiceRequest, JitInvoiceAnswer),
    ("PUT", "/jit/orders/{order_id}/invoice"): ("update_invoice", JitInvoiceRequest, JitInvoiceAnswer),
    ("POST", "/jit/orders/{order_id}/prepack"): ("prepack", JitPrepackRequest, JitPrepackAnswer),
    ("POST", "/jit/orders/{order_id}/pack"): ("pack", JitPackRequest, JitPackAnswer),
    ("POST", "/jit/orders/dispatch"): ("dispatch_orders", JitDispatchRequest, JitDispatchAnswer),
    ("POST", "/jit/inventory"): ("push_inventory", JitInventoryPushRequest, JitInventoryPushAnswer),
    ("GET", "/jit/inventory"): ("get_inventory", JitInventoryQuery, JitInventoryAnswer),
    ("GET", "/jit/backorders"): ("get_backorders", JitEmptyQuery, JitBackordersAnswer),
    ("GET", "/jit/returns"): ("list_returns", JitReturnsQuery, JitReturnsAnswer),
}
