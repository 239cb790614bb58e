"""Shared pieces of the contract: paging, AJIO's error body, strict integers, and what the published
document states beyond field types (field and schema `OPENAPI`, `UNSTATED`; docs/contracts.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import RAISE, Schema, fields, validate

MAX_PAGE_SIZE = 50
# 9999-12-31T23:59:59Z: beyond it an epoch is no date (and no longer fits the store's 64-bit integers).
MAX_EPOCH = 253_402_300_799
# The latest simulated now: 9999-01-01T00:00:00Z. Documents are dated in IST (+5:30) and timers fall
# days after now; a year of headroom keeps every date the simulator prints within year 9999.
MAX_CLOCK = 253_370_764_800


# -- "The published schema is a contract test too: make it as strict as the code" -----------------
# A field class or a schema class may carry `OPENAPI`: JSON Schema keywords the OpenAPI builder adds to
# its property (field) or to its component (schema; contracts/openapi_common.py). A schema's `UNSTATED`
# names the refusals of its validators that OpenAPI 3.0.3 cannot state (the builder writes them into the
# descriptions; `ajio-sim contract` lets only these through: simulator/conformance.py).

# What marshmallow's URL validator (fields.Url: absolute; http, https, ftp or ftps; a host with a TLD,
# localhost or IPv4) accepts, in ASCII: ECMA-262 and Python read it alike. tests/contract/test_openapi_keywords.py
# holds it to the validator both ways.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"


def url_pattern(require_tld: bool = True) -> str:
    hosts = [rf"(?:{_LABEL}\.)+(?:[A-Za-z]{{2,6}}|[A-Za-z0-9-]{{2,}})\.?", "localhost",
             r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"]
    if not require_tld:
        hosts.append(rf"{_LABEL}\.?")
    return (r"^(?:https?|ftps?)://(?:(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*@)?"
            rf"(?:{'|'.join(hosts)})(?::[0-9]+)?(?:/?|[/?#][!-~]+)$")


URL_PATTERN = url_pattern()
# Base 64 as binascii.a2b_base64(strict_mode=True) reads it, not empty: whole 4-character groups, padded.
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"


# A comma-separated id list as the query schemas split it (contracts.ds._id_list): parts stripped of what
# str.strip() strips, empty parts dropped; at least 1 and at most `max_ids` ids left.
_BLANK = r"[\s\x1c-\x1f\x85]"
_ID = r"[^,\s\x1c-\x1f\x85]"


def id_list_pattern(max_ids: int) -> str:
    part = f"[^,]*{_ID}[^,]*"
    return f"^(?:{_BLANK}*,)*{part}(?:,(?:{_BLANK}*,)*{part}){{0,{max_ids - 1}}}(?:,{_BLANK}*)*$"


class Url(fields.Url):
    """marshmallow's Url (absolute, its default schemes), published as `format: uri` with the pattern of what
    it accepts (a bare fields.Url fails the document: contracts/openapi_common.py)."""

    def __init__(self, *, require_tld: bool = True, **kwargs):
        super().__init__(require_tld=require_tld, **kwargs)
        self.OPENAPI = {"format": "uri", "pattern": url_pattern(require_tld)}


@dataclass(frozen=True)
class Unstated:
    """A refusal of a request that OpenAPI 3.0.3 cannot state, declared on the operation's request or query
    schema: `field` is the refused path as the 400 names it (`[]` for any index), `refusal` a regular
    expression the start of its message matches, `why` what the document lacks, `rule` the rule in words
    when `refusal` is no readable sentence."""

    field: str
    refusal: str
    why: str
    rule: str = ""

    @property
    def text(self) -> str:
        return f"{self.field}: {self.rule or self.refusal}"

    def matches(self, field: str, message: str) -> bool:
        """Whether a refusal of `field` (indexes as `[n]`) with `message` is this rule's."""
        return re.sub(r"\[\d+\]", "[]", field) == self.field and re.match(self.refusal, message) is not None


COMPARISON = "compares two fields: OpenAPI 3.0.3 has no keyword relating two values"
UNIQUE_PROPERTY = "one property unique across array items: uniqueItems compares whole items"


