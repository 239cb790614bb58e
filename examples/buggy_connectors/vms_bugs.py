"""VMS bugs (issue 17): each class is the reference VMS connector (examples/reference_connector/vms_connector.py)
with ONE bug planted, overriding the one method or limit the real bug lives in. buggy.py lists them by name."""
from __future__ import annotations

from datetime import datetime, timezone

from ajio_client import AjioClient, AjioError  # noqa: F401
from client_bugs import NoRetryClient, RetryAfterIgnoringClient, StickyTokenClient
from connector import log  # noqa: F401
from vms_connector import ACK_HOLD_S, RSI_RANGE_S, VmsConnector, zoned  # noqa: F401


class VmsAcksAtOnce(VmsConnector):
    """Acknowledges an order as soon as it sees it: no 4-hour hold, so customers cannot cancel."""

    def acknowledge_due(self) -> None:
        for mine in self.state.orders.values():
            mine["order_date"] = 0  # "old enough" for the hold check, whenever it was placed
        super().acknowledge_due()


class VmsFetchesNewOnly(VmsConnector):
    """Fetches only orders created since its last fetch: what happened to older orders (a customer's
    cancellation) is never seen again; it acknowledges from memory."""

    def fetch_orders(self) -> None:
        start = self.meta.get("orders_to", self.clock - 7 * 86400)
        for order in self.client.pages("/orders", "orders", fromDate=start, toDate=self.clock):
            if order["order_id"] not in self.state.orders:
                self.state.orders[order["order_id"]] = {"stage": "new", "order_date": order["order_date"],
                                                        "status": order["status"], "lines": [
                    {"sku": l["sku"], "channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]}
                    for l in order["order_lines"]]}
        self.meta["orders_to"] = self.clock + 1


class VmsAcksWithoutReserving(VmsConnector):
    """Checks each order against the warehouse's count alone, forgetting what this very sync acknowledged:
    two orders wanting the last unit are both acknowledged (seed 002: Omni soft-reserves, then acknowledges)."""

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        return super().shortfall(mine)


class VmsCancelsLatePo(VmsConnector):
    """Gives an order one more sync to get its PO, then cancels it as "PO not received"."""

    def fetch_pos(self) -> None:
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "acknowledged" or mine.get("acknowledged_at") == self.clock:
                continue
            try:
                self.client.get(f"/orders/{order_id}/po")
            except AjioError as exc:
                if exc.code == "NOT_YET":
                    self.cancel(order_id, mine, None, "no PO from AJIO")
                    continue
                raise
        super().fetch_pos()


class VmsCancelsUninvoiced(VmsConnector):
    """Model 1: cancels an order whose e-invoice has not come an hour after its PO ("the ERP lost it")."""

    def invoice(self) -> None:
        for order_id, mine in self.state.orders.items():
            if mine["stage"] == "po":
                mine.setdefault("po_seen_at", self.clock)
                if self.clock - mine["po_seen_at"] >= 3600:
                    self.cancel(order_id, mine, None, "no e-invoice from the ERP within an hour")
        super().invoice()


class VmsPartialCancelModel1(VmsConnector):
    """Cancels only the missing lines at packing, whatever the e-invoice model."""

    def pack(self) -> None:
        model, self.einvoice_model = self.einvoice_model, "rms"  # the model 2 branch for everyone
        try:
            super().pack()
        finally:
            self.einvoice_model = model


class VmsCancelsWholeModel2(VmsConnector):
    """Cancels the whole order when any item is short, even in model 2 where part of it can ship."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        if self.not_picked(order_id, mine):
            self.cancel(order_id, mine, None, "an item is short")
            return
        super().invoice_order(order_id, mine)


class VmsRsiWeekRange(VmsConnector):
    """Fetches RSI documents for the whole last week in one call."""

    def accept_rsi(self) -> None:
        if self.return_model != "rsi":
            return
        answer = self.client.get("/rsi", rsiDateFrom=zoned(self.clock - 7 * 86400), rsiDateTo=zoned(self.clock))
        for doc in answer["returnSalesInvoices"]:
            self.client.post(f"/rsi/{doc['rsiNumber']}/accept", {})


class VmsRsiReceivedOnly(VmsConnector):
    """Accepts an RSI only once every return on it has been received and checked ("we cannot accept
    what we have not seen"), which seed 002 says not to wait for."""

    def accept_document(self, doc: dict) -> bool:
        checked = {rid for rid, r in self.state.returns.items() if r["stage"] != "expected"}
        if not {line["returnOrderCode"] for line in doc["rsiLines"]} <= checked:
            log(f"RSI {doc['rsiNumber']}: items not received yet, not accepted")
            return False
        return super().accept_document(doc)


class VmsQcFailWithoutReason(VmsConnector):
    """Shares a failed QC as FAIL but forgets AJIO's reason."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS" if code == "GOOD" else "FAIL"}
                 for i in ret["items"] if i["quantity"] > 0]
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine["stage"] = "checked"


class VmsRtoRequestAlways(VmsConnector):
    """Asks AJIO for an RTO for every parcel the warehouse logs, without checking its expectations."""

    def sync_returns(self) -> None:
        requested = self.meta.setdefault("rto_requested", [])
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in requested:
                self.client.post("/returns/rto", {"order_id": order_id})
                requested.append(order_id)
        self.warehouse.unexpected_rto = []
        super().sync_returns()


class VmsIgnoresRetryAfter(VmsConnector):
    """The VMS layer retries a 429 after its own 50 ms instead of waiting the announced Retry-After."""

    client_class = RetryAfterIgnoringClient


class VmsNeverRetries(VmsConnector):
    """The VMS layer treats a 503 or a dropped connection as final; the work waits for the next sync."""

    client_class = NoRetryClient


class VmsIgnoresTokenExpiry(VmsConnector):
    """The VMS layer, a daemon, logs in once and keeps its token for ever."""

    client_class = StickyTokenClient


class EveryCallLoginClient(AjioClient):
    TOKEN_MAX_AGE_S = 0.0


class VmsLogsInEveryCall(VmsConnector):
    """The VMS layer logs in again before every call, its token still valid."""

    client_class = EveryCallLoginClient


class VmsDoubleProcesses(VmsConnector):
    """Books every row of its order read as a new order: an order AJIO lists twice is booked again by the
    repeat as a new order (CREATED, its progress forgotten) and acknowledged again once its hold is over."""

    def fetch_orders(self) -> None:
        pages, seen = self.client.pages, set()

        def rows(*args, **kwargs):
            for order in pages(*args, **kwargs):
                if order["order_id"] in seen:
                    self.state.orders.pop(order["order_id"], None)
                    order = {**order, "status": "CREATED"}   # the bug: a row booked is a new order
                seen.add(order["order_id"])
                yield order
        self.client.pages = rows
        try:
            super().fetch_orders()
        finally:
            del self.client.pages


class VmsFetchesLastHour(VmsConnector):
    """Fetches the orders created in the last hour only, however long ago it last looked: orders placed
    before that are never seen."""

    def fetch_orders(self) -> None:
        pages = self.client.pages

        def last_hour(path, key, **query):
            if path == "/orders":
                query["fromDate"] = max(query["fromDate"], self.clock - 3600)
            return pages(path, key, **query)
        self.client.pages = last_hour
        try:
            super().fetch_orders()
        finally:
            del self.client.pages


class VmsReinvoicesSameNumber(VmsConnector):
    """Model 2: when a partial cancellation cancels RMS's invoice, invoices the rest under the old number."""

    def cancel(self, order_id: str, mine: dict, lines: list[dict] | None, why: str) -> None:
        number = mine.get("invoice_number")
        super().cancel(order_id, mine, lines, why)
        if mine["stage"] == "po":
            mine["invoice_number"] = number


class VmsNumbersByYear(VmsConnector):
    """Numbers RMS's invoices and credit notes in a financial-year series, RMS/2026-27/00001: 17 characters,
    one more than GST allows."""

    def next_number(self, prefix: str) -> str:
        self.meta[prefix] = self.meta.get(prefix, 0) + 1
        return f"{prefix}/2026-27/{self.meta[prefix]:05d}"


class VmsCreditNoteInvoiceIrn(VmsConnector):
    """Signs a credit note with the IRN of the order's B2B invoice instead of the credit note's own."""

    def einvoice(self, number: str) -> dict:
        fields = super().einvoice(number)
        invoices = [o.get("invoice_number") for o in self.state.orders.values() if o.get("invoice_number")]
        if number.startswith("RCN") and invoices:
            fields = {**fields, "irnNumber": super().einvoice(invoices[0])["irnNumber"]}
        return fields


# -- the VMS bug hunt: bugs the catalogue let through until a scenario was extended for each ----------------
class VmsAcksThenCancelsShort(VmsConnector):
    """Acknowledges the whole order and only then cancels the units the warehouse lacks ("the acknowledgement
    is a receipt, the cancellation follows"): AJIO hears the order is taken in full before it is short."""

    def acknowledge_due(self) -> None:
        self.reserved = {}
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "new" or mine["status"] != "CREATED" or self.clock - mine["order_date"] < self.ack_hold_s:
                continue
            try:
                short = self.shortfall(mine, self.reserved)
                if short and self.remaining(mine, short) == 0:
                    self.cancel(order_id, mine, None, "nothing in stock")
                    continue
                self.client.post(f"/orders/{order_id}/acknowledge", {})
                mine.update(stage="acknowledged", acknowledged_at=self.clock)
                if short:
                    self.cancel(order_id, mine, short, "short in stock, after the acknowledgement")
                for line in mine["lines"]:
                    self.reserved[line["sku"]] = self.reserved.get(line["sku"], 0) + line["quantity"]
            except AjioError as exc:
                self.errors += 1
                log(f"acknowledge {order_id}: {exc}")


class VmsRereadsUntilPacked(VmsConnector):
    """Stops re-reading an order once it is packed ("nothing changes between packing and handover"): a
    customer who cancels a packed order whose handover failed is never seen, the order goes on the next
    manifest."""

    def fetch_orders(self) -> None:
        packed = [oid for oid, mine in self.state.orders.items() if mine["stage"] == "packed"]
        for oid in packed:
            self.state.orders[oid]["stage"] = "manifested"  # not an open order: not re-read by id
        pages = self.client.pages

        def without_packed(path, key, **query):
            return (o for o in pages(path, key, **query) if o["order_id"] not in packed)
        self.client.pages = without_packed
        try:
            super().fetch_orders()
        finally:
            del self.client.pages
            for oid in packed:
                self.state.orders[oid]["stage"] = "packed"


class VmsRmsNumberAfterSuccess(VmsConnector):
    """Model 2: keeps RMS's invoice number only once AJIO answered 200: an invoice whose answers were all lost
    is numbered afresh at the next sync, a new number and IRN for an order AJIO has invoiced already."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        if mine.get("invoice_number") != mine.get("invoice_number_answered"):
            mine["invoice_number"] = None  # never confirmed: a new one
        super().invoice_order(order_id, mine)
        mine["invoice_number_answered"] = mine.get("invoice_number")


class VmsQcOneUnitPerItem(VmsConnector):
    """Shares QC with quantity 1 per returned item ("one item, one unit"): an item of 2 units is checked for
    one of them."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        super().quality_check({**ret, "items": [{**i, "quantity": min(1, i["quantity"])} for i in ret["items"]]},
                              mine)


class VmsRtoRequestEverySync(VmsConnector):
    """Remembers the RTO generation requests it sent for the current run only: a sync before AJIO's
    expectation arrives asks again for the same parcel."""

    def sync_returns(self) -> None:
        self.meta["rto_requested"] = []
        try:
            super().sync_returns()
        finally:
            self.meta["rto_requested"] = []


class VmsReturnsFirstPage(VmsConnector):
    """Reads page 0 of the return expectations only ("never 50 returns in a window"): the 51st is never
    checked."""

    def sync_returns(self) -> None:
        pages = self.client.pages

        def first_page(path, key, **query):
            if path != "/returns":
                return pages(path, key, **query)
            return iter(self.client.get(path, **query, page=0, size=50)[key])
        self.client.pages = first_page
        try:
            super().sync_returns()
        finally:
            del self.client.pages


class VmsRsiRescansWeek(VmsConnector):
    """RSI model: no cursor, no list of accepted RSIs: every sync reads the last 7 days in 2-day ranges and
    accepts every RSI again ("accepting is idempotent")."""

    def accept_rsi(self) -> None:
        if self.return_model != "rsi":
            return
        start = self.clock - 7 * 86400
        while start < self.clock:
            end = min(start + RSI_RANGE_S, self.clock)
            for doc in self.client.get("/rsi", rsiDateFrom=zoned(start), rsiDateTo=zoned(end))["returnSalesInvoices"]:
                self.accept_document(doc)
            start = end


class VmsRsiLastTwoDays(VmsConnector):
    """RSI model: reads the last 2 days at each sync ("the range may not exceed 2 days"), not from where the
    last sync stopped: an RSI issued earlier than that while the layer was off is never accepted."""

    def accept_rsi(self) -> None:
        self.meta["rsi_to"] = self.clock - RSI_RANGE_S + 3600  # the reference steps back one hour from it
        super().accept_rsi()


class PerCallThrottleClient(AjioClient):
    """Holds back only the throttled call: the next call goes out at once, as if AJIO throttled per endpoint."""

    def _send(self, *args, **kwargs):
        self.blocked_until = 0.0
        return super()._send(*args, **kwargs)


class VmsThrottlePerCall(VmsConnector):
    """A 429 whose Retry-After is longer than the sync waits ends that call only; the sync's other calls go out
    inside the announced wait."""

    client_class = PerCallThrottleClient


class VmsManifestIgnoresFailed(VmsConnector):
    """Marks every order it put on a manifest as handed over when AJIO answers 200, never reading the `failed`
    list: an order AJIO failed stays packed, never manifested again (API-PER-LINE-FAILURES)."""

    def manifest(self) -> None:
        packed = self.state.in_stage("packed")
        for start in range(0, len(packed), self.MANIFEST_MAX):
            chunk = packed[start:start + self.MANIFEST_MAX]
            answer = self.client.post("/manifests", {"orderIds": chunk})
            for order_id in chunk:
                self.state.orders[order_id]["stage"] = "manifested"
            if answer.get("manifestUrl"):
                self.client.document(answer["manifestUrl"])


class VmsInvoiceDateUtcAsIst(VmsConnector):
    """Runs on a UTC server and writes its documents' dates from the wall clock with IST's offset: every
    invoice (and RMS credit note) is dated 5 h 30 before it was made, before the PO it invoices."""

    def document_date(self) -> str:
        return datetime.fromtimestamp(int(self.clock), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+05:30")
