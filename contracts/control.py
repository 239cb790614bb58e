"""Control-plane (/_sim) request shapes: what QA and tests send to drive the world."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from contracts.common import MAX_CLOCK, MAX_EPOCH, Bool, Int, PageQuery, StrictSchema
from contracts.durations import EXAMPLES, parse_duration

MODELS = ("ds", "jit", "vms")
MAX_ACK_HOLD = 7 * 86400


class Duration(fields.Field):
    """Seconds, or a duration as people write it ("4h", "30m"; contracts/durations.py)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            seconds = parse_duration(value)
        except ValueError:
            raise ValidationError(f"must be a duration: seconds or e.g. {EXAMPLES}") from None
        if seconds > MAX_ACK_HOLD:
            raise ValidationError(f"must be at most {MAX_ACK_HOLD} seconds (7 days)")
        return seconds


class CreateSellerRequest(StrictSchema):
    model = fields.String(required=True, validate=validate.OneOf(MODELS))
    seller_id = fields.String(validate=validate.Length(min=1, max=32))
    store_code = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$",
                                                        error="must be 1-32 letters, digits, '-' or '_'"))
    einvoicing = Bool(load_default=False)
    shipping_api_access = Bool(load_default=True)
    erp_url = fields.Url(require_tld=False, allow_none=True, load_default=None)
    einvoice_model = fields.String(validate=validate.OneOf(("erp", "rms")))
    return_model = fields.String(validate=validate.OneOf(("credit_note", "rsi")))
    einvoicing_username = fields.String()
    einvoicing_password = fields.String()
    # VMS, the VMS integration layer's role (docs/vms.md): who holds the acknowledgement, and for how long.
    vms_layer = fields.String(validate=validate.OneOf(("connector", "simulated")), metadata={
        "description": "connector (default): a VMS-layer connector under test holds acknowledgements; simulated: "
                       "ajio-sim plays Increff's VMS layer for an ERP under test and holds them itself"})
    ack_hold = Duration(metadata={"description": "the acknowledgement hold (seed 002: 4 hours); seconds or e.g. "
                                                 "'4h'; 0 = no hold (default 4h)"})
    late_customer_cancel = Bool(metadata={
        "description": "customers may still cancel after the acknowledgement (seed 004's moment; default false)"})
    channel_name = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,32}$",
                                                          error="must be 1-32 letters, digits, '-' or '_'"),
                                 metadata={"description": "the channel (customer) code the ERP postings and RSI "
                                                          "name (default derived from the POB id)"})
    # JIT: the event that marks a PO ready to ship, pack or manifest (seed 001 row 5; default manifest).
    ready_to_ship_at = fields.String(validate=validate.OneOf(("pack", "manifest")))
    password = fields.String(validate=validate.Length(min=8, max=128))
    catalog_size = Int(validate=validate.Range(min=1, max=500))


class OrderLineSpec(StrictSchema):
    sku = fields.String(required=True)
    quantity = Int(load_default=1, validate=validate.Range(min=1, max=100))


class CreateOrdersRequest(StrictSchema):
    pob_id = fields.String(required=True)
    count = Int(load_default=1, validate=validate.Range(min=1, max=1000, error="must be between 1 and 1000"))
    seed = Int()
    lines = fields.List(fields.Nested(OrderLineSpec), validate=validate.Length(min=1, max=20))
    payment_method = fields.String(validate=validate.OneOf(("PREPAID", "COD")))


class LineQuantity(StrictSchema):
    order_item_id = fields.String(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))


class CustomerCancelRequest(StrictSchema):
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))


class CustomerReturnRequest(StrictSchema):
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))
    reason = fields.String(validate=validate.OneOf(("SIZE_FIT_ISSUES", "DAMAGED_PRODUCT", "WRONG_PRODUCT",
                                                    "QUALITY_ISSUES", "NOT_AS_DESCRIBED", "CHANGED_MIND")))


class EmptyRequest(StrictSchema):
    pass


class ClockAdvanceRequest(StrictSchema):
    seconds = Int(required=True, validate=validate.Range(min=0, max=10 * 365 * 86400))


class ClockSetRequest(StrictSchema):
    now = Int(required=True, validate=validate.Range(min=0, max=MAX_CLOCK))


class ClockFreezeRequest(StrictSchema):
    frozen = Bool(load_default=True)


class OrdersListQuery(PageQuery):
    pob_id = fields.String()
    status = fields.String()
    model = fields.String(validate=validate.OneOf(MODELS))


class JournalQuery(StrictSchema):
    pob_id = fields.String()
    path = fields.String()
    since = fields.Integer(validate=validate.Range(min=0, max=MAX_EPOCH))
    entity_id = fields.String()
    after_id = fields.Integer(validate=validate.Range(min=0, max=2**62))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=5000))
    # true: only the requests that broke the contract (each with its violations' field paths); false: the rest.
    violations = fields.Boolean()


class InventoryQuery(StrictSchema):
    published_status = fields.String(validate=validate.OneOf(("PUBLISHED", "UNPUBLISHED")))
