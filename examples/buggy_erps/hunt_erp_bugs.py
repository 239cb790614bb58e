"""ERP bugs of the second blind VMS bug hunt that the catalogue let through (or caught under another rule):
each is the reference ERP's Tenant with ONE planted mistake (and, for its HTTP side, a `patch(erp_module)`).
buggy_erp.py lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone

from erp import IST, PDF, Refused, Tenant, log


class PartialFlagFromCancelled(Tenant):
    """isPartialInvoice = "some of the ordered quantity is not invoiced": true whenever the CREATE's quantity
    is below the ordered quantity, though the ERP invoices the whole final quantity it was given."""

    def order_create(self, p: dict) -> None:
        self._partial = any(i["quantity"] < i.get("orderedQuantity", i["quantity"]) or i.get("cancelledQuantity", 0) > 0
                            for i in p.get("orderItems", []))
        super().order_create(p)

    def enqueue(self, kind, key, body):
        if kind == "invoice":
            body = {**body, "isPartialInvoice": bool(getattr(self, "_partial", False))}
        super().enqueue(kind, key, body)


class NoCreditNoteForRto(Tenant):
    """No credit note for an RTO (returnReason DELIVERY_FAILED): "the customer never got it, nothing to credit"."""

    def return_order(self, p: dict) -> None:
        items = p.get("items") or []
        if items and all(i.get("returnReason") == "DELIVERY_FAILED" for i in items):
            log(f"{self.pob}: {p['returnOrderCode']} is an RTO: no credit note")
            return
        super().return_order(p)


class CreditNoteNumberedByInvoice(Tenant):
    """The credit note takes the number of the forward order's e-invoice with CN for EI ("easy to match"):
    a second return of the same order gets the same credit-note number."""

    def number(self, prefix: str) -> str:
        fwd = getattr(self, "_forward", None)
        if prefix == "CN" and fwd and fwd in self.invoices:
            return "CN" + self.invoices[fwd]["invoiceNumber"][2:]
        return super().number(prefix)

    def return_order(self, p: dict) -> None:
        self._forward = p.get("forwardOrderCode")
        try:
            super().return_order(p)
        finally:
            self._forward = None


class CreditNoteOnComplete(Tenant):
    """On OUTWARD_ORDER_COMPLETE with units cancelled after the e-invoice, issues a credit note for them at once
    (against the order) instead of raising a return order and waiting for the return."""

    def order_complete(self, p: dict) -> None:
        super().order_complete(p)
        cancelled = [i for i in p["orderItems"] if i.get("cancelledAfterInvoiceQuantity", 0) > 0]
        if cancelled and p["orderCode"] in self.invoices and p["orderCode"] not in self.credit_notes:
            number = self.number("CN")
            irn = self.irn(number)
            note = {"creditNoteNumber": number, "returnOrderId": p["orderCode"], "ackNumber": number,
                    "ackDate": self.zoned_now(), "irnNumber": irn,
                    "signedQrCode": base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode(),
                    "signedCreditNote": base64.b64encode(PDF).decode()}
            self.credit_notes[p["orderCode"]] = {"creditNoteNumber": number, "irnNumber": irn}
            self.enqueue("credit_note", p["orderCode"], note)


class DropsOnReset(Tenant):
    """Retries only what AJIO answered with a status; a call that got no answer (reset, timeout) is parked at
    once ("the network is down, someone must look")."""

    def send(self, item):
        status, answer, retry_after = super().send(item)
        if status is None:
            item["parked"] = True
        return status, answer, retry_after


class AnswerWaitsForAjio(Tenant):
    """Answers a posting 200 only once AJIO took the document it caused; otherwise 500 ("not done yet"), so the
    integration layer keeps re-posting an order the ERP has already processed."""

    def receive(self, event, posting):
        before = {(o["kind"], o["key"]) for o in self.outbox}
        super().receive(event, posting)
        self._new = {(o["kind"], o["key"]) for o in self.outbox} - before

    @staticmethod
    def patch(mod) -> None:
        original = mod.handler_for

        def handler_for(erp):
            base = original(erp)

            class Handler(base):
                def answer(self, status, body):
                    tenant = erp.default
                    if status == 200 and tenant is not None and self.headers.get("X-Ajio-Sim-Event") != "SETUP":
                        pending = {(o["kind"], o["key"]) for o in tenant.outbox} & getattr(tenant, "_new", set())
                        tenant._new = set()
                        if pending:
                            status, body = 500, {"status": "FAILED", "error_message": "document not accepted by AJIO yet"}
                    super().answer(status, body)
            return Handler
        mod.handler_for = handler_for


class RsiRangeWeek(Tenant):
    """RSI model: on each return order posting the ERP pulls the last week's RSI from /ajio-vms/rsi to book the
    inward (one call, "a week is safe")."""

    def return_order(self, p: dict) -> None:
        super().return_order(p)
        if self.env.get("AJIO_ERP_RETURN_MODEL") != "rsi":
            return
        now = int(self.now())
        q = urllib.parse.urlencode({"rsiDateFrom": datetime.fromtimestamp(now - 7 * 86400, IST).isoformat(),
                                    "rsiDateTo": datetime.fromtimestamp(now, IST).isoformat()})
        req = urllib.request.Request(self.env["AJIO_ERP_BASE_URL"] + "/rsi?" + q, headers=self.credentials())
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                log(f"{self.pob}: {len(json.loads(r.read())['returnSalesInvoices'])} RSI this week")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            log(f"{self.pob}: RSI pull failed: {exc}")


class OutboxFifoBlocks(Tenant):
    """Sends its outbox strictly in order, one posting at a time: a document AJIO keeps refusing holds every
    later one behind it until it is parked (8 tries, the reference's cap when this bug was written)."""
    max_attempts = 8

    def due(self) -> list[dict]:
        live = [o for o in self.outbox if not self.parked(o)]
        return live[:1] if live and live[0]["due"] <= self.outbox_now() else []


# -- the third blind VMS bug hunt ------------------------------------------------------------------
class SeriesInMemory(Tenant):
    """GST-INVOICE-NUMBER-UNIQUE: the number counters live in the process, the books and outbox on disk: after
    a restart the series starts again at 00001 and the next e-invoice repeats a number AJIO holds."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        self.series = {}   # not read back from the state file

    def save(self) -> None:
        kept, self.series = self.series, {}
        try:
            super().save()
        finally:
            self.series = kept


class CreditNotesResetInJanuary(Tenant):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE: the credit-note series restarts on 1 January (calendar year) instead of
    1 April (India's financial year), the number without its year: January repeats April-December's numbers."""

    def number(self, prefix: str) -> str:
        if prefix != "CN":
            return super().number(prefix)
        key = f"CN@{datetime.fromtimestamp(int(self.now()), IST).year}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[key]:05d}"


class NoRetryOn4xx(Tenant):
    """ERP-RETRY-NON-200: a 4xx from /ajio-vms other than 429 is taken as final and the posting parked at once;
    seed 002: "If Status Code is other than 200 then Client has to retry that particular call"."""

    def send(self, item: dict):
        status, answer, retry_after = super().send(item)
        if status is not None and 400 <= status < 500 and status != 429:
            item["parked"] = True
            log(f"{self.pob}: {item['kind']} {item['key']} refused with {status}: not retried")
        return status, answer, retry_after


class InvoiceDateWithoutZone(Tenant):
    """VMS-EINVOICE-FIELDS: the e-invoice's invoiceDate is a local date-time without its zone
    ("2026-12-05T14:03:11.000"): AJIO refuses it (seed 002: ZonedDateTime). Credit notes keep their zone."""

    _naive = False

    def order_create(self, p: dict) -> None:
        self._naive = True
        try:
            super().order_create(p)
        finally:
            self._naive = False

    def zoned_now(self) -> str:
        if self._naive:
            return datetime.fromtimestamp(int(self.now()), IST).replace(tzinfo=None).isoformat(timespec="milliseconds")
        return super().zoned_now()


class CreditNoteDatedReturn(Tenant):
    """VMS-DOCUMENT-DATE: the credit note's ackDate is the return order posting's returnCreationTime (when the
    customer asked), not the moment the credit note is issued, after the return's processing."""

    _date: str | None = None

    def return_order(self, p: dict) -> None:
        self._date = p.get("returnCreationTime")
        try:
            super().return_order(p)
        finally:
            self._date = None

    def zoned_now(self) -> str:
        return self._date or super().zoned_now()


class CreditNotePerItem(Tenant):
    """ERP-CREDIT-NOTE-POSTING (sixth hunt): one credit note per item line of the return order posting, each under
    a number of its own: a return of two lines or units gets several credit notes for one return."""

    def return_order(self, p: dict) -> None:
        if p["returnOrderCode"] in self.credit_notes:
            return
        for n, _item in enumerate(p.get("items") or [None]):
            if n:
                self.credit_notes.pop(p["returnOrderCode"], None)
            super().return_order(p)


class ReinvoicesOnLatePartialCancel(Tenant):
    """VMS-INVOICE-IMMUTABLE (seventh hunt): an OUTWARD_ORDER_COMPLETE with units cancelled after the e-invoice is
    answered with a fresh e-invoice for what shipped (the first one dropped) instead of a return order: an issued
    invoice never changes."""

    def order_complete(self, p: dict) -> None:
        held = self.invoices.get(p["orderCode"])
        if held is not None and any(i.get("cancelledAfterInvoiceQuantity", 0) > 0 for i in p["orderItems"]):
            self.invoices.pop(p["orderCode"])
            self.order_create({**p, "forwardPurchaseOrder": p.get("forwardPurchaseOrder") or held["forwardPurchaseOrder"]})
            return
        super().order_complete(p)


class InvoicesOneUnitPerLine(Tenant):
    """ERP-INVOICE-FINAL-QUANTITY: the e-invoice has one unit per line (the ERP's sales order lines are "one per
    SKU"): an order of 2 units of a SKU is e-invoiced for 1, and AJIO cancels the other."""

    def order_create(self, p: dict) -> None:
        for item in p["orderItems"]:
            item["quantity"] = min(item["quantity"], 1)
        super().order_create(p)


class CreditNoteWithoutQr(Tenant):
    """VMS-CREDIT-NOTE-FIELDS: the credit note is posted with its IRN but without signedQrCode (the QR "is on the
    PDF")."""

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        if kind == "credit_note":
            body = {k: v for k, v in body.items() if k != "signedQrCode"}
        super().enqueue(kind, key, body)


class FlushesOnPostingOnly(Tenant):
    """ERP-RETRY-NON-200: the outbox is sent only when a posting arrives (no timer of its own): an e-invoice
    whose first try failed waits for the next posting, and the day's last order waits for good."""

    def due(self) -> list[dict]:
        return super().due() if getattr(self, "posting_in_hand", False) else []

    def receive(self, event: str, posting: dict) -> None:
        super().receive(event, posting)
        self.posting_in_hand = True

    def flush(self) -> None:
        super().flush()
        self.posting_in_hand = False


class RefusesReturnOfUnknownOrder(Tenant):
    """ERP-RETURN-ORDER-POSTING: a return order posting is checked against the ERP's own sales books: a return of an
    order the ERP never e-invoiced (model 2, where RMS e-invoices; or an order from before go-live) is refused 400
    "no such sales order", so the integration layer retries it until it is a dead letter."""

    def return_order(self, p: dict) -> None:
        if p.get("forwardOrderCode") not in self.invoices:
            raise Refused(f"no sales order {p.get('forwardOrderCode')} in the books")
        super().return_order(p)


class SupersedeLeavesOldInOutbox(Tenant):
    """ERP-ORDER-FINAL-QUANTITY: a superseding OUTWARD_ORDER_CREATE (quantities changed before AJIO took the
    e-invoice) gets its new e-invoice, but the first one, cancelled in the books, stays in the outbox: once AJIO's
    layer is back it is posted too, for the superseded quantity, and retried on each refusal."""

    def order_create(self, p: dict) -> None:
        kept = [o for o in self.outbox if o["kind"] == "invoice" and o["key"] == p["orderCode"]]
        super().order_create(p)
        if p.get("supersedesMessageId") and kept:
            self.outbox[:0] = [o for o in kept if o not in self.outbox]


class CreditNoteInModel2(Tenant):
    """ERP-CREDIT-NOTE-POSTING: every return order posting of the credit-note model is answered with a credit note,
    whatever the e-invoice model: in model 2, where RMS credits the return, the ERP posts a second credit note for
    it. (The reference ERP had this until the eighth VMS hunt found it.)"""

    def return_order(self, p: dict) -> None:
        model = self.env.get("AJIO_ERP_EINVOICE_MODEL", "erp")
        self.env["AJIO_ERP_EINVOICE_MODEL"] = "erp"
        try:
            super().return_order(p)
        finally:
            self.env["AJIO_ERP_EINVOICE_MODEL"] = model


class InvoiceSeriesByUtcMonth(Tenant):
    """GST-INVOICE-NUMBER-UNIQUE: the e-invoice series is monthly (Tally's "EI/<yymm>/counter" voucher class): the
    counter restarts with the seller's month (IST) but the month written into the number is the server's UTC
    month. From 00:00 to 05:30 IST on the 1st the number still says last month with a fresh counter: it repeats
    last month's first numbers in the same financial year."""

    def number(self, prefix: str) -> str:
        if prefix != "EI":
            return super().number(prefix)
        now = int(self.now())
        key = "EI@" + datetime.fromtimestamp(now, IST).strftime("%Y%m")
        self.series[key] = self.series.get(key, 0) + 1
        return f"EI{self.pob[-4:]}{datetime.fromtimestamp(now, timezone.utc):%y%m}-{self.series[key]:04d}"


class EanAsNumber(Tenant):
    """ERP-INVOICE-FINAL-QUANTITY: the ERP's item master keeps the EAN as a number (an Excel/Tally import): the
    e-invoice line's channelSkuCode is the EAN without its leading zeros, so an item whose EAN starts with 0 (a
    UPC-coded import) is invoiced under a SKU the order does not have and AJIO cannot take the invoice."""

    def order_create(self, p: dict) -> None:
        for item in p.get("orderItems") or []:
            code = str(item.get("channelSkuCode", ""))
            if code.isdigit():
                item["channelSkuCode"] = str(int(code))
        super().order_create(p)


class RestampsDateOnRetry(Tenant):
    """API-IDEMPOTENT-REPEAT: each try of a posting is stamped with the moment it is sent (invoiceDate / ackDate
    "as of posting"): a retry after a lost answer is no longer the same payload, AJIO refuses it as a conflicting
    repeat (409), and the ERP keeps trying it until it parks it."""

    def send(self, item: dict):
        if item["attempts"]:
            item["body"]["invoiceDate" if item["kind"] == "invoice" else "ackDate"] = self.zoned_now()
        return super().send(item)


class RetryAfterOn429Only(Tenant):
    """API-RETRY-TRANSIENT: Retry-After is read on a 429 only; a 503 that announces when to come back is retried on
    the ERP's own short backoff (0.25 s, 0.5 s ...), sooner than AJIO asked."""

    def send(self, item: dict):
        status, answer, retry_after = super().send(item)
        return status, answer, (retry_after if status == 429 else 0.0)


# -- the tenth blind VMS hunt ---------------------------------------------------------------------------------
class SeriesFyUtc(Tenant):
    """GST-INVOICE-NUMBER-UNIQUE: the ERP restarts its number series (no year in the number) with India's financial
    year, 1 April, but by the server's UTC date: e-invoices made between 00:00 and 05:30 IST on 1 April go on in the
    old series, then the restart at 05:30 IST repeats their numbers within the new financial year."""

    def number(self, prefix: str) -> str:
        day = datetime.fromtimestamp(self.now(), timezone.utc)   # the bug: India's financial year starts by IST
        year = day.year if day.month >= 4 else day.year - 1
        if self.series.get(prefix + "@fy") != year:
            self.series[prefix + "@fy"] = year
            self.series[prefix] = 0
        return super().number(prefix)


class BooksInMemory(Tenant):
    """ERP-ORDER-CANCEL-POSTING: the ERP's books (e-invoices, credit notes) are a cache rebuilt empty at start-up;
    only its outbox, counters and seen messageIds are on disk: after a restart an OUTWARD_ORDER_CANCEL for an order
    whose e-invoice AJIO has not taken yet finds "no e-invoice here", and the e-invoice still goes out for the
    cancelled order."""

    def save(self) -> None:
        books = self.invoices, self.credit_notes, self.return_orders
        self.invoices, self.credit_notes, self.return_orders = {}, {}, []   # the bug: not written to disk
        try:
            super().save()
        finally:
            self.invoices, self.credit_notes, self.return_orders = books


# -- the eleventh blind VMS hunt ------------------------------------------------------------------------------
class CreditNoteForOldCancel(Tenant):
    """ERP-ORDER-CANCEL-POSTING: an e-invoice older than 24 h can no longer be cancelled at the IRP, so on
    OUTWARD_ORDER_CANCEL for one the ERP reverses it with a credit note posted to AJIO (the order as its return)
    instead of cancelling the e-invoice in its own books: AJIO has no such return and refuses the credit note."""

    def order_create(self, p: dict) -> None:
        super().order_create(p)
        invoice = self.invoices.get(p["orderCode"])
        if invoice is not None and "issued_at" not in invoice:
            invoice["issued_at"] = self.now()

    def order_cancel(self, p: dict) -> None:
        invoice = self.invoices.get(p["orderCode"])
        if invoice is not None and invoice.get("accepted") and self.now() - invoice.get("issued_at", self.now()) > 86400:
            self.return_order({"returnOrderCode": p["orderCode"]})   # the bug: a credit note for a cancellation
            log(f"{self.pob}: e-invoice of {p['orderCode']} older than 24 h: credit note posted")
        super().order_cancel(p)


# -- the twelfth blind VMS hunt: values an ERP looks up in a table of the ones it has met -------------------------
RETURN_REASON_MASTER = {"SIZE_FIT_ISSUES": "R01", "DAMAGED_PRODUCT": "R02", "WRONG_PRODUCT": "R03",
                        "QUALITY_ISSUES": "R04", "DELIVERY_FAILED": "RTO"}
QC_REJECTION_CODES = {"USED_PRODUCT": "QR-USED", "PRODUCT_MISSING": "QR-MISS", "WAREHOUSE_DAMAGE": "QR-DMG",
                      "PACKAGING_DAMAGE": "QR-PKG"}
TAX_LEDGERS = {"IGST": "IGST Output", "CGST": "CGST Output", "SGST": "SGST Output"}


class ReturnReasonMaster(Tenant):
    """ERP-CREDIT-NOTE-POSTING: a return posting's returnReason is looked up in the ERP's return-reason master (seed
    002's SIZE_FIT_ISSUES and a few others); a reason it does not know (CHANGED_MIND, NOT_AS_DESCRIBED) makes it
    refuse the posting (400): that return is never credited, however often AJIO posts it again."""

    def return_order(self, p: dict) -> None:
        for item in p["items"]:
            if item.get("returnReason") not in RETURN_REASON_MASTER:
                raise Refused(f"return reason {item.get('returnReason')!r} is not in the return-reason master")
        super().return_order(p)


class QcReasonUnmapped(Tenant):
    """ERP-CREDIT-NOTE-POSTING: a failed unit's qcReason is mapped to the ERP's rejection code by a table of the four
    reasons it has met; any other of AJIO's twelve raises, the posting's connection is dropped unanswered, and that
    return is never credited."""

    def return_order(self, p: dict) -> None:
        rejected = [QC_REJECTION_CODES[i["qcReason"]] for i in p["items"] if i.get("qcStatus") == "FAIL"]
        if rejected:
            log(f"{self.pob}: {p['returnOrderCode']}: QC rejections {rejected}")
        super().return_order(p)


class ReturnTaxLedgers(Tenant):
    """ERP-RETURN-ORDER-POSTING: the RSI model's return shipment lines are booked to tax ledgers by taxItems[].type,
    from a table of IGST, CGST and SGST: an intra-state return (AJIO's type "GST") raises, the posting's connection
    is dropped unanswered, and it is retried until it is a dead letter."""

    def return_order(self, p: dict) -> None:
        for shipment in p.get("shipments") or []:
            for item in shipment.get("shipmentItems") or []:
                for tax in item.get("taxItems") or []:
                    TAX_LEDGERS[tax["type"]]   # the bug: a KeyError for "GST"
        super().return_order(p)


class SavesOnFlushOnly(Tenant):
    """ERP-ORDER-CANCEL-POSTING: the ERP writes its state file from the outbox job only (after a flush that sent
    something), not after each posting: a posting that sends nothing (the OUTWARD_ORDER_CANCEL of an e-invoice AJIO
    has not taken, which drops it from the outbox) lives in memory only. Restarted before the next flush that sends
    something, the ERP reloads the cancelled e-invoice and posts it for the cancelled order."""

    _flushing = False

    def save(self) -> None:
        if self._flushing:   # the bug: receive()'s save is skipped
            super().save()

    def flush(self) -> None:
        # The mark is set under the tenant's lock (an RLock: flush takes it again): the outbox thread, waiting for
        # the lock a posting holds, must not have set it already, or the posting's own save would go through and
        # hide the bug (a CI run under load passed vms/erp/cancel_then_restart so).
        with self.lock:
            self._flushing = True
            try:
                super().flush()
            finally:
                self._flushing = False


# the fourteenth blind VMS hunt

class DedupInMemory(Tenant):
    """ERP-POSTING-ONCE: the ERP tells a repeated posting by its messageId alone, in a set kept in memory (the books
    are not looked at for a repeat of OUTWARD_ORDER_CREATE): a CREATE re-sent after the ERP restarted (its answer
    was lost before the restart) is e-invoiced again, under a new number and IRN, for an order AJIO holds the
    first e-invoice of."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        self.seen = []   # the bug: the messageIds seen are forgotten at start-up

    def order_create(self, p: dict) -> None:
        held = self.invoices.get(p["orderCode"])
        if held is not None and not p.get("supersedesMessageId"):
            self.invoices.pop(p["orderCode"])   # the bug: no look at the books; the messageId check is the dedup
        super().order_create(p)


class CreditNoteSeriesFyByReturnTime(Tenant):
    """GST-CREDIT-NOTE-NUMBER-UNIQUE: the credit-note series (no year in the number) is kept per financial year of
    the return order (returnCreationTime: when the customer asked), not of the day the credit note is issued: a
    return raised on 31 March and credited on 1 April continues last year's series while April's returns start
    the new year's at 00001: two credit notes of the new year share a number."""

    def return_order(self, p: dict) -> None:
        t = datetime.fromisoformat(p["returnCreationTime"]).astimezone(IST)
        self.fy = t.year if t.month >= 4 else t.year - 1
        super().return_order(p)

    def number(self, prefix: str) -> str:
        if prefix != "CN":
            return super().number(prefix)
        key = f"CN{getattr(self, 'fy', 0)}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"CN{self.pob[-6:]}-{self.series[key]:05d}"


# a hunt on the thinly tested duty rules
class InvoicePerHsn(Tenant):
    """ERP-INVOICE-FINAL-QUANTITY: the ERP's billing makes one tax invoice per HSN (one GST rate block each): an
    order whose lines have two HSN codes is e-invoiced as two invoices, each short of the order's final quantity,
    not one invoice per order."""

    def order_create(self, p: dict) -> None:
        groups: dict = {}
        for item in p["orderItems"]:
            groups.setdefault(item.get("hsn"), []).append(item)
        if len(groups) < 2 or p["orderCode"] in self.invoices:
            return super().order_create(p)
        order = p["orderCode"]
        for n, items in enumerate(groups.values()):   # the bug: an invoice per HSN
            super().order_create({**p, "orderItems": items})
            if n < len(groups) - 1 and order in self.invoices:
                self.invoices[f"{order}/{n}"] = self.invoices.pop(order)


class SupersedeMergesLines(Tenant):
    """ERP-ORDER-FINAL-QUANTITY: a superseding OUTWARD_ORDER_CREATE is applied as an update of the sales order: the
    lines it lists take their new quantity, a line it no longer lists (cancelled whole before the e-invoice) keeps
    its old quantity, and is e-invoiced."""

    def order_create(self, p: dict) -> None:
        held = self.invoices.get(p["orderCode"])
        if held is not None and p.get("supersedesMessageId") and not held.get("accepted") \
                and held["status"] != "CANCELLED":
            listed = {i["channelSkuCode"] for i in p["orderItems"]}
            kept = [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]} for l in held["lines"]
                    if l["channelSkuCode"] not in listed]   # the bug: lines absent from the update are kept
            p = {**p, "orderItems": [*p["orderItems"], *kept]}
        super().order_create(p)


