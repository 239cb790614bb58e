"""ERP variants of the eighteenth blind VMS hunt: the reference ERP's Tenant with ONE change each (an RSI fetch that
drops AJIO's Retry-After, a catch-up ended by an empty 2-day piece). buggy_erp.py lists them by name; each fails the
scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from erp import Tenant, log


class RsiIgnoresRetryAfter(Tenant):
    """API-RETRY-TRANSIENT: the RSI fetch is a job of its own schedule (a round a second while the clock moves) that
    never reads the Retry-After of a refused fetch: after a 503 announcing when to come back, the range is asked
    again at the next round, sooner than announced. (Its postings still wait out a Retry-After.)"""

    def fetch_rsi(self, start: int, end: int):
        quiet = self.quiet_until
        found = super().fetch_rsi(start, end)
        if found is None:
            self.quiet_until = quiet   # the bug: the fetch's Retry-After is dropped
        return found


class RsiSkipsAfterEmptyPiece(Tenant):
    """VMS-ERP-RSI-FETCH: catching up over more than 2 days (the ERP was off, the clock jumped), the first 2-day piece
    that answers no RSI ends the round and moves the cursor to the clock ("AJIO has nothing for those days"): the RSI
    of the later pieces of the gap are never fetched."""

    def rsi_round(self, start: int, upto: int) -> None:
        pieces = self.rsi_pieces(start, upto)
        for n, (piece_from, piece_to) in enumerate(pieces):
            found = self.fetch_rsi(piece_from, piece_to)
            if found is None:
                return
            with self.lock:
                self.book_rsi(found)
                self.rsi_cursor = piece_to
                if not found and n < len(pieces) - 1:
                    self.rsi_cursor = upto   # the bug: an empty piece is taken to mean the rest of the gap is empty
                    log(f"{self.pob}: no RSI from {piece_from}: nothing to catch up, cursor to {upto}")
                self.save()
            if self.rsi_cursor == upto:
                return
