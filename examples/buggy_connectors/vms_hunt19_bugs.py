"""VMS-layer bugs of the nineteenth blind hunt: each the reference VMS layer with one planted bug, as an integrator's
team ships it under time pressure (registered in buggy.py as vms_h19_*).

- PoPolledInSync (VMS-PO-AFTER-ACK, doing too much): a B2B PO that is not there yet (404 NOT_YET) is asked for again
  at once, a few times in the same sync, "in case it just arrived", instead of waiting for the next sync.
- DaemonLogsInEverySync (AUTH-LOGIN-SPARINGLY, doing too much): a long-running layer drops its token at the start of
  every sync and logs in again, though the token is still valid.
- NoRmsCreditNoteForFailedQc (VMS-CREDIT-NOTE-MODEL, doing too little): model 2's credit note via RMS is skipped for a
  return whose units all failed QC, on seed 004's "Any Qc bad or missing items have to be handled offline with Ajio".
"""
from __future__ import annotations

import time

from ajio_client import AjioClient, AjioError
from connector import log
from vms_connector import VmsConnector


class _PoPollingClient(AjioClient):
    """The client as the bug's team wrote it: a PO read answered NOT_YET is asked again, up to three more times."""
    PO_POLLS = 3

    def get(self, path: str, **params):
        for poll in range(self.PO_POLLS + 1):
            try:
                return super().get(path, **params)
            except AjioError as exc:
                if not path.endswith("/po") or exc.code != "NOT_YET" or poll == self.PO_POLLS:
                    raise
                time.sleep(0.2)


class PoPolledInSync(VmsConnector):
    """Asks a lagging B2B PO four times per sync (AJIO's NOT_YET and its Retry-After say: later)."""
    client_class = _PoPollingClient


class DaemonLogsInEverySync(VmsConnector):
    """A daemon that logs in at the start of every sync (its token, still valid, thrown away)."""

    def sync(self) -> None:
        self.client.token = None
        super().sync()


class NoRmsCreditNoteForFailedQc(VmsConnector):
    """Model 2, credit-note model: no credit note via RMS for a return whose QC failed (bad or missing units are
    "handled offline"), though the return was processed and AJIO waits for its credit note."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        if (self.return_model == "credit_note" and self.einvoice_model == "rms"
                and self.warehouse.qc_code(ret["order_id"]) != "GOOD"):
            mine["stage"] = "done"
            log(f"return {ret['return_order_id']}: QC failed, settled offline, no credit note")
            return
        super().credit_note(ret, mine)
