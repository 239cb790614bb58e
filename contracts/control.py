"""Control-plane (/_sim) request shapes: what QA and tests send to drive the world."""
from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from contracts.common import MAX_CLOCK, MAX_EPOCH, Bool, Float, Int, PageQuery, StrictSchema, Url
from contracts.durations import EXAMPLES, parse_duration

MODELS = ("ds", "jit", "vms")
# The couriers AJIO assigns B2C orders to (simulator/datagen.CARRIERS; a test keeps the two equal).
CARRIERS = ("Delhivery", "Ecom Express", "XpressBees", "Blue Dart", "Shadowfax")
# Why a delivery attempt fails, and the scans QA may inject (docs/dropship.md "Courier tracking").
FAILURE_REASONS = ("CUSTOMER_NOT_AVAILABLE", "ADDRESS_ISSUE", "REFUSED", "COD_NOT_READY")
SCANS = ("IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY")
PROFILES = ("exact", "realistic")
MAX_CATALOGUE = 10_000
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
    erp_url = Url(require_tld=False, allow_none=True, load_default=None)
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
    # The courier AJIO assigns (default: drawn per order); a manifest takes one carrier's shipments.
    carrier = fields.String(validate=validate.OneOf(CARRIERS))


class LineQuantity(StrictSchema):
    order_item_id = fields.String(required=True)
    quantity = Int(required=True, validate=validate.Range(min=1, max=10_000))


class CustomerCancelRequest(StrictSchema):
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))


class CustomerReturnRequest(StrictSchema):
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))
    reason = fields.String(validate=validate.OneOf(("SIZE_FIT_ISSUES", "DAMAGED_PRODUCT", "WRONG_PRODUCT",
                                                    "QUALITY_ISSUES", "NOT_AS_DESCRIBED", "CHANGED_MIND")))


class ReturnCancelRequest(StrictSchema):
    """POST /_sim/returns/{id}/cancel: the customer withdraws the whole return (no body), or only `lines`:
    units of those order lines (the return goes on with the rest; RETURN_CANCELLED once nothing is left)."""
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))


class EmptyRequest(StrictSchema):
    pass


class RtoRequest(StrictSchema):
    """POST /_sim/orders/{id}/rto: the parcel returns to origin now; `reason` is the failed delivery's."""
    reason = fields.String(validate=validate.OneOf(FAILURE_REASONS))


class DeliveryAttemptRequest(StrictSchema):
    reason = fields.String(load_default="CUSTOMER_NOT_AVAILABLE", validate=validate.OneOf(FAILURE_REASONS))
    location = fields.String(validate=validate.Length(min=1, max=100))


class ScanRequest(StrictSchema):
    milestone = fields.String(required=True, validate=validate.OneOf(SCANS))
    location = fields.String(validate=validate.Length(min=1, max=100))


class TimingRequest(StrictSchema):
    """PUT /_sim/timing: the world's timing profile and SLAs (durations in seconds; 0 turns an SLA off)."""
    profile = fields.String(validate=validate.OneOf(PROFILES))
    ack_sla = Int(validate=validate.Range(min=0, max=90 * 86400))
    dispatch_sla = Int(validate=validate.Range(min=0, max=90 * 86400))
    dispatch_sla_cancel = Bool()
    max_delivery_attempts = Int(validate=validate.Range(min=1, max=10))


_SKU = re.compile(r"\S(?:[^\x00-\x1f\x7f]*\S)?")


def gtin_ok(code: str) -> bool:
    """A GS1 barcode number (EAN-13, EAN-8, UPC-A, GTIN-14) with its check digit right."""
    if not (code.isascii() and code.isdigit()) or len(code) not in (8, 12, 13, 14):
        return False
    body, check = code[:-1], int(code[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


class CatalogueProduct(StrictSchema):
    """One listing of a seller's own catalogue (JSON keys, or CSV columns of the same names)."""
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    ean = fields.String(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    brand = fields.String(required=True, validate=validate.Length(min=1, max=100))
    size = fields.String(required=True, validate=validate.Length(min=1, max=32))
    colour = fields.String(required=True, validate=validate.Length(min=1, max=64))
    mrp = Float(required=True, validate=validate.Range(min=0.01, max=10_000_000))
    price = Float(required=True, validate=validate.Range(min=0.01, max=10_000_000))
    hsn = fields.String(required=True, validate=validate.Regexp(r"^(\d{4}|\d{6}|\d{8})$",
                                                                 error="must be an HSN code of 4, 6 or 8 digits"))
    category = fields.String(required=True, validate=validate.Length(min=1, max=100))
    published = Bool(load_default=True)
    quantity = Int(validate=validate.Range(min=0, max=1_000_000))

    @validates("sku")
    def _sku(self, value, **kwargs):
        if not _SKU.fullmatch(value):
            raise ValidationError("must be printable, without leading or trailing spaces (AJIO matches SKUs exactly)")

    @validates("ean")
    def _ean(self, value, **kwargs):
        if not gtin_ok(value):
            raise ValidationError("must be an EAN-13 (or EAN-8, UPC-A, GTIN-14) with a valid check digit")

    @validates_schema
    def _price(self, data, **kwargs):
        if "mrp" in data and "price" in data and data["price"] > data["mrp"]:
            raise ValidationError("must not be above mrp (the selling price includes any discount)", field_name="price")


class _SellerRef(StrictSchema):
    seller_id = fields.String(validate=validate.Length(min=1, max=32))
    pob_id = fields.String(validate=validate.Length(min=1, max=32))

    @validates_schema
    def _one_ref(self, data, **kwargs):
        if ("seller_id" in data) == ("pob_id" in data):
            raise ValidationError("name the seller by seller_id or by one of its POBs (pob_id), not both",
                                  field_name="seller_id")


class ImportCatalogueRequest(_SellerRef):
    """POST /_sim/catalogue: a seller's own catalogue, shared by its POBs (each keeps its own stock)."""
    products = fields.List(fields.Nested(CatalogueProduct), required=True,
                           validate=validate.Length(min=1, max=MAX_CATALOGUE))
    # true: the catalogue replaces the POBs' listings (Faker's go); false: added to and updated in them.
    replace = Bool(load_default=True)


class PublishRequest(_SellerRef):
    skus = fields.List(fields.String(validate=validate.Length(min=1, max=128)), required=True,
                       validate=validate.Length(min=1, max=500))
    published = Bool(required=True)


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


class ChangesQuery(StrictSchema):
    """GET /_sim/changes: the world's transitions after a cursor, with the orders and returns they touched."""
    after_id = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**62))
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=10_000))
    pob_id = fields.String(validate=validate.Length(min=1, max=32))