def any_of_required(*names: str, description: str) -> dict:
    """Schema keywords: at least one of `names` is present."""
    return {"description": description, "anyOf": [{"required": [name]} for name in names]}


def one_of_required(*names: str, description: str) -> dict:
    """Schema keywords: exactly one of `names` is present."""
    return {"description": description, "oneOf": [{"required": [name]} for name in names]}


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


class PageBlock(Schema):
    """Spring-style page block (API.md): `page` counts from 0, `size` <= 50."""

    number = Int(required=True, metadata={"example": 0})
    size = Int(required=True, metadata={"example": 20})
    totalElements = Int(required=True, metadata={"example": 3})
    totalPages = Int(required=True, metadata={"example": 1})


class FieldProblem(Schema):
    field = fields.String(required=True, metadata={"example": "order_lines[0].confirmed_quantity"})
    message = fields.String(required=True, metadata={"example": "Not a valid integer."})


class ErrorBody(Schema):
    """AJIO's error body `{"status": "FAILED", "error_message"}` (API.md), plus what names the cause.

    Closed: a refusal that carries the per-item lists of the call it refused has its own schema, which
    extends this one (e.g. contracts.ds.UpdateInventoryFailedResponse)."""

    status = fields.String(required=True, validate=validate.OneOf(("FAILED",)), metadata={"example": "FAILED"})
    error_message = fields.String(required=True)
    error_code = fields.String(required=True, metadata={"example": "VALIDATION_FAILED"})
    field = fields.String(metadata={"description": "the offending field path, e.g. order_lines[0].quantity"})
    rule_id = fields.String(metadata={"description": "the rulebook id of the rule behind the refusal "
                                                     "(docs/rules.md), e.g. DS-CUSTOMER-CANCEL-UNTIL-INVOICED",
                                      "example": "DS-CUSTOMER-CANCEL-UNTIL-INVOICED"})
    rule = fields.String(metadata={"description": "that rule as one self-standing line: id, statement and the "
                                                  "sentence it rests on, quoted with its document's name"})
    errors = fields.List(fields.Nested(FieldProblem), metadata={"description": "every contract violation"})
    available_at = Int(allow_none=True, metadata={"description": "epoch when a NOT_YET thing becomes available"})


class NumberHolder(Schema):
    """The document that already holds an invoice number, credit-note number or IRN (CGST rule 46, the IRP)."""

    text = fields.String(required=True, metadata={"description": "the holder in words, e.g. the B2B invoice of "
                                                                 "order FN... (POB DV...)"})
    order_id = fields.String(metadata={"description": "the order whose invoice holds the number"})
    return_order_id = fields.String(metadata={"description": "the return whose credit note holds the number"})
    pob_id = fields.String()
    document_id = fields.String(metadata={"description": "for an IRN: the document carrying it"})
    kind = fields.String(metadata={"description": "for an IRN: the kind of that document"})
    entity_id = fields.String(metadata={"description": "for an IRN: the order or return of that document"})
    number = fields.String(allow_none=True, metadata={"description": "for an IRN: that document's number"})


class ConflictBody(ErrorBody):
    """A 409 of a call that takes a document number: ILLEGAL_TRANSITION, CONFLICTING_REPEAT, or CONFLICT naming,
    in `held_by`, the document that already holds the invoice number, credit-note number or IRN."""

    held_by = fields.Nested(NumberHolder, metadata={"description": "only when the number is taken"})


class AuthTokenRequest(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128))


class AuthTokenResult(Schema):
    accessToken = fields.String(required=True, metadata={"description": "send it as the apiKey header"})
    refreshToken = fields.String(required=True, metadata={"description": "issued as AJIO does; there is no refresh call"})
    tokenType = fields.String(required=True, metadata={"example": "apiKey"})
    expiresIn = Int(required=True, metadata={"example": 1800})
    expiresAt = Int(required=True, metadata={"description": "epoch seconds (simulated clock)"})


class AuthTokenResponse(Schema):
    success = fields.Boolean(required=True, metadata={"example": True})
    statusCode = Int(required=True, metadata={"example": 0})
    result = fields.Nested(AuthTokenResult, required=True)
