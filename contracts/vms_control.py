"""Control-plane (/_sim) request shapes of the VMS model and the ERP postings (not AJIO's contract)."""
from __future__ import annotations

from marshmallow import fields, validate

from contracts.common import Bool, StrictSchema

# WITHDRAWN: a CREATE the ERP never received, replaced by a newer posting (rule ERP-ORDER-FINAL-QUANTITY).
POSTING_STATUSES = ("PENDING", "DELIVERED", "FAILED", "WITHDRAWN")
POSTING_TYPES = ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL", "OUTWARD_ORDER_COMPLETE", "RETURN_ORDER")


class PoMissingRequest(StrictSchema):
    missing = Bool(required=True, metadata={"description": "true: AJIO has no PO for now (seed 002 PO lag/missing)"})


class IssueRsiRequest(StrictSchema):
    pob_id = fields.String(required=True)
    return_order_ids = fields.List(fields.String(validate=validate.Length(min=1, max=32)), required=True,
                                   validate=validate.Length(min=1, max=200))


class PostingsQuery(StrictSchema):
    pob_id = fields.String()
    event_type = fields.String(validate=validate.OneOf(POSTING_TYPES))
    entity_id = fields.String()
    status = fields.String(validate=validate.OneOf(POSTING_STATUSES))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))


class DeadLettersQuery(StrictSchema):
    """GET /_sim/erp/dead-letters: postings the ERP never accepted after the last retry (status FAILED)."""

    pob_id = fields.String()
    event_type = fields.String(validate=validate.OneOf(POSTING_TYPES))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=5000))


class RedeliverRequest(StrictSchema):
    """POST /_sim/erp/redeliver: every dead letter of this POB goes out again (in order, MAX_ATTEMPTS more)."""

    pob_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
