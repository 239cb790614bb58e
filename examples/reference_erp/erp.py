"""Reference seller ERP for AJIO VMS (seeds 002, 004): a small HTTP service with the standard library only.

It receives the postings of the ERP integration layer (OUTWARD_ORDER_CREATE / CANCEL / COMPLETE, the
return order posting), keeps each once by `messageId`, e-invoices the final quantities of a B2B order
and posts the invoice to `/ajio-vms/b2bInvoice/posting`, cancels its e-invoice on OUTWARD_ORDER_CANCEL,
raises a return order for units cancelled after the e-invoice on OUTWARD_ORDER_COMPLETE, and in the
credit-note return model posts a credit note to `/ajio-vms/creditNote/posting` for each processed return;
in the RSI return model it fetches AJIO's RSI from `/ajio-vms/rsi` ("Clients need to implement this functionality in
their ERP side", seed 002) in ranges of at most 2 days from a saved cursor, and books each RSI once.
Every outgoing call goes through a persistent outbox: tried at once, retried with backoff when the answer
is not 200 ("If Status Code is other than 200 then Client has to retry", seed 002), until AJIO takes it.

Started by the harness (`ajio-sim run --erp-cmd "python erp.py"`) with AJIO_ERP_PORT, AJIO_ERP_BASE_URL,
AJIO_ERP_USERNAME, AJIO_ERP_PASSWORD, AJIO_ERP_EINVOICE_MODEL, AJIO_ERP_RETURN_MODEL, AJIO_ERP_STATE_DIR,
AJIO_CLOCK_URL; or run by a team (`python erp.py --port 18900`, then `ajio-sim run --erp-url
http://127.0.0.1:18900/postings`): each seller's environment then arrives as a POST with the header
`X-Ajio-Sim-Event: SETUP`, and postings are told apart by their `partnerLocationCode` (the POB id).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

IST = timezone(timedelta(hours=5, minutes=30))
MAX_ATTEMPTS = None       # no cap: a posting is retried until AJIO takes it (an outage lasts as long as it lasts)
BACKOFF_S = 0.25          # first retry after this many real seconds, doubling, capped at BACKOFF_CAP_S
BACKOFF_CAP_S = 4.0
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%%EOF\n"
PATHS = {"invoice": "/b2bInvoice/posting", "credit_note": "/creditNote/posting"}
RSI_MAX_RANGE_S = 2 * 86400  # seed 002: "rsiDateFrom and rsiDateTo should not be more than 2 days apart"
RSI_LOOK_BACK_S = 2 * 86400  # the first fetch of a new ERP reaches this far back (not grounded)
RSI_OVERLAP_S = 3600         # each round re-reads the last hour before its cursor: an RSI a lagging list answered
                             # without is fetched once the list catches up (not grounded: AJIO's lag is not public)
RSI_EVERY_S = 1.0            # real seconds between two RSI rounds (not grounded; the harness waits 5 s for an ERP)


CLOCK_TRIES = 3            # reads of AJIO_CLOCK_URL before the ERP gives up on the clock for this posting or round
CLOCK_RETRY_S = 0.2


class Refused(Exception):
    """A posting this ERP will not take: answered 400 with the reason (the integration layer retries it)."""


class ClockUnavailable(Exception):
    """AJIO_CLOCK_URL did not answer: the ERP dates nothing by its host's clock instead (a document dated by the
    wrong clock is a wrong document: VMS-DOCUMENT-DATE, the financial year of its number). The posting in hand is
    answered 503 before anything changed, so the integration layer retries it; an RSI round is skipped."""


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


class Tenant:
    """One seller (VMS POB): its settings, its books (e-invoices, credit notes) and its outbox, on disk."""
    max_attempts = MAX_ATTEMPTS  # the outbox's limits, per class (a subclass may turn one)
    backoff = BACKOFF_S
    first_try_after = 0.0  # real seconds between making a document and its first try (--first-try-after)
    # What "no answer" is: a refused or reset connection (OSError), or an answer that came cut or garbled on the wire
    # (http.client's IncompleteRead, RemoteDisconnected, BadStatusLine: HTTPException, not an OSError).
    no_answer: tuple = (OSError, http.client.HTTPException)

    def __init__(self, env: dict[str, str], state_dir: Path) -> None:
        self.env = env
        self.pob = env["AJIO_ERP_USERNAME"]
        self.path = state_dir / f"erp-{self.pob}.json"
        self.lock = threading.RLock()
        data = json.loads(self.path.read_text()) if self.path.exists() else {}
        self.seen: list = data.get("seen", [])              # messageIds already processed
        self.invoices: dict = data.get("invoices", {})      # orderCode -> e-invoice
        self.credit_notes: dict = data.get("credit_notes", {})  # returnOrderCode -> credit note
        self.return_orders: list = data.get("return_orders", [])  # raised after OUTWARD_ORDER_COMPLETE
        self.outbox: list = data.get("outbox", [])
        self.series: dict = data.get("series", {})
        self.rsi_cursor: int | None = data.get("rsi_cursor")  # RSI model: fetched up to here (simulated epoch)
        self.rsi_from: int | None = data.get("rsi_from")     # where the first range owed starts (before a cursor)
        self.rsi: dict = data.get("rsi", {})                 # rsiNumber -> what was booked (Inward PO, GRN)
        self.rsi_next = 0.0          # monotonic time of the next RSI round
        self.rsi_clock: int | None = None  # the clock as read by the previous round
        self.quiet_until = 0.0  # AJIO's throttling counts per seller: a Retry-After holds every posting
        self.moment = threading.local()  # .at: the clock read once for the posting in hand (receive)

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"seen": self.seen, "invoices": self.invoices, "credit_notes": self.credit_notes,
                                   "return_orders": self.return_orders, "outbox": self.outbox,
                                   "series": self.series, "rsi_cursor": self.rsi_cursor, "rsi_from": self.rsi_from,
                                   "rsi": self.rsi},
                                  indent=1))
        tmp.replace(self.path)

    # -- time, numbers, e-invoice fields -------------------------------------------------------
    def now(self) -> float:
        """The seller's clock: the moment of the posting in hand (read once, as it arrived), else read now."""
        at = getattr(self.moment, "at", None)
        return at if at is not None else self.read_clock()

    def read_clock(self) -> float:
        """AJIO_CLOCK_URL's `now`, tried CLOCK_TRIES times; ClockUnavailable when it never answers. Without a clock
        URL (a deployment on a real host) the host's clock. It never falls back to the host's clock when a clock
        URL is given: the reference until vary17 did, silently, and dated its documents by a clock the scenario
        had not set (years off in a 2037 scenario)."""
        url = self.env.get("AJIO_CLOCK_URL")
        if not url:
            return time.time()
        for attempt in range(1, CLOCK_TRIES + 1):
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    return float(json.loads(r.read())["now"])
            except (*self.no_answer, ValueError, KeyError, TypeError) as exc:
                if attempt == CLOCK_TRIES:
                    raise ClockUnavailable(f"the clock at {url} did not answer ({CLOCK_TRIES} tries): {exc}") from exc
                time.sleep(CLOCK_RETRY_S)
        raise AssertionError("unreachable")

    def zoned_now(self) -> str:
        return datetime.fromtimestamp(int(self.now()), IST).isoformat(timespec="milliseconds")

    def number(self, prefix: str) -> str:
        """GST document numbers: at most 16 characters, unique per series."""
        self.series[prefix] = self.series.get(prefix, 0) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[prefix]:05d}"

    def irn(self, number: str) -> str:
        return hashlib.sha256(f"{self.pob}/{number}".encode()).hexdigest()

    # -- postings in -----------------------------------------------------------------------
    def receive(self, event: str, posting: dict) -> None:
        """Process a posting once: a repeated messageId (a retry whose answer was lost) changes nothing."""
        with self.lock:
            key = posting.get("messageId")
            if key is not None and key in self.seen:
                log(f"{self.pob}: {event} messageId {key} again: already processed")
                return
            handler = self.handlers().get(event)
            # The clock first: ClockUnavailable leaves the books as they were (no number drawn, nothing cancelled).
            self.moment.at = self.read_clock()
            try:
                if handler is None:
                    log(f"{self.pob}: posting of unknown event {event!r} ignored")
                else:
                    handler(posting)
            finally:
                self.moment.at = None
            if key is not None:
                self.seen.append(key)
            self.save()

    def handlers(self) -> dict:
        return {"OUTWARD_ORDER_CREATE": self.order_create, "OUTWARD_ORDER_CANCEL": self.order_cancel,
                "OUTWARD_ORDER_COMPLETE": self.order_complete, "RETURN_ORDER": self.return_order}

    def order_create(self, p: dict) -> None:
        """E-invoice the final quantities of the B2B order (seed 002), once per order. A newer CREATE for an
        order whose e-invoice AJIO has not accepted yet (its quantities changed: supersedesMessageId) replaces
        that e-invoice: it is cancelled here and a new one, with a new number, goes out instead."""
        order = p["orderCode"]
        held = self.invoices.get(order)
        if held is not None and (held.get("accepted") or held["status"] == "CANCELLED" or not p.get("supersedesMessageId")):
            log(f"{self.pob}: {order} is e-invoiced already ({held['invoiceNumber']})")
            return
        if held is not None:
            held["status"] = "CANCELLED"
            self.outbox = [o for o in self.outbox if not (o["kind"] == "invoice" and o["key"] == order)]
            log(f"{self.pob}: {order} changed before AJIO took e-invoice {held['invoiceNumber']}: cancelled, "
                f"invoicing messageId {p.get('messageId')} instead")
        lines = [{"channelSkuCode": i["channelSkuCode"], "quantity": i["quantity"]}
                 for i in p["orderItems"] if i["quantity"] > 0]
        if not lines:
            return
        number = self.number("EI")
        irn = self.irn(number)
        invoice = {"invoiceNumber": number, "invoiceDate": self.zoned_now(),
                   "forwardPurchaseOrder": p["forwardPurchaseOrder"], "isPartialInvoice": False,
                   "invoiceLineEntries": lines, "qrCode": base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode(),
                   "irnNumber": irn, "invoicePdf": base64.b64encode(PDF).decode()}
        self.invoices[order] = {**{k: invoice[k] for k in ("invoiceNumber", "irnNumber", "forwardPurchaseOrder")},
                                "lines": lines, "status": "ACTIVE"}
        self.enqueue("invoice", order, invoice)
        log(f"{self.pob}: e-invoice {number} for {order} ({sum(l['quantity'] for l in lines)} unit(s))")

    def order_cancel(self, p: dict) -> None:
        """The whole order was cancelled after the e-invoice (seed 004): cancel the e-invoice (IRN)."""
        order = p["orderCode"]
        inv = self.invoices.get(order)
        if inv is None:
            log(f"{self.pob}: cancellation of {order}, which has no e-invoice here")
            return
        inv["status"] = "CANCELLED"
        self.outbox = [o for o in self.outbox if not (o["kind"] == "invoice" and o["key"] == order)]
        log(f"{self.pob}: e-invoice {inv['invoiceNumber']} of {order} cancelled")

    def order_complete(self, p: dict) -> None:
        """The order left the warehouse (seed 004): units cancelled after the e-invoice need a return order."""
        cancelled = [i for i in p["orderItems"] if i.get("cancelledAfterInvoiceQuantity", 0) > 0]
        if cancelled and p["orderCode"] in self.invoices:
            self.return_orders.append({"orderCode": p["orderCode"], "items": cancelled})
            log(f"{self.pob}: return order raised for {p['orderCode']} (cancelled after e-invoicing)")

    def return_order(self, p: dict) -> None:
        """After the warehouse processed a return: in the credit-note model, a credit note (seed 002) when this ERP
        e-invoices (model 1); in model 2 RMS e-invoices and credits ("Credit note via RMS"): the posting is booked,
        nothing is posted back."""
        ret = p["returnOrderCode"]
        if self.env.get("AJIO_ERP_RETURN_MODEL", "credit_note") != "credit_note" or ret in self.credit_notes:
            return
        if self.env.get("AJIO_ERP_EINVOICE_MODEL", "erp") != "erp":
            log(f"{self.pob}: return {ret} booked; RMS posts its credit note (model 2)")
            return
        number = self.number("CN")
        irn = self.irn(number)
        note = {"creditNoteNumber": number, "returnOrderId": ret, "ackNumber": number, "ackDate": self.zoned_now(),
                "irnNumber": irn, "signedQrCode": base64.urlsafe_b64encode(f"{number}|{irn}".encode()).decode(),
                "signedCreditNote": base64.b64encode(PDF).decode()}
        self.credit_notes[ret] = {"creditNoteNumber": number, "irnNumber": irn}
        self.enqueue("credit_note", ret, note)
        log(f"{self.pob}: credit note {number} for return {ret}")

    # -- postings out (the outbox) -----------------------------------------------------------
    @staticmethod
    def outbox_now() -> float:
        """The outbox's clock: wall-clock seconds, because a posting's `due` is saved with the outbox and read
        back after a restart. A monotonic clock starts again at a host's boot: a due time kept from before a
        reboot would hold the posting back for about the last boot's uptime."""
        return time.time()

    def enqueue(self, kind: str, key: str, body: dict) -> None:
        due = self.outbox_now() + self.first_try_after if self.first_try_after else 0.0
        self.outbox.append({"kind": kind, "key": key, "body": body, "attempts": 0, "due": due})

    def due(self) -> list[dict]:
        """What the next flush sends, in order: every posting whose time has come, each on its own (one AJIO
        keeps refusing holds back no other: seed 002 retries "that particular call")."""
        now = self.outbox_now()
        return [o for o in self.outbox if o["due"] <= now and not self.parked(o)]

    def parked(self, item: dict) -> bool:
        """A posting given up on: marked so by a variant, or past a cap on tries (the reference has none: seed 002
        retries until 200)."""
        return bool(item.get("parked")) or (self.max_attempts is not None and item["attempts"] >= self.max_attempts)

    def flush(self) -> None:
        """Send what is due; a non-200 answer or no answer is retried later (seed 002), with backoff, until 200."""
        with self.lock:
            due = self.due()
            for item in due:
                if time.monotonic() < self.quiet_until:
                    break  # AJIO asked this client to wait (Retry-After): nothing goes out before then
                status, answer, retry_after = self.send(item)
                item["attempts"] += 1
                self.quiet_until = time.monotonic() + retry_after
                if status == 200:
                    self.outbox.remove(item)
                    books = self.invoices if item["kind"] == "invoice" else self.credit_notes
                    books.get(item["key"], {})["accepted"] = True
                    log(f"{self.pob}: {item['kind']} {item['key']} accepted by AJIO")
                elif self.parked(item):
                    log(f"{self.pob}: {item['kind']} {item['key']} refused {item['attempts']} times, parked: {answer}")
                else:
                    # Backoff, and never before an announced Retry-After (a throttled call sent early counts again).
                    wait = max(min(BACKOFF_CAP_S, self.backoff * 2 ** (item["attempts"] - 1)), retry_after)
                    item["due"] = self.outbox_now() + wait
                    log(f"{self.pob}: {item['kind']} {item['key']} answered {status}, retry in {wait:.2f} s: "
                        f"{answer[:200]}")
            if due:
                self.save()

    def credentials(self) -> dict[str, str]:
        """The ERP layer's auth headers (seed 002): the POB id and its API password."""
        return {"authUsername": self.pob, "authPassword": self.env["AJIO_ERP_PASSWORD"]}

    def send(self, item: dict) -> tuple[int | None, str, float]:
        """One try: (status or None, the answer's text, the Retry-After it announced in seconds, else 0)."""
        req = urllib.request.Request(self.env["AJIO_ERP_BASE_URL"] + PATHS[item["kind"]],
                                     data=json.dumps(item["body"]).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **self.credentials()})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace"), 0.0
        except urllib.error.HTTPError as exc:
            try:
                retry_after = float(exc.headers.get("Retry-After") or 0) + 0.05
            except ValueError:
                retry_after = 0.0
            return exc.code, exc.read().decode("utf-8", "replace"), retry_after
        except self.no_answer as exc:
            return None, f"no answer: {exc!r}", 0.0

    # -- RSI fetching (seed 002 "RSI Fetching": the ERP's side of the RSI return model) -----------------
    def rsi_model(self) -> bool:
        """Whether this seller is in the RSI return model: its environment (the harness's AJIO_ERP_RETURN_MODEL,
        or the SETUP posting of an --erp-url run) says so."""
        return self.env.get("AJIO_ERP_RETURN_MODEL") == "rsi"

    def pull_rsi(self) -> None:
        """One round, at most every RSI_EVERY_S real seconds: fetch every RSI from the saved cursor to the clock
        as the previous round read it (a second old: AJIO's RSI of an instant are all written by then), in
        pieces of at most 2 days; the cursor moves past a piece only once its RSI are booked and saved. A piece
        that fails ends the round: the next round fetches it again. Nothing is fetched while the clock stands.
        Each round starts RSI_OVERLAP_S before the cursor (an RSI on the overlap comes twice and is booked once): a
        list lagging behind the clock answered a range without an RSI AJIO had issued, and the cursor moved past it
        (found by vms/erp/rsi_page_lagging: the reference read from its cursor exactly and never fetched that RSI)."""
        if not self.rsi_model() or time.monotonic() < max(self.rsi_next, self.quiet_until):
            return  # (a Retry-After AJIO announced holds the fetch too: its throttling counts per seller)
        self.rsi_next = time.monotonic() + RSI_EVERY_S
        try:
            read = int(self.now())
        except ClockUnavailable as exc:
            log(f"{self.pob}: no RSI round: {exc}")
            return
        upto, self.rsi_clock = self.rsi_clock, read
        if upto is None or (self.rsi_cursor is not None and upto <= self.rsi_cursor):
            return  # nothing new since the cursor: the clock stands
        self.rsi_round(self.rsi_start(upto), upto)

    def rsi_start(self, upto: int) -> int:
        """Where a round starts: an hour before the cursor; before the first piece was read, where the first round
        with time to fetch started (its look-back), saved then and kept however long the first fetches fail. The
        reference until hunt 21 took the clock minus the look-back at every round without a cursor: an RSI list that
        refused the ERP from its first fetch while the clock moved over 2 days slid that start past RSI AJIO had
        issued since the ERP started (found by vms/erp/rsi_list_down_from_first_fetch)."""
        if self.rsi_cursor is not None:
            return self.rsi_cursor - RSI_OVERLAP_S
        if self.rsi_from is None:
            with self.lock:
                self.rsi_from = upto - RSI_LOOK_BACK_S
                self.save()
        return self.rsi_from

    def rsi_round(self, start: int, upto: int) -> None:
        """The round's fetches, piece by piece: the cursor moves past a piece once its RSI are booked and saved; a
        piece that fails ends the round."""
        for piece_from, piece_to in self.rsi_pieces(start, upto):
            found = self.fetch_rsi(piece_from, piece_to)
            if found is None:
                return
            with self.lock:
                self.book_rsi(found)
                self.rsi_cursor = piece_to
                self.save()

    @staticmethod
    def rsi_pieces(start: int, end: int) -> list[tuple[int, int]]:
        """[start, end] cut in ranges of at most 2 days (seed 002), each starting where the last ended (AJIO's
        range takes both ends: an RSI on a seam comes twice and is booked once); none when end <= start."""
        pieces = []
        while start < end:
            pieces.append((start, min(start + RSI_MAX_RANGE_S, end)))
            start = pieces[-1][1]
        return pieces

    def fetch_rsi(self, start: int, end: int) -> list[dict] | None:
        """GET /ajio-vms/rsi for [start, end] (zoned date-times, IST); the RSI, or None when it failed."""
        query = urllib.parse.urlencode({
            "rsiDateFrom": datetime.fromtimestamp(start, IST).isoformat(timespec="milliseconds"),
            "rsiDateTo": datetime.fromtimestamp(end, IST).isoformat(timespec="milliseconds")})
        req = urllib.request.Request(f"{self.env['AJIO_ERP_BASE_URL']}/rsi?{query}", headers=self.credentials())
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return list(json.loads(r.read())["returnSalesInvoices"])
        except urllib.error.HTTPError as exc:
            try:
                if exc.headers.get("Retry-After"):  # no sooner than announced (as the outbox: a margin of 50 ms)
                    self.quiet_until = max(self.quiet_until, time.monotonic() + float(exc.headers["Retry-After"]) + 0.05)
            except ValueError:
                pass
            log(f"{self.pob}: RSI fetch {query} answered {exc.code}, again in the next round")
        except (*self.no_answer, ValueError, KeyError, TypeError) as exc:
            log(f"{self.pob}: RSI fetch {query} failed ({exc!r}), again in the next round")
        return None

    def book_rsi(self, found: list[dict]) -> None:
        """Seed 002 RSI flow: the ERP creates the Inward PO and the GRN of each RSI; an RSI fetched twice (a seam,
        a retried piece) is booked once."""
        for doc in found:
            number = doc.get("rsiNumber")
            if not number or number in self.rsi:
                continue
            lines = doc.get("rsiLines") or []
            self.rsi[number] = {"createdAt": doc.get("createdAt"), "billingNo": doc.get("billingNo"),
                                "returnOrderCodes": sorted({l.get("returnOrderCode") for l in lines} - {None}),
                                "units": sum(l.get("quantity") or 0 for l in lines)}
            log(f"{self.pob}: RSI {number} booked (inward PO and GRN for {self.rsi[number]['units']} unit(s) of "
                f"{', '.join(self.rsi[number]['returnOrderCodes'])})")


