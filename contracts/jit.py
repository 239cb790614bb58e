"""JIT `/jit` request and response shapes (API.md pinned JIT details; seed 001 touchpoints).

Every request and answer of `/jit` is defined here and only here: the views parse requests with
these schemas and dump answers through them, and the OpenAPI document is generated from them.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from contracts.common import (
    COMPARISON,
    MAX_EPOCH,
    UNIQUE_PROPERTY,
    ErrorBody,
    Int,
    PageQuery,
    StrictSchema,
    Unstated,
    id_list_pattern,
)

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
                             metadata={"pattern": id_list_pattern(MAX_ORDER_IDS),
                                       **_d(f"comma-separated PO numbers (order_id), 1 to {MAX_ORDER_IDS}")})
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

    # Refused by the domain (simulator/domain/jit/orders.py), after the line is checked against the PO.
    UNSTATED = (Unstated("lines[].order_item_id", r"order_item_id \S+ repeated", UNIQUE_PROPERTY,
                         "each order_item_id once"),)

    lines = fields.List(fields.Nested(JitLineQuantity), required=True, validate=validate.Length(min=1, max=500),
                        metadata=_d("quantities to cancel now (a delta), per PO line; allowed until packed"))


class JitInvoiceRequest(StrictSchema):
    """Body `{}`: AJIO issues the B2B invoice from the seller's registered series for the open quantities."""


class JitPrepackRequest(StrictSchema):
    # A repeated box id is refused (simulator/domain/jit/fulfilment.py): uniqueItems states it.
    box_ids = fields.List(fields.String(validate=_id), required=True,
                          validate=validate.Length(min=1, max=MAX_BOXES),
                          metadata={"uniqueItems": True, **_d(
                              "seed 001 row 4 (Prefetch Shipment Label): box ids (LPN) whose dummy ship labels are "
                              "fetched at picklist time, before the pack call; each once")})


class JitBoxItem(StrictSchema):
    order_item_id = fields.String(required=True, validate=_id)
    quantity = Int(required=True, validate=_pos_qty)


class JitBox(StrictSchema):
    box_id = fields.String(required=True, validate=_id, metadata=_d("box id / LPN, unique per POB"))
    seal_id = fields.String(required=True, validate=_id, metadata=_d("the box's seal id, unique per POB"))
    items = fields.List(fields.Nested(JitBoxItem), required=True, validate=validate.Length(min=1, max=500))


class JitPackRequest(StrictSchema):
    """JitBox-wise packing: per line, the boxes' quantities must add up to the invoiced quantity."""

    # Refused by the domain (simulator/domain/jit/fulfilment.py), every box checked in order.
    UNSTATED = (Unstated("boxes[].box_id", r"box_id \S+ repeated", UNIQUE_PROPERTY, "each box_id once"),
                Unstated("boxes[].seal_id", r"seal_id \S+ repeated", UNIQUE_PROPERTY, "each seal_id once"),
                Unstated("boxes[].items[].order_item_id", r"order_item_id \S+ appears twice in box",
                         UNIQUE_PROPERTY, "each order_item_id once per box"))

    boxes = fields.List(fields.Nested(JitBox), required=True, validate=validate.Length(min=1, max=MAX_BOXES))


class JitDispatchItem(StrictSchema):
    masterAWB = fields.String(required=True, validate=_id, metadata=_d("the PO's master AWB from the pack answer"))
    orderId = fields.String(required=True, validate=_id, metadata=_d("the PO number"))
    invoiceNo = fields.String(required=True, validate=_id, metadata=_d("the PO's current invoice number"))


class JitDispatchRequest(StrictSchema):
    dispatchItems = fields.List(fields.Nested(JitDispatchItem), required=True, validate=[
        validate.Length(min=1, error="must hold at least 1 shipment"),
        validate.Length(max=250, error="must hold at most 250 shipments: at most 250 per manifest "
                                       "(rule MANIFEST-MAX-250; Increff)")])
    # Unicommerce's CreateManifest utility sends this beside dispatchItems; accepted, not used.
    auth = fields.String(validate=validate.Length(max=512))


