"""ERP bugs of the nineteenth blind hunt: each the reference ERP's Tenant with one planted bug (registered in
buggy_erp.py as erp_h19_*).

- NoCreditNoteWhenQcFailed (ERP-CREDIT-NOTE-POSTING, doing too little): a return order posting whose every unit
  failed QC gets no credit note, on seed 004's "Any Qc bad or missing items have to be handled offline with Ajio".
- RetryAfterPerPosting (API-THROTTLE-RETRY-AFTER): a 429's Retry-After holds only the posting it answered; the
  outbox's other postings go out at once, though AJIO throttles per seller.
- KicksOutboxOnPosting (API-RETRY-TRANSIENT, doing too much): every posting that comes in makes the outbox send all
  it holds at once, failing postings too, whatever their backoff.
"""
from __future__ import annotations

from erp import BACKOFF_CAP_S, BACKOFF_S, Tenant, log


class NoCreditNoteWhenQcFailed(Tenant):
    """Books a return whose units all failed QC without a credit note (settled offline, it thinks)."""

    def return_order(self, p: dict) -> None:
        items = p.get("items") or []
        if items and all(i.get("qcStatus") != "PASS" for i in items):
            log(f"{self.pob}: return {p['returnOrderCode']} failed QC: settled offline, no credit note")
            return
        super().return_order(p)


class RetryAfterPerPosting(Tenant):
    """The outbox as the reference's, but a Retry-After delays only the posting that was throttled."""

    def flush(self) -> None:
        with self.lock:
            due = self.due()
            for item in due:
                status, answer, retry_after = self.send(item)
                item["attempts"] += 1
                if status == 200:
                    self.outbox.remove(item)
                    books = self.invoices if item["kind"] == "invoice" else self.credit_notes
                    books.get(item["key"], {})["accepted"] = True
                    log(f"{self.pob}: {item['kind']} {item['key']} accepted by AJIO")
                else:
                    wait = max(min(BACKOFF_CAP_S, BACKOFF_S * 2 ** (item["attempts"] - 1)), retry_after)
                    item["due"] = self.outbox_now() + wait
                    log(f"{self.pob}: {item['kind']} {item['key']} answered {status}, retry in {wait:.2f} s")
            if due:
                self.save()


class KicksOutboxOnPosting(Tenant):
    """New work kicks the queue: after each posting every outbox item is due at once (its backoff forgotten)."""

    def receive(self, event: str, posting: dict) -> None:
        super().receive(event, posting)
        with self.lock:
            for item in self.outbox:
                item["due"] = 0.0
