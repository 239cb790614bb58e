"""The thirty-first blind VMS hunt, layer side: three bugs of a VMS integration layer, designed from the rulebook and
the reference alone (before reading a scenario). Each is a small subclass of the reference's VmsConnector; the
rule it breaks is named in buggy.py's BUGS.
"""
from __future__ import annotations

from ajio_client import AjioError, AjioUnreachable
from connector import log
from vms_connector import VmsConnector


class QcUnlistedCodePasses(VmsConnector):
    """QC outcomes go through the team's table of the warehouse's FAIL codes (BAD, MISSING); whatever is not in it
    is taken for sellable and shared as PASS. The table was written when the WMS sent GOOD/BAD/MISSING only; since
    its upgrade it names AJIO's own reason for a failed unit (SIZE_MISMATCH, TAG_MISSING, ...), and those units
    reach AJIO as PASS: a failed return is reported good and the customer refunded for a unit that failed QC
    (VMS-QC-PASS-FAIL: a FAIL carries its reason)."""

    FAIL_CODES = {"BAD": "USED_PRODUCT", "MISSING": "PRODUCT_MISSING"}

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        failed = code in self.FAIL_CODES
        items = []
        for item in ret["items"]:
            if item["quantity"] <= 0:
                continue
            entry = {"itemCode": item["itemCode"], "quantity": item["quantity"], "qcStatus": "FAIL" if failed else "PASS"}
            if failed:
                entry["qcReason"] = self.FAIL_CODES[code]
            items.append(entry)
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine["stage"] = "checked"
        log(f"QC of {ret['return_order_id']} shared: {code}")


class ReinvoicedOnce(VmsConnector):
    """Model 2: when AJIO cancels an RMS invoice after a customer's late partial cancellation, the rest is invoiced
    anew, but only once per order: the team feared an order bouncing between INVOICED and ACKNOWLEDGED for ever and
    left a second bounce "for a person to look at". A second late partial cancellation (the customer drops one more
    unit while the parcel waits for its label) leaves the order ACKNOWLEDGED at AJIO without an invoice: it is never
    packed nor handed over (VMS-INVOICE-IMMUTABLE: RMS posts a new invoice for what is left, every time)."""

    def follow_status(self, order_id: str, mine: dict, status: str) -> None:
        if status == "ACKNOWLEDGED" and mine["stage"] == "invoiced":
            if mine.get("reinvoiced"):
                log(f"{order_id}: invoice cancelled by AJIO again; already re-invoiced once, left for a person")
                return
            mine["reinvoiced"] = True
        super().follow_status(order_id, mine, status)


def split_after_failure(state, exc: AjioError) -> list[str]:
    """The manifest batch to hand over again one by one: the one in flight when `exc` came, if `exc` is a failure in
    transit (5xx, no answer) and the batch held more than one; else `exc` is raised again."""
    chunk = list(state.meta.get("manifest_in_flight") or [])
    transient = isinstance(exc, AjioUnreachable) or (exc.status or 0) >= 500
    if not transient or len(chunk) < 2:
        raise exc
    return chunk


class ManifestSplitOnFailure(VmsConnector):
    """A manifest call that failed past the client's retries (5xx, no answer) is tried again at once order by order in
    the same sync: the team had seen one bad shipment fail a whole handover and split the batch "so one order cannot
    block the truck". Against an AJIO that is down, every order of the batch then gets its own four tries: a
    manifest of ten orders becomes forty-four calls in one sync (API-RETRY-TRANSIENT: bounded, never hammered)."""

    def manifest(self) -> None:
        try:
            super().manifest()
        except AjioError as exc:
            chunk = split_after_failure(self.state, exc)
            log(f"manifest of {len(chunk)} orders failed ({exc}); handing them over one by one")
            for order_id in chunk:
                self.state.meta["manifest_in_flight"] = [order_id]
                self.noted += 1
                answer = self.client.post("/manifests", {"orderIds": [order_id]})
                self.state.meta.pop("manifest_in_flight", None)
                if order_id in {f["orderId"] for f in answer.get("failed", [])}:
                    continue
                self.state.orders[order_id]["stage"] = "manifested"
                log(f"manifest {answer['manifest_id']}: {order_id}")
                if answer.get("manifestUrl"):
                    self.owe_documents(self.state.orders[order_id], (answer["manifestUrl"], "manifest"))