class JitInventoryLine(StrictSchema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    quantity = Int(required=True, validate=validate.Range(min=0, max=1_000_000, error="must be between 0 and 1000000"))


class JitInventoryPushRequest(StrictSchema):
    """seed 001 "Inventory Push": absolute quantities, at most 50 SKUs a call (API.md)."""

    # Refused by the domain (simulator/domain/jit/inventory.py), after the SKU is checked against the POB's.
    UNSTATED = (Unstated("inventory[].sku", r"sku \S+ repeated", UNIQUE_PROPERTY, "each sku once"),)

    inventory = fields.List(fields.Nested(JitInventoryLine), required=True, validate=[
        validate.Length(min=1, error="must hold at least 1 line"),
        validate.Length(max=50, error="must hold at most 50 lines: AJIO takes at most 50 SKUs per call "
                                      "(rule INVENTORY-ABSOLUTE-MAX-50)")])


class JitInventoryQuery(StrictSchema):
    sku = fields.String(validate=validate.Length(min=1, max=128))


class JitReturnsQuery(PageQuery):
    UNSTATED = (Unstated("fromDate", "must not be after toDate", COMPARISON),)

    fromDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))
    toDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))

    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")


# -- responses ------------------------------------------------------------------------------------
# `required` means "always in the answer" (null where the schema says nullable); an optional key is
# sent only in the case its description names (e.g. `irn` for e-invoicing sellers).
def _s(text: str | None = None, **kw) -> fields.String:
    return fields.String(required=True, metadata=_d(text) if text else {}, **kw)


def _null_s(text: str | None = None) -> fields.String:
    return _s(text, allow_none=True)


def _i(text: str | None = None, **kw) -> fields.Integer:
    return fields.Integer(required=True, metadata=_d(text) if text else {}, **kw)


def _f(text: str | None = None) -> fields.Float:
    return fields.Float(required=True, metadata=_d(text) if text else {})


def _list(schema, text: str | None = None) -> fields.List:
    return fields.List(fields.Nested(schema), required=True, metadata=_d(text) if text else {})


def _url(text: str) -> fields.String:
    return fields.String(required=True, metadata={"format": "uri", "description": text + ": GET /documents/{document_id} "
                                                  "with the owning POB's apiKey"})


class JitPageBlock(Schema):
    """Spring-style page block (API.md): `number` counts from 0."""

    number = _i()
    size = _i()
    totalElements = _i()
    totalPages = _i()


class JitProduct(Schema):
    sku_code = _s("AJIO's SKU code: map it to the connector's channel SKU code (seed 001)")
    product_id = _s()
    variant_id = _s()
    channel_product_id = _s("ProductId~VariantId, the channel product id seed 001 makes mandatory to map")
    ean = _s()
    name = _s()
    brand_name = _s()
    color = _s()
    size = _s()
    hsn = _s()
    mrp = _f()
    moderation_status = _s("APPROVED or PENDING (seed 001: SKU pull in moderation mode)",
                           validate=validate.OneOf(MODERATION_STATUSES))


class JitProductsAnswer(Schema):
    products = _list(JitProduct)
    page = fields.Nested(JitPageBlock, required=True)


class JitOrderLine(Schema):
    order_item_id = _s()
    sku_code = _s()
    product_id = _s()
    variant_id = _s()
    ean = _s()
    quantity = _i("quantity on the PO as AJIO raised it")
    cancelled_quantity = _i("quantity the seller cancelled so far")
    open_quantity = _i("quantity - cancelled_quantity: what the invoice and boxes carry")
    hsn = _s()
    b2b_base_price = _f("unit price before GST that AJIO pays")
    gst_rate = _f()


class JitAddress(Schema):
    name = _s()
    line1 = _s()
    city = _s()
    state = _s()
    pincode = _s()


