"""Shared pieces of the contract: paging, AJIO's error body, strict integers."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

MAX_PAGE_SIZE = 50
# 9999-12-31T23:59:59Z: beyond it an epoch is no date (and no longer fits the store's 64-bit integers).
MAX_EPOCH = 253_402_300_799
# The latest simulated now: 9999-01-01T00:00:00Z. Documents are dated in IST (+5:30) and timers fall
# days after now; a year of headroom keeps every date the simulator prints within year 9999.
MAX_CLOCK = 253_370_764_800


class StrictSchema(Schema):
    """AJIO refuses unknown fields; so do we, naming the field."""

    class Meta:
        unknown = RAISE


def Int(**kwargs) -> fields.Integer:
    # strict: "2" or 2.0 is a wrong type, as a typed Java backend would treat it.
    return fields.Integer(strict=True, **kwargs)


class _StrictFloat(fields.Float):
    def _validated(self, value):
        # A JSON number only: "30" is a wrong type, as for Int (a bare Float would parse the string).
        if isinstance(value, str):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


def Float(**kwargs) -> fields.Float:
    return _StrictFloat(allow_nan=False, **kwargs)


def Bool(**kwargs) -> fields.Boolean:
    # JSON true/false only: "yes" or 1 for a flag is a client bug worth reporting.
    return fields.Boolean(truthy={True}, falsy={False}, **kwargs)


class PageQuery(StrictSchema):
    page = fields.Integer(load_default=0, validate=validate.Range(min=0, error="must be >= 0 (pages count from 0)"))
    size = fields.Integer(load_default=20, validate=validate.Range(
        min=1, max=MAX_PAGE_SIZE, error=f"must be between 1 and {MAX_PAGE_SIZE}"))


class ErrorBody(Schema):
    status = fields.String(required=True, metadata={"example": "FAILED"})
    error_message = fields.String(required=True)
    error_code = fields.String()
    field = fields.String()
    rule = fields.String()


class AuthTokenRequest(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))
