"""The twenty-first blind VMS hunt (the ERP side, erp_h21x_): six bugs of a seller's ERP, each a small subclass of
the reference Tenant.

Designed from the rulebook alone (contracts/rules), before reading the scenario catalogue:

- NoRsiInModel2 (VMS-ERP-RSI-FETCH): the ERP fetches AJIO's RSI only when it e-invoices itself (model 1); a seller
  whose B2B invoices come from RMS (model 2) in the RSI return model gets no fetch at all ("in model 2 RMS does
  everything"). Revealed by any RSI issued to a model-2 RSI seller.
- FollowsFirstSupersedeOnly (ERP-ORDER-FINAL-QUANTITY): the ERP remembers, per order, the messageId of the CREATE
  that opened it and follows a superseding CREATE only when its supersedesMessageId names that one: the first
  change before the e-invoice is followed, the second (naming the first replacement) is taken for a stray and
  dropped, and the ERP keeps invoicing the middle quantity. Revealed by two changes while AJIO has not taken the
  e-invoice (an AJIO outage, two late partial cancellations).
- InvoiceSeriesByCalendarYear (GST-INVOICE-NUMBER-UNIQUE): the e-invoice series restarts on 1 January (a calendar
  year, the number without the year) instead of 1 April: the numbers of April-December come again in January of the
  same financial year. Revealed by invoices on both sides of 1 January.
- RetryAfterCapped (API-THROTTLE-RETRY-AFTER): the outbox clamps an announced Retry-After to its own longest backoff
  (4 s), "so one bad header cannot stall it": a throttled posting told to wait longer is sent again early. Revealed
  by a Retry-After over 4 seconds on an e-invoice or credit-note posting.
- RsiRetriesAtOnce (API-RETRY-TRANSIENT): a failed RSI fetch is tried twice more at once, with no pause (a for loop
  of three tries), before the round ends: AJIO is hammered with the same failing call. Revealed by a 5xx on the
  RSI list with a backoff.
- RsiFromFyStart (VMS-ERP-RSI-FETCH): the ERP never fetches RSI from before the current financial year ("last
  year's books are closed"): a round that starts before 1 April 00:00 IST is cut there, so an RSI AJIO issued on
  31 March that the ERP had not fetched by midnight is never fetched. Revealed by a clock crossing 1 April with
  an RSI issued shortly before.

Found in phase 2 (the reference's old behaviour, fixed in examples/reference_erp/erp.py `Tenant.rsi_start`):

- RsiLookBackSlides (VMS-ERP-RSI-FETCH): before its first range is read (no cursor yet) every round starts at the
  clock minus the look-back, recomputed: an RSI list refusing the ERP from its first fetch while the clock moves
  over 2 days slides the start past RSI AJIO issued since the ERP started. vms/erp/rsi_list_down_from_first_fetch.
"""
from __future__ import annotations

from datetime import datetime

from erp import BACKOFF_CAP_S, IST, RSI_LOOK_BACK_S, RSI_OVERLAP_S, Tenant, log


class NoRsiInModel2(Tenant):
    """RSI fetching is tied to the ERP's own e-invoicing: a model-2 (RMS) seller in the RSI model is never fetched
    for."""

    def rsi_model(self) -> bool:
        return super().rsi_model() and self.env.get("AJIO_ERP_EINVOICE_MODEL", "erp") == "erp"


class FollowsFirstSupersedeOnly(Tenant):
    """A superseding CREATE is followed only when it names the CREATE that opened the order (kept per order as
    `openedBy`, never updated by a replacement)."""

    def order_create(self, p: dict) -> None:
        order = p["orderCode"]
        held = self.invoices.get(order)
        supersedes = p.get("supersedesMessageId")
        if held is not None and supersedes and held.get("openedBy") not in (None, supersedes):
            log(f"{self.pob}: {order}: CREATE {p.get('messageId')} supersedes {supersedes}, not the posting that "
                f"opened the order ({held.get('openedBy')}): ignored")
            return
        opened_by = held.get("openedBy") if held is not None else p.get("messageId")
        super().order_create(p)
        record = self.invoices.get(order)
        if record is not None:
            record["openedBy"] = opened_by


class InvoiceSeriesByCalendarYear(Tenant):
    """The e-invoice series is kept per calendar year (IST): it restarts at 00001 on 1 January."""

    def number(self, prefix: str) -> str:
        if prefix != "EI":
            return super().number(prefix)
        key = f"{prefix}@{datetime.fromtimestamp(int(self.now()), IST).year}"
        self.series[key] = self.series.get(key, 0) + 1
        return f"{prefix}{self.pob[-6:]}-{self.series[key]:05d}"


class RetryAfterCapped(Tenant):
    """An announced Retry-After is clamped to the outbox's longest backoff (BACKOFF_CAP_S)."""

    def send(self, item: dict):
        status, answer, retry_after = super().send(item)
        return status, answer, min(retry_after, BACKOFF_CAP_S)


class RsiRetriesAtOnce(Tenant):
    """A failed RSI fetch is tried three times in a row, with no pause, before the round gives up."""

    def fetch_rsi(self, start: int, end: int):
        for _ in range(3):
            found = super().fetch_rsi(start, end)
            if found is not None:
                return found
        return None


class RsiFromFyStart(Tenant):
    """A round never reaches back before the current financial year's first moment (1 April 00:00 IST)."""

    def rsi_round(self, start: int, upto: int) -> None:
        at = datetime.fromtimestamp(upto, IST)
        fy_start = int(datetime(at.year if at.month >= 4 else at.year - 1, 4, 1, tzinfo=IST).timestamp())
        super().rsi_round(max(start, fy_start), upto)


class RsiLookBackSlides(Tenant):
    """The reference's old behaviour: with no cursor yet, each round starts at its clock minus the look-back."""

    def rsi_start(self, upto: int) -> int:
        return self.rsi_cursor - RSI_OVERLAP_S if self.rsi_cursor is not None else upto - RSI_LOOK_BACK_S