class JitOrder(Schema):
    order_id = _s("the PO number")
    po_date = _i("epoch seconds")
    status = _s(validate=validate.OneOf(PO_STATUSES))
    order_lines = _list(JitOrderLine)
    deliver_to = fields.Nested(JitAddress, required=True, metadata=_d("the AJIO warehouse the PO ships to"))
    invoice_number = _null_s("null until AJIO issued the invoice")
    invoice_stale = fields.Boolean(required=True, metadata=_d(
        "open quantities changed since the invoice: update it (PUT) before packing"))
    master_awb = _null_s("null until packed")
    manifest_id = _null_s("null until manifested")


class JitOrdersAnswer(Schema):
    orders = _list(JitOrder)
    page = fields.Nested(JitPageBlock, required=True)


class JitInvoiceLine(Schema):
    order_item_id = _s()
    quantity = _i()


class JitInvoiceAnswer(Schema):
    order_id = _s()
    invoice_number = _s("from the seller's registered invoice series")
    invoice_date = _i("epoch seconds")
    invoice_pdf_url = _url("the invoice PDF")
    invoice_lines = _list(JitInvoiceLine, "invoiced quantities: the boxes must add up to these")
    irn = fields.String(metadata=_d("only for an e-invoicing seller (seed 001 prerequisites)"))
    qr_code = fields.String(metadata=_d("signed QR payload; only for an e-invoicing seller"))


class JitBoxLabel(Schema):
    box_id = _s()
    tracking_number = _s()
    label_pdf_url = _url("the box's ship label PDF")


class JitPackAnswer(Schema):
    order_id = _s()
    status = _s(validate=validate.OneOf(PO_STATUSES))
    master_awb = _s("send as masterAWB in POST /jit/orders/dispatch")
    boxes = _list(JitBoxLabel)


class JitPrepackAnswer(Schema):
    order_id = _s()
    invoice = fields.Nested(JitInvoiceAnswer, required=True)
    boxes = _list(JitBoxLabel)


class JitFailedDispatchItem(Schema):
    masterAWB = _s()
    orderId = _s()
    invoiceNo = _s()
    error_message = _s()


class JitDispatchAnswer(Schema):
    """200: a manifest was made; the items that could not join it are listed, each with its reason."""

    status = _s("SUCCESS", validate=validate.OneOf(("SUCCESS",)))
    manifest_id = _s()
    manifestUrl = _url("the manifest PDF")
    failedDispatchItems = _list(JitFailedDispatchItem)


class JitDispatchFailedAnswer(ErrorBody):
    """400: nothing was manifested. Either every item failed (`failedDispatchItems` says why, `manifest_id`
    and `manifestUrl` are null) or the request broke the contract (`field`, `errors`)."""

    manifest_id = fields.String(allow_none=True, metadata=_d("null: no manifest (present when items failed)"))
    manifestUrl = fields.String(allow_none=True, metadata=_d("null: no manifest (present when items failed)"))
    failedDispatchItems = fields.List(fields.Nested(JitFailedDispatchItem), metadata=_d(
        "every item with its reason (present when items failed)"))


class JitInventoryItem(Schema):
    sku = _s()
    quantity = _i()


class JitInventoryAnswer(Schema):
    inventory = _list(JitInventoryItem)


class JitInventoryPushAnswer(Schema):
    status = _s("SUCCESS: every line applied (all or none)", validate=validate.OneOf(("SUCCESS",)))
    inventory = _list(JitInventoryItem)


class JitBackorder(Schema):
    sku = _s()
    demand = _i("open quantity on POs not yet packed")
    available = _i("AJIO's view of the seller's stock")


class JitBackordersAnswer(Schema):
    backorders = _list(JitBackorder)


class JitReturnItem(Schema):
    return_item_id = _s()
    order_item_id = _s()
    sku_code = _s()
    ean = _s()
    return_quantity = _i()


class JitReturn(Schema):
    return_order_id = _s()
    return_date = _i("epoch seconds")
    order_id = _s()
    return_type = _s()
    return_status = _s("seed 001 row 3: a pulled return is always CONFIRMED")
    return_reason = _null_s()
    return_order_items = _list(JitReturnItem)


class JitReturnsAnswer(Schema):
    returns = _list(JitReturn)
    page = fields.Nested(JitPageBlock, required=True)


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
