"""A seller's ERP under test in a VMS soak (`ajio-sim soak --model vms --erp-cmd CMD` / `--erp-url URL`).

The ERP takes the place of the harness's stand-in (VMS model 1, seeds 002 and 004): AJIO's postings reach it
through a gateway of the harness (harness.erp.ErpGateway) that tells the soak what the ERP was sent and what
it answered, and can lose an answer on the way back (the simulator then sends the same messageId again);
the ERP's own calls to the ERP layer (`/ajio-vms`: its e-invoices and credit notes) pass the soak's tap like
the connector's. The ERP's duties are judged as the connector's are, in simulated time, each naming its
rule and the ERP's offending request or answer:

  erp-postings-taken  every posting is answered 200 within erp_posting_sla of its first delivery
  erp-einvoice        every B2B order posted is e-invoiced in time, for exactly the latest posting's quantities
  erp-once            a posting that comes again is processed once: one e-invoice an order, one credit note a return
  erp-credit-notes    credit-note model: each return order posting gets its credit note in time; RSI model: none
  erp-no-refusal      AJIO refuses no other ERP-layer call

An ERP may answer a posting before it has posted what it owes (the reference ERP posts from an outbox): after
each delivery of postings the soak waits, in wall time, until the ERP has posted what it owes or has made no
call for `erp_quiet_seconds`; what is still owed then is judged by its deadline in simulated time.
"""
from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from harness.erp import ErpGateway
from harness.soak.config import _h, _t
from harness.soak.invariants import Invariant
from harness.soak.tap import Call

ERP_INVARIANTS = (
    Invariant("erp-postings-taken", "every posting the ERP is sent is answered 200 in time (AJIO retries it until a "
              "dead letter)",
              ("ERP-ORDER-CREATE-POSTING", "ERP-ORDER-CANCEL-POSTING", "ERP-ORDER-COMPLETE-POSTING",
               "ERP-RETURN-ORDER-POSTING")),
    Invariant("erp-einvoice", "every B2B order posted to the ERP is e-invoiced in time, for exactly the final "
              "quantities of its latest posting", ("ERP-ORDER-CREATE-POSTING", "ERP-INVOICE-FINAL-QUANTITY",
                                                    "ERP-ORDER-FINAL-QUANTITY")),
    Invariant("erp-once", "a posting that comes again is processed once: one e-invoice an order, one credit note "
              "a return", ("ERP-POSTING-ONCE",)),
    Invariant("erp-credit-notes", "credit-note model: every return order posting gets its credit note in time; "
              "RSI model: no credit note", ("ERP-CREDIT-NOTE-POSTING",)),
    Invariant("erp-no-refusal", "AJIO refuses no other call of the ERP to the ERP layer", ("the refusal's own rule",)),
)
EVENT_RULES = {"OUTWARD_ORDER_CREATE": "ERP-ORDER-CREATE-POSTING", "OUTWARD_ORDER_CANCEL": "ERP-ORDER-CANCEL-POSTING",
               "OUTWARD_ORDER_COMPLETE": "ERP-ORDER-COMPLETE-POSTING", "RETURN_ORDER": "ERP-RETURN-ORDER-POSTING"}
INVOICE_PATH, CREDIT_NOTE_PATH = "/ajio-vms/b2bInvoice/posting", "/ajio-vms/creditNote/posting"
# What AJIO's refusal of an ERP call says -> the invariant that judges it (the others: erp-no-refusal).
_REFUSAL_KEY = {"VMS-INVOICE-FINAL-QUANTITY": ("erp-einvoice", "ERP-INVOICE-FINAL-QUANTITY"),
                "VMS-INVOICE-PARTIAL-FLAG": ("erp-einvoice", "ERP-INVOICE-FINAL-QUANTITY"),
                "VMS-INVOICE-FOR-PO": ("erp-einvoice", "ERP-ORDER-CREATE-POSTING"),
                "VMS-INVOICE-IMMUTABLE": ("erp-once", "ERP-POSTING-ONCE"),
                "API-IDEMPOTENT-REPEAT": ("erp-once", "ERP-POSTING-ONCE"),   # another document for the same one
                "VMS-CREDIT-NOTE-MODEL": ("erp-credit-notes", "ERP-CREDIT-NOTE-POSTING")}
