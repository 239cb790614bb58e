"""Reference AJIO VMS connector: the seller's VMS integration layer of seed 002, on the standard library only.

Started by connector.py when AJIO_MODEL=vms (same environment, state and warehouse files), plus
AJIO_VMS_EINVOICE_MODEL (`erp`: model 1, the seller's ERP e-invoices; `rms`: model 2, this layer does,
as Increff's RMS) and AJIO_VMS_RETURN_MODEL (`credit_note` | `rsi`). "Now" is AJIO_CLOCK_URL's
(the simulator's clock: `ajio-sim run` gives it) or the system clock.

One sync, in order:
  fetch_orders (by creation date, every page) -> acknowledge_due (after the 4-hour hold, re-read first;
  what the warehouse lacks is cancelled) -> fetch_pos (on hold until AJIO has the B2B PO) -> invoice
  (model 2 only: the RMS e-invoice; model 1: the ERP posts it to /ajio-vms) -> pack (B2C invoice and
  label; what went missing or got damaged is cancelled: the whole order in model 1, the lines in model 2)
  -> manifest (<= 250) -> sync_returns (QC PASS/FAIL, RTO generation request, credit note via RMS)
  -> accept_rsi (RSI model: fetched in ranges of <= 2 days, every one ACCEPTED, received or not).
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from ajio_client import AjioError
from connector import Connector, item_refused, log

IST = timezone(timedelta(hours=5, minutes=30))
DAY = 86400
# Seed 002: "Increff's VMS Integration layer will hold acknowledgment for a definite time (4 hours) and
# then will send it to Ajio ... 4 hours of window will enable customers to cancel the order."
ACK_HOLD_S = 4 * 3600   # the seed's default; the seller's own hold comes in AJIO_VMS_ACK_HOLD_SECONDS
FIRST_LOOKBACK_S = 7 * DAY   # the first sync looks this far back for orders and returns
OVERLAP_S = 3600             # each fetch re-reads the last hour: an order created at the edge is not lost
RSI_RANGE_S = 2 * DAY        # seed 002: rsiDateFrom and rsiDateTo at most 2 days apart
# The warehouse's QC codes as AJIO's VMS vocabulary (API.md); a warehouse may also name the reason itself.
QC_FAIL_REASON = {"BAD": "USED_PRODUCT", "MISSING": "PRODUCT_MISSING"}
TERMINAL = ("cancelled", "manifested")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"


def zoned(epoch: float) -> str:
    """Seed 002's ZonedDateTime: 2020-10-16T20:22:28.000+05:30."""
    return datetime.fromtimestamp(int(epoch), IST).isoformat(timespec="milliseconds")

# AJIO's statuses of an order that has its B2B invoice and is not yet handed over: PACKED once the layer fetched its
# packing documents (a run killed after that, before its state was saved, learns it from AJIO).
INVOICED_AT_AJIO = ("INVOICED", "PACKED")

