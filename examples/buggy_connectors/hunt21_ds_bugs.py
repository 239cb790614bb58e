"""The twenty-first blind hunt, Dropship: six bugs a connector team ships under time pressure.

Each is the reference connector (or its client) with one method changed; the rule each breaks is beside it in
buggy.py's BUGS. Designed blind (from the rulebook and the reference, before reading the scenario catalogue).
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import Connector, item_refused, log


class CutWriteAnswerClient(AjioClient):
    """A 2xx whose body is cut or malformed is retried for a read, but for a write (POST/PUT) it is given up at once:
    the team feared that repeating a write AJIO may have applied would apply it twice (AJIO answers an identical
    repeat with the first result, so the retry was safe). API-RETRY-TRANSIENT: a cut body is a transient failure."""

    def may_retry(self, method: str, failure, attempt: int, limit: int) -> bool:
        if isinstance(failure, ValueError) and method != "GET":  # the bug: a write's unreadable answer ends the call
            return False
        return super().may_retry(method, failure, attempt, limit)


class CutWriteNotRetried(Connector):
    """API-RETRY-TRANSIENT: a write whose 200 came back cut is given up for this sync (see CutWriteAnswerClient)."""
    client_class = CutWriteAnswerClient


class CreditNoteBeforePutaway(Connector):
    """DS-CREDIT-NOTE-AFTER-PUTAWAY: the credit-note cron asks AJIO for the credit note of every return it holds that
    is not credited yet, also those still on their way back (not put away): AJIO's "not yet" (or refusal) for
    those is skipped quietly, and they are asked again at every sync until credited."""

    def returns_awaiting_credit_note(self):
        return [(return_id, mine) for return_id, mine in self.state.returns.items()
                if mine["stage"] in ("seen", "put_away")]

    def credit_note_failed(self, return_id: str, mine: dict, exc: AjioError) -> None:
        if mine["stage"] == "seen" and item_refused(exc):
            log(f"credit note of {return_id}: {exc}; asking again next sync")
            return
        super().credit_note_failed(return_id, mine, exc)


class StockLostIgnoresCustomerCancel(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: before invoicing, the units an order still needs are taken as what was ordered less
    what the seller itself cancelled (its own ledger), forgetting the units the customer cancelled since: an order
    whose customer dropped a unit, in a warehouse that can still ship the rest, is seller-cancelled whole."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        out = super().read_orders(order_ids)
        self.__dict__.setdefault("last_read", {}).update(out)
        return out

    def stock_lost(self, mine: dict, order_id: str | None = None) -> bool:
        order = self.__dict__.get("last_read", {}).get(order_id)
        if order is None:
            return super().stock_lost(mine, order_id)
        needs = {}
        for line in order["order_lines"]:
            sku = line["item_details"]["item_code"]
            units = (line.get("ordered_quantity", line["quantity"]) - (line.get("seller_cancelled_qty") or 0)
                     - (line.get("seller_short_picked_qty") or 0))
            needs[line["order_item_id"]] = (sku, units)
        lines = [{"order_item_id": oid, "sku": sku, "quantity": units} for oid, (sku, units) in needs.items()]
        return super().stock_lost({**mine, "lines": lines}, order_id)


class ReturnsTwoDayWindow(Connector):
    """DS-RETURN-SYNC: the returns list is asked for a window of two days from where the last read left off (a habit
    carried over from VMS's RSI, whose range AJIO caps at two days): a return dated later than that is not read
    while an older one stays open, nor at all once the returns seen are closed and the next comes days later."""

    WINDOW_S = 2 * 86400

    def returns_window(self) -> dict:
        window = super().returns_window()
        if "fromDate" in window:
            window["toDate"] = window["fromDate"] + self.WINDOW_S
        return window


class DocumentsOwnSession(Connector):
    """AUTH-LOGIN-SPARINGLY: PDFs are downloaded by the connector's document module through a client of its own,
    which logs in for itself: every run that fetches a document logs in twice (the sync's token would do)."""

    def __init__(self, env: dict[str, str], assume_stock: int | None = None) -> None:
        super().__init__(env, assume_stock)
        self.documents_client = self.client_class(env["AJIO_BASE_URL"], env["AJIO_USERNAME"], env["AJIO_PASSWORD"],
                                                  env.get("AJIO_MODEL", "ds"))

    def keep_document(self, url: str, kind: str) -> bytes:
        pdf = self.documents_client.document(url)
        self.noted += 1
        return pdf


class ManifestAllOrNothing(Connector):
    """API-PER-LINE-FAILURES: a manifest AJIO answered with any failedDispatchItems is taken as failed whole: none of
    its shipments is recorded manifested, no PDF is fetched, and the whole chunk is sent again at the next sync."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        failed = answer.get("failedDispatchItems") or []
        if failed:
            log(f"manifest {answer.get('manifest_id')} failed for {len(failed)} item(s): all sent again next sync")
            return
        super().manifest_answered(chunk, answer)
