"""Dropship request shapes (API.md pinned bodies; grounded field names kept exactly)."""
from __future__ import annotations

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from contracts.common import MAX_EPOCH, Float, Int, PageQuery, StrictSchema

ACTIONS = ("Acknowledge", "Cancel")
PUBLISHED_STATUSES = ("PUBLISHED", "UNPUBLISHED")
PUBLIC_STATUSES = ("CREATED", "CONFIRMED", "PACKED", "READY_TO_DISPATCH", "DISPATCHED", "DELIVERED", "CANCELLED")
RETURN_TYPES = ("RTO", "CUSTOMER_RETURN")
QC_CODES = ("GOOD", "BAD", "MISSING")
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
    inventory = fields.List(fields.Nested(InventoryLine), required=True, validate=validate.Length(
        min=1, max=50, error="must hold between 1 and 50 lines: AJIO takes at most 50 SKUs per call"))


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
    orderIds = fields.String(validate=validate.Length(min=1, max=MAX_ORDER_IDS * 40))
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

    # Declared only so that a split attempt gets the split rule, not a bare "Unknown field".
    locals().update({key: fields.Raw(load_only=True, metadata={"deprecated": True}) for key in _SPLIT_KEYS})

    @validates_schema
    def _no_split(self, data, **kwargs):
        named = [key for key in _SPLIT_KEYS if key in data]
        if named:
            raise ValidationError(
                "order split is not supported by AJIO Dropship (seed 000 point 5): the invoice covers the "
                "whole order; send {}", field_name=named[0])


class LabelRequest(StrictSchema):
    weight_grams = Int(required=True, validate=validate.Range(min=1, max=50_000, error="must be between 1 and 50000 grams"))
    length_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))
    breadth_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))
    height_cm = Float(required=True, validate=validate.Range(min=0.1, max=300, error="must be between 0.1 and 300 cm"))


class DispatchItem(StrictSchema):
    masterAWB = fields.String(required=True, validate=validate.Length(min=1, max=64))
    orderId = fields.String(required=True, validate=validate.Length(min=1, max=64))
    invoiceNo = fields.String(required=True, validate=validate.Length(min=1, max=64))


class DispatchRequest(StrictSchema):
    dispatchItems = fields.List(fields.Nested(DispatchItem), required=True, validate=validate.Length(
        min=1, max=250, error="must hold between 1 and 250 shipments: at most 250 per manifest (Increff)"))
    # Unicommerce's CreateManifest utility sends this beside dispatchItems; accepted, not used.
    auth = fields.String(validate=validate.Length(max=512))


class ReturnsQuery(PageQuery):
    returnType = fields.String(validate=validate.OneOf(RETURN_TYPES))
    fromDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))
    toDate = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH, error=_EPOCH_ERROR))

    @validates_schema
    def _range(self, data, **kwargs):
        if "fromDate" in data and "toDate" in data and data["fromDate"] > data["toDate"]:
            raise ValidationError("must not be after toDate", field_name="fromDate")


class CreateRtoItem(StrictSchema):
    item_id = fields.String(validate=validate.Length(max=128))
    order_item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=_pos_qty)
    qc_code = fields.String(required=True, validate=validate.OneOf(QC_CODES))
    reason = fields.String(validate=validate.Length(max=256))


class CreateRtoRequest(StrictSchema):
    order_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    order_items = fields.List(fields.Nested(CreateRtoItem), required=True, validate=validate.Length(min=1, max=500))


class QcItem(StrictSchema):
    return_item_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    quantity = Int(required=True, validate=_pos_qty)
    qc_code = fields.String(required=True, validate=validate.OneOf(QC_CODES))
    reason = fields.String(validate=validate.Length(max=256))


class QcRequest(StrictSchema):
    items = fields.List(fields.Nested(QcItem), required=True, validate=validate.Length(min=1, max=500))