class Erp:
    def __init__(self, state_dir: Path, tenant_class: type = Tenant) -> None:
        self.state_dir = state_dir
        self.tenant_class = tenant_class
        self.tenants: dict[str, Tenant] = {}
        self.default: Tenant | None = None
        self.stop = threading.Event()

    def setup(self, env: dict[str, str]) -> Tenant:
        tenant = self.tenant_class(env, self.state_dir)
        self.tenants[tenant.pob] = tenant
        return tenant

    def tenant_for(self, posting: dict) -> Tenant | None:
        # partnerLocationCode is AJIO's code of the location: the POB id (channelName is the channel code
        # the ERP books AJIO under, the same for every store of a seller that keeps the default).
        return self.tenants.get(str(posting.get("partnerLocationCode"))) or self.default

    def run_outbox(self) -> None:
        while not self.stop.wait(0.05):
            for tenant in list(self.tenants.values()):
                tenant.flush()
                tenant.pull_rsi()


def handler_for(erp: Erp):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            except ValueError:
                return self.answer(400, {"status": "FAILED", "error_message": "the body is not JSON"})
            if self.headers.get("X-Ajio-Sim-Event") == "SETUP":  # ajio-sim run --erp-url: a seller to serve
                erp.setup({k: str(v) for k, v in body.items()})
                return self.answer(200, {"status": "SUCCESS"})
            tenant = erp.tenant_for(body)
            if tenant is None:
                where = body.get("partnerLocationCode")
                return self.answer(404, {"status": "FAILED", "error_message": f"no seller {where}"})
            # Seed 004 postings name their event; the return order posting (seed 002) has none.
            event = body.get("eventType") or ("RETURN_ORDER" if "returnOrderCode" in body else "")
            try:
                tenant.receive(event, body)
            except Refused as exc:
                return self.answer(400, {"status": "FAILED", "error_message": str(exc)})
            except ClockUnavailable as exc:  # nothing changed: the integration layer retries the posting later
                log(f"{tenant.pob}: posting not processed: {exc}")
                return self.answer(503, {"status": "FAILED", "error_message": f"ERP cannot date documents: {exc}"})
            tenant.flush()  # the first try at once: AJIO usually has the invoice before this answer
            self.answer(200, {"status": "SUCCESS", "messageId": body.get("messageId")})

        def answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def main(argv: list[str] | None = None, tenant_class: type = Tenant) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("AJIO_ERP_PORT", "0") or 0))
    parser.add_argument("--state-dir", default=os.environ.get("AJIO_ERP_STATE_DIR", "erp-state"))
    parser.add_argument("--first-try-after", type=float, default=0.0, metavar="SECONDS",
                        help="post each e-invoice and credit note this long after answering the posting that made "
                             "it (default 0: before answering); an ERP that works asynchronously, which every "
                             "connector-side VMS scenario must allow")
    args = parser.parse_args(argv)
    if args.first_try_after < 0:
        parser.error("--first-try-after: a number of seconds >= 0")
    if args.first_try_after:
        tenant_class = type(tenant_class.__name__, (tenant_class,), {"first_try_after": args.first_try_after})
    state_dir = Path(args.state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    erp = Erp(state_dir, tenant_class)
    if os.environ.get("AJIO_ERP_USERNAME"):  # started by the harness for one seller
        erp.default = erp.setup({k: v for k, v in os.environ.items() if k.startswith(("AJIO_ERP_", "AJIO_CLOCK"))})
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(erp))
    log(f"reference ERP listening on http://127.0.0.1:{server.server_port}/postings")
    worker = threading.Thread(target=erp.run_outbox, daemon=True)
    worker.start()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        # The loop checks for shutdown every poll_interval: at the default 0.5 s, every stop of the ERP (the
        # harness stops it at each scenario's end) waited for it.
        server.serve_forever(poll_interval=0.05)
    finally:
        erp.stop.set()
        worker.join(timeout=5)
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