class VmsConnector(Connector):
    PHASES = ("fetch_orders", "acknowledge_due", "fetch_pos", "invoice", "fetch_owed_documents", "pack", "manifest",
              "sync_returns", "accept_rsi")
    FINISHED_STAGES = ()  # orders stay in the state: the date-window fetch tells new orders from known ones by it

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        super().__init__(env, assume_stock)
        self.einvoice_model = env.get("AJIO_VMS_EINVOICE_MODEL", "erp")
        self.return_model = env.get("AJIO_VMS_RETURN_MODEL", "credit_note")
        self.ack_hold_s = int(env.get("AJIO_VMS_ACK_HOLD_SECONDS", ACK_HOLD_S))   # the seller's setting
        self.clock_url = env.get("AJIO_CLOCK_URL")
        self.admin_token = env.get("AJIO_SIM_ADMIN_TOKEN")
        self.username = env["AJIO_USERNAME"]
        self.meta = self.state.meta

    def now(self) -> int:
        if self.clock_url:
            headers = {"X-Admin-Token": self.admin_token} if self.admin_token else None
            return int(self.client.http.request("GET", self.clock_url, headers=headers, timeout=10).json()["now"])
        return int(time.time())

    def sync(self) -> None:
        self.clock = self.now()
        super().sync()

    # -- B2C orders by date (seed 002) ------------------------------------------------------
    def fetch_orders(self) -> None:
        """B2C orders by creation date (epoch seconds), every page, from the oldest order still in work
        (AJIO has no "updated since" filter: re-reading them is how cancellations are learnt)."""
        open_dates = [o["order_date"] for o in self.state.orders.values() if self.rereads(o)]
        start = self.meta.get("orders_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S
        start = min([start, *open_dates])
        for order in self.client.pages("/orders", "orders", fromDate=max(0, start), toDate=self.clock):
            mine = self.state.orders.get(order["order_id"])
            if mine is None:
                mine = self.state.orders[order["order_id"]] = {"stage": "new", "order_date": order["order_date"]}
                log(f"new order {order['order_id']}")
            mine.update(status=order["status"], lines=[
                {"sku": l["sku"], "channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]}
                for l in order["order_lines"]])
            self.follow_status(order["order_id"], mine, order["status"])
        self.meta["orders_to"] = self.clock

    def rereads(self, mine: dict) -> bool:
        """Whether an order held here is read again at each fetch: until it is cancelled or handed over (a packed
        order can still be cancelled by its customer until the handover, VMS-LATE-CUSTOMER-CANCEL)."""
        return mine["stage"] not in TERMINAL

    def follow_status(self, order_id: str, mine: dict, status: str) -> None:
        """What AJIO's status of an order listed again moves here (any other pair changes nothing: a status this
        layer does not know leaves the order where it is, API-UNKNOWN-VALUE):

        | AJIO's status | stage here | becomes |
        |---|---|---|
        | CANCELLED | not cancelled or manifested | cancelled |
        | INVOICED or PACKED | po | invoiced (model 1: the ERP's e-invoice reached AJIO; PACKED too: a run killed
          after it fetched the packing documents, which pack the order at AJIO, lost that on disk and the pack
          phase fetches them again) |
        | ACKNOWLEDGED | invoiced | po, no invoice number (model 2: a customer's late partial cancellation made AJIO
          cancel the RMS invoice, and an issued invoice never changes: the rest waits for a new number) |
        | ACKNOWLEDGED or INVOICED | new | acknowledged (acknowledged_by_an_interrupted_run) |
        """
        stage = mine["stage"]
        if status == "CANCELLED" and stage not in TERMINAL:
            mine["stage"] = "cancelled"
            log(f"{order_id} cancelled")
        elif status in INVOICED_AT_AJIO and stage == "po":
            mine["stage"] = "invoiced"
        elif status == "ACKNOWLEDGED" and stage == "invoiced":
            mine.update(stage="po", invoice_number=None)
            log(f"{order_id}: invoice cancelled by AJIO after a late cancellation, invoicing the rest")
        elif status in ("ACKNOWLEDGED", "INVOICED") and stage == "new":
            self.acknowledged_by_an_interrupted_run(order_id, mine)

    def acknowledged_by_an_interrupted_run(self, order_id: str, mine: dict) -> None:
        """An order still new here that AJIO lists acknowledged: an earlier run acknowledged it and was killed before
        it saved its state. AJIO's word is taken (acknowledging again would be refused): its PO is asked next."""
        mine["stage"] = "acknowledged"
        log(f"{order_id} acknowledged by an earlier, interrupted run")

    # -- acknowledgement after the hold -------------------------------------------------------
    def acknowledge_due(self) -> None:
        """Hold each acknowledgement for the seller's hold (seed 002: 4 hours) after the order's creation
        (customers cancel meanwhile; acknowledging stops that), then acknowledge what the warehouse can ship
        and cancel the rest. The warehouse's count is what it can still reserve; what this run acknowledges is
        reserved from it, so two orders never take one unit (seed 002: Omni soft-reserves, then acknowledges)."""
        self.reserved = {}
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "new" or mine["status"] != "CREATED":
                continue
            if not self.ack_due(mine):
                continue
            try:
                short = self.shortfall(mine, self.reserved)
                if short and self.remaining(mine, short) == 0:
                    self.cancel(order_id, mine, None, "nothing in stock")
                    continue
                if short:
                    self.cancel(order_id, mine, short, "short in stock before acknowledging")
                self.acknowledge(order_id, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"acknowledge {order_id}: {exc}")

    def ack_due(self, mine: dict) -> bool:
        """Whether a new order's hold is over: every sync looks at every new order, so an acknowledgement that
        failed when the hold ended is sent at a later sync."""
        return self.clock - mine["order_date"] >= self.ack_hold_s

    def acknowledge(self, order_id: str, mine: dict) -> None:
        """Acknowledge Order; only once AJIO took it are its units reserved and the order recorded acknowledged
        (a call that failed leaves it new, its units free, and it is sent again at the next sync)."""
        self.client.post(f"/orders/{order_id}/acknowledge", {})
        self.reserve(mine)
        mine.update(stage="acknowledged", acknowledged_at=self.clock)
        log(f"acknowledged {order_id} after the {self.ack_hold_s / 3600:g} h hold")

    def reserve(self, mine: dict) -> None:
        for line in mine["lines"]:
            self.reserved[line["sku"]] = self.reserved.get(line["sku"], 0) + line["quantity"]

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        """Lines the warehouse cannot supply now (less what `reserved` took of it): [{channelSkuCode, quantity}]."""
        short = []
        reserved = reserved or {}
        for line in mine["lines"]:
            free = max(0, self.warehouse.available(line["sku"]) - reserved.get(line["sku"], 0))
            missing = line["quantity"] - min(line["quantity"], free)
            if missing > 0:
                short.append({"channelSkuCode": line["channelSkuCode"], "quantity": missing})
        return short

    def not_picked(self, order_id: str, mine: dict) -> list[dict]:
        """Lines of an acknowledged order the warehouse cannot pick (not found, damaged). A warehouse that says
        what it can pick per order (`pickable`: order -> SKU -> units) is taken at its word; otherwise its
        count of a SKU is what this order can have."""
        if self.warehouse.pickable is None:
            return self.shortfall(mine)
        can = self.warehouse.pickable.get(order_id, {})
        return [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"] - can[l["sku"]]}
                for l in mine["lines"] if l["sku"] in can and l["quantity"] > can[l["sku"]]]

    @staticmethod
    def remaining(mine: dict, short: list[dict]) -> int:
        return sum(l["quantity"] for l in mine["lines"]) - sum(s["quantity"] for s in short)

    def cancel(self, order_id: str, mine: dict, lines: list[dict] | None, why: str) -> None:
        """Seller cancellation: {} for the whole order, {"lines": [...]} for part of it."""
        answer = self.client.post(f"/orders/{order_id}/cancel", {"lines": lines} if lines else {})
        mine["status"] = answer["status"]
        if answer["status"] == "CANCELLED":
            mine["stage"] = "cancelled"
        elif answer.get("invoice_cancelled"):
            # Model 2: an issued invoice never changes; AJIO cancelled it, RMS invoices what is left anew.
            mine.update(stage="po", invoice_number=None)
        for c in lines or []:
            for line in mine["lines"]:
                if line["channelSkuCode"] == c["channelSkuCode"]:
                    line["quantity"] -= c["quantity"]
        log(f"{order_id}: seller cancelled {'the order' if not lines else lines} ({why})")

    # -- the B2B PO --------------------------------------------------------------------------
    def fetch_pos(self) -> None:
        """After the acknowledgement AJIO issues the B2B PO, late or missing for a while: the order waits
        on hold (404 NOT_YET) and is asked again at the next sync. The PO's PDF is kept."""
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "acknowledged" or mine.get("acknowledged_at") == self.clock:
                continue  # acknowledged in this very sync: AJIO's PO lags, ask at the next one
            if "po" not in mine:
                try:
                    po = self.client.get(f"/orders/{order_id}/po")
                except AjioError as exc:
                    if exc.code == "NOT_YET":
                        log(f"{order_id} on hold: no B2B PO yet")
                        continue
                    self.errors += 1
                    log(f"PO of {order_id}: {exc}")
                    continue
                # Kept at once: if its PDF cannot be fetched now, the next sync fetches the PDF alone.
                mine.update(po=po["forwardPurchaseOrder"], po_pdf_url=po["po_pdf_url"])
                self.noted += 1
                log(f"{order_id}: B2B PO {po['forwardPurchaseOrder']}")
            # Kept like every document: on disk before the next call, so a crash later in the sync does not fetch
            # the PO and its PDF again (found by the eighteenth blind hunt: client.document recorded nothing). A PDF
            # that fails holds back its own order only (vms/fulfilment/one_po_pdf_down_others_shipped).
            if not self.kept(order_id, mine["po_pdf_url"], "purchase order"):
                continue
            # Model 1: the ERP may have e-invoiced already (it got the PO through its OUTWARD_ORDER_CREATE).
            mine["stage"] = "invoiced" if mine["status"] in INVOICED_AT_AJIO else "po"

    # -- model 2: the RMS e-invoice --------------------------------------------------------
    def invoice(self) -> None:
        """Model 2 (e-invoicing through RMS): this layer e-invoices what the warehouse can ship. Model 1:
        nothing to do here, the ERP posts its e-invoice to /ajio-vms (seed 002)."""
        if self.einvoice_model != "rms":
            return
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "po":
                continue
            try:
                self.invoice_order(order_id, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"invoice {order_id}: {exc}")

    def next_number(self, prefix: str) -> str:
        """The series' next number, on disk before the call that uses it (save_changes): a crash after AJIO took a
        document must not hand its number out again (found by vms/returns/killed_around_qc_and_credit_note: a
        credit note taken in a killed run, the counter not saved, and the next return's credit note reused its
        number, refused 409 at every sync)."""
        self.meta[prefix] = self.meta.get(prefix, 0) + 1
        self.noted += 1
        return f"{prefix}{self.username[-6:]}-{self.meta[prefix]:05d}"

    def einvoice(self, number: str) -> dict:
        """What an e-invoice carries besides its lines: IRN, signed QR code, the PDF (seed 002)."""
        import base64
        import hashlib  # here, not at the top: it loads OpenSSL, 2-3 ms of every start, for syncs that invoice
        irn = hashlib.sha256(f"{self.username}/{number}".encode()).hexdigest()
        return {"irnNumber": irn, "qrCode": base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode(),
                "invoicePdf": base64.b64encode(PDF).decode()}

    def document_date(self) -> str:
        """The date of a document made now: the moment, with its zone (VMS-DOCUMENT-DATE)."""
        return zoned(self.clock)

    def is_partial(self, mine: dict, lines: list[dict], short: dict) -> bool:
        """Partial: the invoice leaves out units of the order as it stands now (what the warehouse could not
        pick), not units cancelled before (seed 002: the rest is cancelled)."""
        return bool(short)

    def invoice_order(self, order_id: str, mine: dict) -> None:
        short = {s["channelSkuCode"]: s["quantity"] for s in self.not_picked(order_id, mine)}
        lines = [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"] - short.get(l["channelSkuCode"], 0)}
                 for l in mine["lines"] if l["quantity"] - short.get(l["channelSkuCode"], 0) > 0]
        if not lines:
            self.cancel(order_id, mine, None, "nothing left in stock to invoice")
            return
        number = mine.get("invoice_number") or self.next_number("RMS")
        mine["invoice_number"] = number  # kept before the call: a retry re-sends the same invoice
        body = {"invoiceNumber": number, "invoiceDate": self.document_date(), "forwardPurchaseOrder": mine["po"],
                "isPartialInvoice": self.is_partial(mine, lines, short), "invoiceLineEntries": lines,
                **self.einvoice(number)}
        answer = self.client.post(f"/orders/{order_id}/b2bInvoice", body)
        invoiced = {i["channelSkuCode"]: i["quantity"] for i in answer["invoiced"]}
        for line in mine["lines"]:  # what was not invoiced, AJIO cancelled (seed 002)
            line["quantity"] = invoiced.get(line["channelSkuCode"], 0)
        mine.update(stage="invoiced", status=answer["order_status"])
        log(f"invoiced {order_id}: {number}" + (f" (not invoiced, cancelled: {answer['cancelled']})" if short else ""))

    # -- packing and handover ----------------------------------------------------------------
    def pack(self) -> None:
        """At packing: B2C invoice and label (their PDFs kept). Items found missing or damaged now are
        cancelled first: in model 1 the whole order (its e-invoice exists, seed 002), in model 2 the lines."""
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "invoiced":
                continue
            try:
                short = self.not_picked(order_id, mine)
                if short and self.einvoice_model == "erp":
                    self.cancel(order_id, mine, None, "items missing or damaged after the e-invoice (model 1)")
                    continue
                if short:
                    whole = self.remaining(mine, short) == 0
                    self.cancel(order_id, mine, None if whole else short, "items missing or damaged at packing")
                    if mine["stage"] == "po":
                        self.invoice_order(order_id, mine)  # a new invoice, with a new number, for the rest
                    if mine["stage"] != "invoiced":
                        continue
                docs = self.client.get(f"/orders/{order_id}/documents")
                mine.update(stage="packed", awb=docs["tracking_number"])
                log(f"packed {order_id}: AWB {docs['tracking_number']}")
                self.owe_documents(mine, (docs["b2c_invoice_pdf_url"], "B2C invoice"), (docs["label_pdf_url"], "label"))
            except AjioError as exc:
                self.errors += 1
                log(f"pack {order_id}: {exc}")

    def manifest(self) -> None:
        """Create Manifest at handover (seed 002): packed orders, at most 250 per manifest; PDF kept."""
        for chunk in self.manifest_chunks():
            # On disk before the call (found by vms/platform/killed_after_manifest: the lost manifest's orders, sent
            # with orders packed since, were refused 409 at every sync and none was handed over)
            self.state.meta["manifest_in_flight"] = chunk
            self.noted += 1
            answer = self.client.post("/manifests", {"orderIds": chunk})
            self.state.meta.pop("manifest_in_flight", None)
            self.manifest_answered(chunk, answer)

    def manifest_chunks(self) -> list[list[str]]:
        """The manifests to send: a manifest whose answer a crash lost first, alone, then the packed orders ready for
        handover, at most MANIFEST_MAX a manifest."""
        in_flight = self.manifest_in_flight()
        packed = [o for o in self.state.in_stage("packed") if self.ready_for_handover(o) and o not in in_flight]
        chunks = [in_flight] if in_flight else []
        return chunks + [packed[start:start + self.MANIFEST_MAX] for start in range(0, len(packed), self.MANIFEST_MAX)]

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        """The orders AJIO took are manifested (a line failed inside the 200 stays packed for the next manifest);
        the manifest's PDF is owed on one of them."""
        failed = {f["orderId"] for f in answer.get("failed", [])}
        manifested = [order_id for order_id in chunk if order_id not in failed]
        for order_id in manifested:
            self.state.orders[order_id]["stage"] = "manifested"
        log(f"manifest {answer['manifest_id']}: {len(manifested)} order(s)")
        if answer.get("manifestUrl"):
            self.owe_documents(self.state.orders[(manifested or chunk)[0]], (answer["manifestUrl"], "manifest"))

    def ready_for_handover(self, order_id: str) -> bool:
        """An order whose label or B2C invoice is still owed (its download failed) is handed over once printed."""
        return not self.state.orders[order_id].get("documents_owed")

    # -- returns ------------------------------------------------------------------------------
    def sync_returns(self) -> None:
        """Return expectations against the forward orders (customer returns and RTOs): QC of what reached
        the warehouse, shared per unit as PASS or FAIL with a reason; an RTO that came back with no
        expectation gets one RTO generation request; credit notes via RMS (model 2, credit-note model)."""
        listed = set()
        for ret in self.client.pages("/returns", "returns", fromDate=max(0, self.returns_from()), toDate=self.clock):
            listed.add(ret["order_id"])
            mine = self.state.returns.setdefault(ret["return_order_id"], {
                "order_id": ret["order_id"], "date": ret["return_date"], "stage": "expected"})
            mine["return_type"] = ret.get("return_type")
            try:
                if ret["return_status"] == "RETURN_DELIVERED" and mine["stage"] == "expected":
                    self.quality_check(ret, mine)
                elif ret["return_status"] == "RETURN_PROCESSED" and mine["stage"] == "expected":
                    mine["stage"] = "checked"
                elif ret["return_status"] == "RETURN_CANCELLED":
                    mine["stage"] = "done"
                if mine["stage"] == "checked":
                    self.credit_note(ret, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"return {ret['return_order_id']}: {exc}")
        self.meta["returns_to"] = self.clock
        requested = self.meta.setdefault("rto_requested", [])
        expected = self.orders_with_expectation(listed)
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in expected and order_id not in requested:
                self.book_back_parcel(order_id)

    def book_back_parcel(self, order_id: str) -> None:
        """The RTO generation request of one parcel that came back without an expectation. A parcel AJIO refuses (an
        order it does not know for this POB: a sibling store's parcel, a mistyped id; an order it will not take back)
        is left for a person and the other parcels are asked for all the same: the first refused request used to end
        the phase at every sync, so no parcel logged after it was ever asked for (blind hunt 32's VMS helper; the
        Dropship connector learnt it in hunt 18)."""
        try:
            self.request_rto(order_id)
        except AjioError as exc:
            if not item_refused(exc):
                raise  # AJIO down or throttling: the phase stops, the next sync asks for every parcel
            self.errors += 1
            log(f"parcel of {order_id}: no RTO request ({exc}): left for a person, tried again next sync")

    def returns_from(self) -> int:
        """Where the returns read starts: where the last one stopped, less the overlap, or the oldest return still
        open if that is earlier (a return raised days ago may be delivered only now)."""
        start = self.meta.get("returns_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S
        return min([start, *(r["date"] for r in self.state.returns.values() if r["stage"] != "done")])

    def request_rto(self, order_id: str) -> None:
        """One RTO generation request, noted once AJIO took it: a request that failed is sent again next sync."""
        answer = self.client.post("/returns/rto", {"order_id": order_id})
        self.meta["rto_requested"].append(order_id)
        log(f"RTO generation request for {order_id}: expectation due at {answer['expectation_due_at']}")

    def orders_with_expectation(self, listed: set[str]) -> set[str]:
        """The orders AJIO expects a parcel of: those of the returns just listed and of every return held, of either
        type (a customer return's parcel needs no RTO request)."""
        return listed | self.expectations_held()

    def expectations_held(self) -> set[str]:
        """Orders with a return expectation from any fetch, earlier syncs' too (their returns may be done and out
        of this fetch's window while the warehouse's log still lists the parcel)."""
        return {r["order_id"] for r in self.state.returns.values()}

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = []
        for item in ret["items"]:
            if item["quantity"] <= 0:
                continue
            entry = {"itemCode": item["itemCode"], "quantity": item["quantity"],
                     "qcStatus": "PASS" if code == "GOOD" else "FAIL"}
            if code != "GOOD":
                entry["qcReason"] = QC_FAIL_REASON.get(code, code)
            items.append(entry)
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine["stage"] = "checked"
        log(f"QC of {ret['return_order_id']} shared: {code}")

    def credit_note_number(self, ret: dict, mine: dict) -> str:
        """The return's own number from the seller's series (kept: a retry sends the same credit note)."""
        return mine.get("credit_note") or self.next_number("RCN")

    def credited_by_ajio(self, ret: dict) -> str | None:
        """The credit note AJIO lists for the return: a repeat of it would be refused if anything in it changed
        (its ackDate does, at every try)."""
        return ret.get("creditNoteNumber")

    def credit_note(self, ret: dict, mine: dict) -> None:
        """Credit note via RMS (model 2, credit-note model) once the return is processed; in model 1 the
        ERP posts it (seed 002), and the RSI model has none."""
        if self.return_model != "credit_note" or self.einvoice_model != "rms":
            mine["stage"] = "done"
            return
        held = self.credited_by_ajio(ret)
        if held:  # an earlier try AJIO took, its answer lost (or a run killed before it saved): done
            mine.update(stage="done", credit_note=held)
            log(f"credit note {held} of {ret['return_order_id']}: AJIO has it")
            return
        number = self.credit_note_number(ret, mine)
        mine["credit_note"] = number
        e = self.einvoice(number)
        self.client.post(f"/returns/{ret['return_order_id']}/creditNote", {
            "creditNoteNumber": number, "returnOrderId": ret["return_order_id"], "ackNumber": number,
            "ackDate": self.document_date(), "signedQrCode": e["qrCode"], "irnNumber": e["irnNumber"],
            "signedCreditNote": e["invoicePdf"]})
        mine["stage"] = "done"
        log(f"credit note {number} for {ret['return_order_id']}")

    # -- RSI model ------------------------------------------------------------------------------
    def accept_rsi(self) -> None:
        """RSI model: AJIO's RSI documents, fetched in ranges of at most 2 days from where the last sync
        stopped, each PDF kept and marked ACCEPTED, even when its items have not arrived (seed 002)."""
        if self.return_model != "rsi":
            return
        start = self.rsi_start()
        self.rsi_held = False  # an RSI of this sync's ranges not accepted (its PDF failed): the cursor stays put
        while start < self.clock:
            end = min(start + RSI_RANGE_S, self.clock)
            answer = self.client.get("/rsi", rsiDateFrom=zoned(start), rsiDateTo=zoned(end))
            self.accept_range(answer["returnSalesInvoices"], end)
            start = end

    def rsi_start(self) -> int:
        """Where the RSI read starts: an hour before where the last read stopped (an RSI dated while a read ran
        is read again, never missed), or the look-back on an empty state."""
        return self.meta.get("rsi_to", self.clock - FIRST_LOOKBACK_S) - OVERLAP_S

    def accept_range(self, docs: list[dict], end: int) -> None:
        """A range's RSIs accepted, then the cursor moved to its end: a range not worked whole is read again."""
        accepted = self.meta.setdefault("rsi_accepted", [])
        for doc in docs:
            if doc["rsiNumber"] not in accepted and self.accept_document(doc):
                accepted.append(doc["rsiNumber"])
        if not getattr(self, "rsi_held", False):  # an RSI whose PDF failed is read again from before it
            self.meta["rsi_to"] = end

    def accept_document(self, doc: dict) -> bool:
        """Keep the RSI's PDF (once: an acceptance that failed is sent again without it) and mark it ACCEPTED,
        whether or not its items have arrived (seed 002). False, and nothing accepted, when the PDF failed."""
        kept = self.meta.setdefault("rsi_pdfs", [])
        if doc["rsiNumber"] not in kept:
            # kept like every document: on disk before the accept call, so a crash after it never fetches the RSI
            # again (found by vms/returns/killed_around_rsi_acceptances: the RSI's PDF was fetched, and booked,
            # twice). A PDF that fails holds back its own RSI only (vms/returns/one_rsi_pdf_down_others_accepted).
            if not self.kept(doc["rsiNumber"], doc["rsiPdfUrl"], "RSI"):
                self.rsi_held = True  # the cursor stays before it; the other RSIs of the range go on
                return False
            kept.append(doc["rsiNumber"])
        self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})
        log(f"RSI {doc['rsiNumber']} accepted ({len(doc['rsiLines'])} line(s))")
        return True