class SupersedeIgnoredOnceTried(Tenant):
    """ERP-INVOICE-FINAL-QUANTITY: a superseding OUTWARD_ORDER_CREATE replaces the e-invoice only while it has
    not been tried yet ("once sent, an IRN is committed"): an e-invoice AJIO did not take on its first try (AJIO
    down, throttled) keeps going out with the old quantities, never the final ones."""

    def order_create(self, p: dict) -> None:
        order = p["orderCode"]
        tried = any(o["kind"] == "invoice" and o["key"] == order and o["attempts"] > 0 for o in self.outbox)
        if tried and p.get("supersedesMessageId"):   # the bug
            log(f"{self.pob}: {order} changed, but its e-invoice went out already: keeping it")
            return
        super().order_create(p)


# -- crashes of the ERP at a chosen call (erp: {kill_at}) --------------------------------------------------------
class BooksPostedBeforeCall(Tenant):
    """ERP-ORDER-CREATE-POSTING / ERP-CREDIT-NOTE-POSTING: the ERP books a document as posted (out of its outbox, on
    disk) before the call to AJIO goes out, and puts it back in memory if AJIO refuses it ("mark, then send", so a
    slow AJIO never gets a document twice): a crash before the call reached AJIO leaves the document booked as
    posted; the restarted ERP never sends it."""

    def send(self, item: dict):
        with self.lock:
            if item in self.outbox:
                self.outbox.remove(item)   # the bug: written as posted before the call
                self.save()
                self.outbox.append(item)   # in memory only, for the retry if AJIO refuses it
        return super().send(item)


