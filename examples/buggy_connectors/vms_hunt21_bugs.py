"""The twenty-first blind VMS hunt: three bugs of the VMS integration layer (seed 002), each the reference with one
method changed, as an integrator's team under time pressure writes it.

- ManifestAllOrNothing (API-PER-LINE-FAILURES): a manifest answered 200 with per-order failures is taken as a
  failed manifest: no order of it is recorded as handed over, and all of them go out again at the next sync.
- InvoicesZeroLines (VMS-INVOICE-FINAL-QUANTITY): model 2's RMS e-invoice carries every order line as AJIO lists it,
  a line whose open quantity is 0 (cancelled whole before the invoice: short in stock, or the customer) included.
- ReloginOn429 (AUTH-LOGIN-SPARINGLY): a throttled call (429) is taken as a session problem: the token is dropped
  and the retry, after the Retry-After, logs in first.
"""
from __future__ import annotations

from ajio_client import AjioClient
from connector import log
from vms_connector import VmsConnector


class ManifestAllOrNothing(VmsConnector):
    """Create Manifest read as all or nothing: any entry in `failed` means "the manifest failed", so the orders AJIO
    did hand over stay packed here and are sent again (with the failed ones) at the next sync."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        if answer.get("failed"):  # the bug: a 200 with failures is a failed manifest
            log(f"manifest {answer.get('manifest_id')} failed for {len(answer['failed'])} order(s): "
                "the whole manifest is sent again at the next sync")
            return
        super().manifest_answered(chunk, answer)


class InvoicesZeroLines(VmsConnector):
    """The RMS e-invoice maps every order line to an invoice line (open quantity less what cannot be picked), a line
    at 0 included; only an order with nothing at all left is cancelled."""

    def invoice_order(self, order_id: str, mine: dict) -> None:
        short = {s["channelSkuCode"]: s["quantity"] for s in self.not_picked(order_id, mine)}
        lines = [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"] - short.get(l["channelSkuCode"], 0)}
                 for l in mine["lines"]]  # the bug: no `if quantity > 0`
        if not any(line["quantity"] > 0 for line in lines):
            self.cancel(order_id, mine, None, "nothing left in stock to invoice")
            return
        number = mine.get("invoice_number") or self.next_number("RMS")
        mine["invoice_number"] = number
        body = {"invoiceNumber": number, "invoiceDate": self.document_date(), "forwardPurchaseOrder": mine["po"],
                "isPartialInvoice": self.is_partial(mine, lines, short), "invoiceLineEntries": lines,
                **self.einvoice(number)}
        answer = self.client.post(f"/orders/{order_id}/b2bInvoice", body)
        invoiced = {i["channelSkuCode"]: i["quantity"] for i in answer["invoiced"]}
        for line in mine["lines"]:
            line["quantity"] = invoiced.get(line["channelSkuCode"], 0)
        mine.update(stage="invoiced", status=answer["order_status"])
        log(f"invoiced {order_id}: {number}")


class ReloginOn429Client(AjioClient):
    def retry_wait(self, response, attempt: int) -> float | None:
        if response.status_code == 429:
            self.token = None  # the bug: "too many requests" taken for a stale session; the retry logs in again
        return super().retry_wait(response, attempt)


class ReloginOn429(VmsConnector):
    """A 429 drops the token: every throttled call costs a login (and the login is throttled too)."""
    client_class = ReloginOn429Client