SETTLE_CAP_S = 30.0   # the longest a delivery waits for the ERP, however busy it stays


@dataclass
class Posting:
    """One posting (one messageId) AJIO sent the ERP, and every answer it got."""
    message_id: str
    event: str
    subject: str                       # the order (orderCode) or the return (returnOrderCode)
    at: int                            # simulated instant of its first delivery
    po: str | None = None
    quantities: dict[str, int] = field(default_factory=dict)   # CREATE: channelSkuCode -> final quantity
    supersedes: str | None = None      # CREATE: the messageId of the CREATE it replaces (quantities changed)
    answers: list[tuple[int | None, int, bool]] = field(default_factory=list)  # (status, instant, lost)
    last_text: str = ""                # the last answer the ERP gave (its body), for the violation

    @property
    def taken_at(self) -> int | None:
        """When the ERP first answered it 200 (its answer may have been lost on the way back)."""
        return next((at for status, at, _ in self.answers if status == 200), None)

    def describe(self) -> str:
        return f"{self.event} messageId {self.message_id} ({self.subject})"


class ErpWatch:
    """The gateway in front of the ERP under test and what passed it, per messageId (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.postings: dict[str, Posting] = {}
        self.fresh: list[Posting] = []       # postings first answered 200 since the checker last looked
        self.new: list[Posting] = []         # postings first sent since the checker last looked
        self.now = 0
        self.last_activity = time.monotonic()
        self.gateway = ErpGateway(observer=self._seen)

    def _seen(self, name: str, raw: bytes, status: int | None, lost: bool, answer: bytes = b"") -> None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        event = body.get("eventType") or ("RETURN_ORDER" if "returnOrderCode" in body else "UNKNOWN")
        message_id = str(body.get("messageId"))
        with self._lock:
            self.last_activity = time.monotonic()
            posting = self.postings.get(message_id)
            if posting is None:
                posting = self.postings[message_id] = Posting(
                    message_id, event, str(body.get("orderCode") or body.get("returnOrderCode")), self.now,
                    body.get("forwardPurchaseOrder"),
                    {i.get("channelSkuCode"): i.get("quantity") for i in body.get("orderItems") or []
                     if isinstance(i, dict)} if event == "OUTWARD_ORDER_CREATE" else {},
                    body.get("supersedesMessageId"))
                self.new.append(posting)
            first_ok = status == 200 and posting.taken_at is None
            posting.answers.append((status, self.now, lost))
            if answer:
                posting.last_text = answer[:300].decode("utf-8", "replace")
            if first_ok:
                self.fresh.append(posting)

    def lose_next(self) -> None:
        """The ERP's answer to the next posting is lost on the way back (AJIO sends it again)."""
        self.gateway.set("seller", lose_answers=1)

    def take_fresh(self) -> tuple[list[Posting], list[Posting]]:
        """(postings first sent, postings first taken) since the last call."""
        with self._lock:
            new, fresh, self.new, self.fresh = self.new, self.fresh, [], []
        return new, fresh

    def owed(self, world) -> list[str]:
        """What the ERP has taken and not yet posted back: e-invoices of orders still waiting for one, and
        (credit-note model) credit notes of processed returns."""
        latest: dict[str, Posting] = {}
        with self._lock:
            postings = list(self.postings.values())
        for p in postings:
            if p.taken_at is not None and p.event in ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"):
                latest[p.subject] = p
        out = [o for o, p in latest.items() if p.event == "OUTWARD_ORDER_CREATE"
               and getattr(world.orders.get(o), "status", None) == "ACKNOWLEDGED"]
        if world.cfg.vms_return_model == "credit_note":
            out += [p.subject for p in postings if p.event == "RETURN_ORDER" and p.taken_at is not None
                    and p.subject in world.returns and not world.returns[p.subject].credit_note_number]
        return out

    def settle(self, world) -> None:
        """Wait (wall time) until the ERP has posted what it owes, or has made no progress for erp_quiet_seconds
        (nothing more of it accepted) and is not waiting out a Retry-After. An ERP that keeps failing costs a
        tick erp_quiet_seconds, not its whole retry schedule; but a posting of its that failed is waited for
        again up to ERP_RETRY_WAIT_S (tap.py) even when AJIO took it before the failure, so the retry is judged
        (a retry carrying a new document number is ERP-POSTING-ONCE's) in this tick, not after the soak ended."""
        quiet = world.cfg.erp_quiet_seconds
        cap = time.monotonic() + SETTLE_CAP_S
        owed, progress = None, time.monotonic()
        while time.monotonic() < cap:
            world.follow()
            retries = world.tap.erp_retries_owed()
            now_owed = len(self.owed(world)) + retries
            if not now_owed:
                return
            if owed is None or now_owed < owed:
                owed, progress = now_owed, time.monotonic()
            with self._lock:
                since = time.monotonic() - max(progress, self.last_activity)
            if since >= quiet and world.tap.erp_idle_for() > 0 and not retries:
                return
            time.sleep(0.02)