class ReissuesUnsentOnStart(Tenant):
    """API-IDEMPOTENT-REPEAT: at start-up the ERP voids every document still in its outbox and issues it anew, new
    number and IRN ("a posting cut by a crash may be half-registered at the IRP: cancel and re-issue"), without
    asking AJIO whether it took the first: after a crash right after AJIO took an e-invoice or a credit note, the
    restarted ERP posts a second document for the same order or return, which AJIO refuses."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        for item in self.outbox:   # the bug: what AJIO may already hold is re-issued, not retried as it was
            body, invoice = item["body"], item["kind"] == "invoice"
            number = self.number("EI" if invoice else "CN")
            irn = self.irn(number)
            qr = base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode()
            if invoice:
                body.update(invoiceNumber=number, irnNumber=irn, qrCode=qr, invoiceDate=self.zoned_now())
            else:
                body.update(creditNoteNumber=number, ackNumber=number, irnNumber=irn, signedQrCode=qr,
                            ackDate=self.zoned_now())
            books = self.invoices if invoice else self.credit_notes
            books.get(item["key"], {}).update(irnNumber=irn, **({"invoiceNumber": number} if invoice
                                                                 else {"creditNoteNumber": number}))
            log(f"{self.pob}: {item['kind']} {item['key']} re-issued at start-up as {number}")
        if self.outbox:
            self.save()


# -- the fifteenth blind VMS hunt: what an ERP keeps in memory, seen after a restart ----------------------------
class ReturnDedupInMemory(Tenant):
    """ERP-POSTING-ONCE: the messageIds already processed are kept in memory (a set rebuilt empty at start-up) and
    a return order posting is told apart from a repeat by its messageId alone (the credit-note books are not
    looked at: "the messageId is the dedup key"): a return posting whose answer was lost and that comes again
    after an ERP restart gets a second credit note, under a new number and IRN, for a return AJIO holds the first
    credit note of."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        self.seen = []   # the bug: forgotten at start-up

    def return_order(self, p: dict) -> None:
        self.credit_notes.pop(p["returnOrderCode"], None)   # the bug: no look at the books
        super().return_order(p)


