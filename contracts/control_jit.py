"""Control-plane (/_sim/jit) request shapes for the JIT world: new POs, inventory drift, returns to the seller."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.common import Int, StrictSchema
from contracts.control import LineQuantity, OrderLineSpec


class CreatePosRequest(StrictSchema):
    """AJIO raises purchase orders: Faker-made (seeded) or with explicit lines; stock is not checked."""

    pob_id = fields.String(required=True)
    count = Int(load_default=1, validate=validate.Range(min=1, max=1000, error="must be between 1 and 1000"))
    seed = Int()
    lines = fields.List(fields.Nested(OrderLineSpec), validate=validate.Length(min=1, max=20))


class DriftLine(StrictSchema):
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    delta = Int(validate=validate.Range(min=-1_000_000, max=1_000_000))
    quantity = Int(validate=validate.Range(min=0, max=1_000_000))

    @validates_schema
    def _one_of(self, data, **kwargs):
        if ("delta" in data) == ("quantity" in data):
            raise ValidationError("give exactly one of delta (added to AJIO's view) or quantity (AJIO's view "
                                  "becomes it)", field_name="delta")


class DriftRequest(StrictSchema):
    """AJIO's view of stock moves away from the seller's push: what the daily reconciliation must catch (seed 001)."""

    pob_id = fields.String(required=True)
    lines = fields.List(fields.Nested(DriftLine), required=True, validate=validate.Length(min=1, max=500))


class ModerateRequest(StrictSchema):
    """AJIO's catalog team approves a SKU or sends it back to moderation (seed 001 row 1: SKU pull in moderation mode)."""

    pob_id = fields.String(required=True)
    sku = fields.String(required=True, validate=validate.Length(min=1, max=128))
    moderation_status = fields.String(required=True, validate=validate.OneOf(("APPROVED", "PENDING")))


class StockQuery(StrictSchema):
    pob_id = fields.String(required=True)


class VendorReturnRequest(StrictSchema):
    lines = fields.List(fields.Nested(LineQuantity), validate=validate.Length(min=1, max=500))
    reason = fields.String(validate=validate.Length(min=1, max=64))