class ErpJudge:
    """The ERP's invariants, mixed into the VMS checker when an ERP is under test."""

    def erp_init(self, watch: ErpWatch) -> None:
        self.erp_watch = watch
        self.erp_latest: dict[str, Posting] = {}            # order -> its latest CREATE or CANCEL taken
        self.erp_po_order: dict[str, str] = {}              # PO number -> order (from the CREATE postings)
        self.erp_invoiced: dict[str, str] = {}              # order -> the invoice number AJIO accepted
        self.erp_credited: dict[str, str] = {}              # return -> the credit note number AJIO accepted
        self.erp_tries: dict[str, list[str]] = {}           # order or return -> the ERP's calls about it

    # -- what the ERP was sent -----------------------------------------------------------------------
    def erp_world(self) -> None:
        cfg = self.cfg
        new, taken = self.erp_watch.take_fresh()
        for p in new:
            self._due(p.at + cfg.erp_posting_sla, "erp_posting", p.message_id)
        for p in taken:
            if p.event in ("OUTWARD_ORDER_CREATE", "OUTWARD_ORDER_CANCEL"):
                self.erp_latest[p.subject] = p
                if p.po:
                    self.erp_po_order[p.po] = p.subject
                if p.event == "OUTWARD_ORDER_CREATE":
                    self._due(p.taken_at + cfg.erp_invoice_sla, "erp_invoice", f"{p.subject}|{p.message_id}")
            elif p.event == "RETURN_ORDER":
                if cfg.vms_return_model == "credit_note":
                    self._due(p.taken_at + cfg.credit_note_sla, "erp_credit", p.subject)
                else:   # RSI model: this return must get no credit note from the ERP (judged at its calls)
                    self.check("erp-credit-notes")

    def _erp_order_of(self, subject: str | None) -> str | None:
        """The order a posting or call is about: the order itself, or the forward order of a return."""
        if subject in self.world.orders:
            return subject
        return getattr(self.world.returns.get(subject or ""), "order_id", None)

    # -- deadlines -----------------------------------------------------------------------------------
    def _deadline_erp_posting(self, tick, now, due, message_id) -> None:
        """A posting the ERP has not taken (answered 200) within erp_posting_sla of its first delivery: AJIO
        keeps retrying it and would make it a dead letter (ERP-DEAD-LETTERS)."""
        posting = self.erp_watch.postings[message_id]
        self.check("erp-postings-taken")
        taken = posting.taken_at
        if taken is not None and taken <= due:
            return
        answers = ", ".join("no answer" if st is None else str(st) for st, _, _ in posting.answers)
        subject = posting.subject
        order_id = self._erp_order_of(subject)
        self.violate("erp-postings-taken", EVENT_RULES.get(posting.event, "ERP-RETRY-NON-200"), tick, due, subject,
                     f"the ERP did not take {posting.describe()}, first sent at {_t(posting.at)}",
                     f"answered 200 by {_t(due)} ({_h(self.cfg.erp_posting_sla)})",
                     f"answered {answers or 'nothing'}" + (f"; taken only at {_t(taken)}" if taken else "")
                     + (f"; last answer: {posting.last_text[:200]}" if posting.last_text else ""), order_id)

    def _deadline_erp_invoice(self, tick, now, due, ident) -> None:
        order_id, message_id = ident.split("|", 1)
        latest = self.erp_latest.get(order_id)
        if latest is None or latest.message_id != message_id:
            return   # superseded by a newer CREATE (judged by its own deadline) or cancelled
        order = self.world.orders.get(order_id)
        self.check("erp-einvoice")
        invoiced = order.stamps.get("invoiced") if order else None
        cancelled = order.stamps.get("cancelled") if order else None
        if (invoiced is not None and invoiced <= due) or (cancelled is not None and cancelled <= due) \
                or order_id in self.erp_invoiced:
            return
        tries = self.erp_tries.get(order_id)
        self.violate("erp-einvoice", "ERP-ORDER-CREATE-POSTING", tick, due, order_id,
                     f"order {order_id}: the ERP took {latest.describe()} at {_t(latest.taken_at)} and AJIO has "
                     "no e-invoice from it", f"POST {INVOICE_PATH} accepted by {_t(due)} "
                     f"({_h(self.cfg.erp_invoice_sla)} after the posting)",
                     "its calls about it: " + "; ".join(tries[-5:]) if tries else "no invoice posted", order_id)

    def _deadline_erp_credit(self, tick, now, due, return_id) -> None:
        self.check("erp-credit-notes")
        ret = self.world.returns.get(return_id)
        if return_id in self.erp_credited or (ret is not None and ret.credit_note_number):
            return
        tries = self.erp_tries.get(return_id)
        self.violate("erp-credit-notes", "ERP-CREDIT-NOTE-POSTING", tick, due, return_id,
                     f"return {return_id}: the ERP took its return order posting and AJIO has no credit note from it",
                     f"POST {CREDIT_NOTE_PATH} accepted by {_t(due)}",
                     "its calls about it: " + "; ".join(tries[-5:]) if tries else "no credit note posted",
                     ret.order_id if ret else None)

    # -- the ERP's calls -----------------------------------------------------------------------------
    def erp_calls(self, tick: int, now: int, calls: list[Call]) -> None:
        by_key: dict[tuple, list[Call]] = defaultdict(list)
        for c in calls:
            by_key[(c.method, c.path, _document_number(c))].append(c)
        for c in calls:
            if c.status == 429:
                self._retry_after(c, by_key, now, key=(c.method, c.path, _document_number(c)))
            body = c.json_body() if c.request_body else None
            body = body if isinstance(body, dict) else {}
            subject = None
            if c.path == INVOICE_PATH:
                subject = self.erp_po_order.get(str(body.get("forwardPurchaseOrder")))
            elif c.path == CREDIT_NOTE_PATH:
                subject = body.get("returnOrderId")
            if subject:
                self.erp_tries.setdefault(str(subject), []).append(f"#{c.seq} POST {c.path} -> {c.status or 'cut'}")
            self.check("erp-no-refusal")
            if c.status == 429 or c.status == 0 or c.status >= 500 or c.cut:
                continue   # throttled or failed in transit: its retry is judged by the deadlines
            if c.status >= 400:
                self._erp_refusal(c, now, subject)
            elif c.path == INVOICE_PATH:
                self._erp_invoice(c, now, subject, body)
            elif c.path == CREDIT_NOTE_PATH and subject:
                self._erp_credit_note(c, now, str(subject), body)

    def _erp_invoice(self, c: Call, now: int, order_id: str | None, body: dict) -> None:
        if order_id is None:
            return
        number = str(body.get("invoiceNumber"))
        self.check("erp-once")
        first = self.erp_invoiced.setdefault(order_id, number)
        if first != number:
            self.violate("erp-once", "ERP-POSTING-ONCE", c.tick, now, order_id,
                         f"order {order_id} e-invoiced twice by the ERP", "one e-invoice an order",
                         f"{first}, then {number} (POST {c.path}, call #{c.seq})", order_id)
        latest = self.erp_latest.get(order_id)
        if latest is None or latest.event != "OUTWARD_ORDER_CREATE" or body.get("invoiceLineEntries") is None:
            return   # no lines: the whole open order, which the simulator checks
        self.check("erp-einvoice")
        invoiced: dict[str, int] = {}
        for entry in body["invoiceLineEntries"]:
            if isinstance(entry, dict):
                sku = entry.get("channelSkuCode")
                invoiced[sku] = invoiced.get(sku, 0) + int(entry.get("quantity") or 0)
        wanted = {k: v for k, v in latest.quantities.items() if v}
        if {k: v for k, v in invoiced.items() if v} != wanted:
            # after a superseding posting, invoicing an older one's quantities is ERP-ORDER-FINAL-QUANTITY's
            rule = "ERP-ORDER-FINAL-QUANTITY" if latest.supersedes else "ERP-INVOICE-FINAL-QUANTITY"
            self.violate("erp-einvoice", rule, c.tick, now, order_id,
                         f"the ERP's e-invoice {number} of order {order_id} does not carry the final quantities of "
                         f"{latest.describe()}", f"exactly {wanted}",
                         f"{invoiced} (POST {c.path}, call #{c.seq}, answered {c.status})", order_id)

    def _erp_credit_note(self, c: Call, now: int, return_id: str, body: dict) -> None:
        ret = self.world.returns.get(return_id)
        order_id = ret.order_id if ret else None
        number = str(body.get("creditNoteNumber"))
        self.check("erp-credit-notes")
        if self.cfg.vms_return_model != "credit_note":
            self.violate("erp-credit-notes", "ERP-CREDIT-NOTE-POSTING", c.tick, now, return_id,
                         f"the ERP posted credit note {number} for return {return_id} in the RSI model",
                         "no credit note (AJIO issues an RSI)", f"POST {c.path} (call #{c.seq})", order_id)
            return
        self.check("erp-once")
        first = self.erp_credited.setdefault(return_id, number)
        if first != number:
            self.violate("erp-once", "ERP-POSTING-ONCE", c.tick, now, return_id,
                         f"return {return_id} credited twice by the ERP", "one credit note a return",
                         f"{first}, then {number} (POST {c.path}, call #{c.seq})", order_id)

    def _erp_refusal(self, c: Call, now: int, subject: str | None) -> None:
        rule = c.rule_id
        if rule in _REFUSAL_KEY:
            key, rule = _REFUSAL_KEY[rule]
        elif c.status == 409 and not rule and c.path in (INVOICE_PATH, CREDIT_NOTE_PATH):
            key, rule = "erp-once", "ERP-POSTING-ONCE"   # a second, different document for one order or return
        else:
            key, rule = "erp-no-refusal", rule or ("ERP-AUTH-HEADERS" if c.status == 401 else "API-CONTRACT")
        if key != "erp-no-refusal":   # every ERP call is one check of erp-no-refusal already
            self.check(key)
        answer = c.json_answer() if c.answer else None
        message = answer.get("error_message") if isinstance(answer, dict) else (c.answer or b"")[:200].decode(
            "utf-8", "replace")
        order_id = self._erp_order_of(subject)
        self.violate(key, rule, c.tick, now, f"{c.method} {c.path}",
                     f"AJIO refused the ERP's {c.method} {c.path}" + (f" ({subject})" if subject else ""),
                     "a call AJIO accepts", f"{c.status} {c.error_code}: {message} (call #{c.seq})", order_id)


def _document_number(c: Call) -> str:
    """What tells two of an ERP's postings apart: the invoice or credit note they carry."""
    body = c.json_body() if c.request_body else None
    return str(body.get("invoiceNumber") or body.get("creditNoteNumber")) if isinstance(body, dict) else ""


__all__ = ["ERP_INVARIANTS", "ErpJudge", "ErpWatch"]