class SupersedeMapInMemory(Tenant):
    """ERP-ORDER-FINAL-QUANTITY: which OUTWARD_ORDER_CREATE each e-invoice was made from (messageId -> order) is kept
    in memory; a superseding CREATE whose supersedesMessageId it cannot place, for an order it has e-invoiced, is
    taken for a late repeat and ignored. After a restart the map is empty: a partial cancellation posted then
    (the first e-invoice not yet taken by AJIO) is ignored, and the e-invoice goes out for the old quantity."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        self.made_from: dict = {}   # the bug: in memory only

    def order_create(self, p: dict) -> None:
        old = p.get("supersedesMessageId")
        if old and old not in self.made_from and p["orderCode"] in self.invoices:
            log(f"{self.pob}: {p['orderCode']}: supersedes {old}, which is not ours: a late repeat, ignored")
            return
        super().order_create(p)
        if p["orderCode"] in self.invoices:
            self.made_from[p.get("messageId")] = p["orderCode"]


# -- the RSI fetch of the ERP (seed 002 "RSI Fetching": "Clients need to implement this functionality in their ERP
# side"), rule VMS-ERP-RSI-FETCH ---------------------------------------------------------------------------------
class NeverFetchesRsi(Tenant):
    """VMS-ERP-RSI-FETCH: the ERP never fetches RSI (it takes the return order posting and waits for a report to
    upload by hand): the RSI AJIO issues never reach its books. The reference until rsi16 (it had no RSI fetch at
    all, and the catalogue only checked that no fetch was refused)."""

    def pull_rsi(self) -> None:
        return


class RsiOneWideRange(Tenant):
    """VMS-ERP-RSI-FETCH: fetches from its cursor to now in ONE range, whatever its width: after a gap of more than
    2 days AJIO refuses it (400, VMS-RSI-RANGE-2-DAYS) and the ERP asks the same range again, never split."""

    @staticmethod
    def rsi_pieces(start: int, end: int) -> list[tuple[int, int]]:
        return [(start, end)] if start < end else []


class RsiCursorPastFailure(Tenant):
    """VMS-ERP-RSI-FETCH: moves its cursor to now before it fetches ("the range is taken"), so a fetch that fails
    (AJIO answers 503) is never asked again: the RSI of that range are lost."""

    def fetch_rsi(self, start: int, end: int):
        found = super().fetch_rsi(start, end)
        return [] if found is None else found   # the bug: a failed range counts as fetched, the cursor moves on


class RsiLastDayOnly(Tenant):
    """VMS-ERP-RSI-FETCH: every round fetches "the last day" (now - 1 day to now) rather than from its cursor: a gap
    of more than a day (the ERP stopped, the clock jumped) loses the RSI issued before the last day."""

    def pull_rsi(self) -> None:
        if self.rsi_cursor is not None and self.rsi_clock is not None:
            self.rsi_cursor = max(self.rsi_cursor, self.rsi_clock - 86400)   # the bug: the window is the last day
        super().pull_rsi()


class RsiRefetchesLookBack(Tenant):
    """VMS-ERP-RSI-FETCH: every round (once a second) fetches the whole look-back (the last 2 days) again, from no
    cursor: nothing is lost, but AJIO is asked the same ranges for ever, and again after every restart."""

    def pull_rsi(self) -> None:
        if time.monotonic() >= self.rsi_next:
            self.rsi_cursor = None   # the bug: no cursor, every round starts at the look-back
            if self.rsi_clock is not None:
                self.rsi_clock += 1   # ... and fetches whatever the clock says, standing or not
        super().pull_rsi()


class RsiCursorInMemory(Tenant):
    """VMS-ERP-RSI-FETCH: keeps its RSI cursor in memory only: after a restart it starts again from the look-back
    (2 days before now), so what AJIO issued while the ERP was down, longer ago than that, is never fetched, and a
    restart re-reads 2 days."""

    def __init__(self, env, state_dir) -> None:
        super().__init__(env, state_dir)
        self.rsi_cursor = None   # the bug: not read back

    def save(self) -> None:
        kept, self.rsi_cursor = self.rsi_cursor, None
        try:
            super().save()
        finally:
            self.rsi_cursor = kept
