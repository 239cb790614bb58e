"""Document numbers used once: a seller's invoice and credit-note numbers per financial year (CGST rules
46 and 53) and every IRN the simulator holds (the e-invoice portal issues an IRN once).

The registry is the `document_numbers` table; its primary key (kind, scope, number) is what keeps a
number used once, also when two workers claim it together: the loser's insert fails, its whole request
is retried (Simulator.transact) and then meets the row and the 409 that names the holder."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from simulator.errors import ConcurrentUpdate, Conflict, ValidationFailed
from simulator.store import document_numbers

# CGST rule 46(b): "not exceeding sixteen characters ... alphabets or numerals or ... "-" and "/"".
NUMBER_FORMAT = re.compile(r"[A-Za-z0-9/-]{1,16}")
FORMAT_RULE = "GST-DOCUMENT-NUMBER-FORMAT"
RULES = {"invoice": "GST-INVOICE-NUMBER-UNIQUE", "credit_note": "GST-CREDIT-NOTE-NUMBER-UNIQUE",
         "irn": "EINVOICE-IRN-UNIQUE"}
_WHAT = {"invoice": "invoice number", "credit_note": "credit-note number", "irn": "IRN"}
_IST = timezone(timedelta(hours=5, minutes=30))


def financial_year(epoch: int) -> str:
    """Indian financial year (April-March) as four digits: 2627 for FY 2026-27."""
    d = datetime.fromtimestamp(epoch, _IST)
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def check_format(number: str, field: str) -> None:
    """A document number as GST allows it: 1-16 letters, digits, '-' or '/'."""
    if not NUMBER_FORMAT.fullmatch(number or ""):
        raise ValidationFailed(f"{field} {number!r} must be 1-16 characters of letters, digits, '-' or '/' "
                               f"(CGST rule 46)", field=field, rule=FORMAT_RULE)


def seller_scope(seller_id: str, dated: int) -> str:
    """One seller (one GSTIN) in one Indian financial year (April-March): the year of the document's own date.

    A number runs in the series of its document's year (rule 46(b) "unique for a financial year"), not of the
    day AJIO receives it: an e-invoice dated 23:30 IST on 31 March and posted after midnight (an ERP retrying
    through an outage) belongs to the year ending, and a series restarted on 1 April may reuse its number.
    The date is the posting's own (invoiceDate, ackDate), held near the posting by VMS-DOCUMENT-DATE (vms/dates.py:
    at most 15 minutes ahead of the simulated now, not before what it documents)."""
    return f"{seller_id}:{financial_year(dated)}"


def holder_of(ctx, kind: str, scope: str, number: str) -> dict | None:
    row = ctx.conn.execute(select(document_numbers.c.holder).where(
        document_numbers.c.kind == kind, document_numbers.c.scope == scope,
        document_numbers.c.number == number)).first()
    return dict(row[0]) if row else None


def claim(ctx, kind: str, scope: str, number: str, holder: dict, *, field: str) -> None:
    """Take `number` for `holder` ({"key", "text", ...}); the same holder again is a no-op, anyone else
    gets a 409 naming the field and the document that holds the number."""
    held = holder_of(ctx, kind, scope, number)
    if held is not None:
        if held.get("key") == holder["key"]:
            return
        raise Conflict(f"{field} {number} is already the {_WHAT[kind]} of {held['text']}"
                       + ("" if kind == "irn" else f" (financial year {scope.rsplit(':', 1)[-1]})")
                       + "; a document number is used once", field=field, rule=RULES[kind],
                       extra={"held_by": {k: v for k, v in held.items() if k != "key"}})
    try:
        with ctx.conn.begin_nested():
            ctx.conn.execute(insert(document_numbers).values(kind=kind, scope=scope, number=number,
                                                             created_at=ctx.now, holder=holder))
    except IntegrityError:
        # Another worker took it between our read and our insert (PostgreSQL): retry the whole request.
        raise ConcurrentUpdate(f"{field} {number} was taken by another request; retry") from None


def claim_irn(ctx, irn: str, document_id: str, kind: str, entity_id: str, number: str | None) -> None:
    """Every document that carries an IRN (posted by a seller or made by the simulator) holds it alone."""
    what = kind.replace("_", " ").replace("b2b", "B2B").replace("b2c", "B2C").replace("rsi", "RSI")
    claim(ctx, "irn", "", irn, {"key": f"document:{document_id}", "document_id": document_id, "kind": kind,
                                "entity_id": entity_id, "number": number,
                                "text": f"{what} {number or document_id} ({entity_id})"}, field="irnNumber")
