"""The thirty-third blind VMS hunt, layer side: three bugs of a VMS integration layer, designed from the rulebook and
the reference alone (before reading a scenario). Each is a small subclass of the reference's VmsConnector; the
rule it breaks is named in buggy.py's BUGS.
"""
from __future__ import annotations

from connector import log
from vms_connector import VmsConnector


class ManifestChunksOverlap(VmsConnector):
    """The manifest chunks come from the team's generic pager, which steps by size - 1 so that a page read while the
    list moves never misses the record on its seam ("re-reading one record is harmless"). Used for writes, the order
    on each seam is sent on two manifests: with 250 packed orders the 250th goes on a first manifest of 250 and again,
    alone, on a second one; with 500 there are three manifests and two orders sent twice (API-CHANGE-SENT-ONCE: a
    change AJIO answered with success is not sent again)."""

    def manifest_chunks(self) -> list[list[str]]:
        in_flight = self.manifest_in_flight()
        packed = [o for o in self.state.in_stage("packed") if self.ready_for_handover(o) and o not in in_flight]
        step = self.MANIFEST_MAX - 1   # the bug: the pager's overlap of one record
        return ([in_flight] if in_flight else []) + [packed[start:start + self.MANIFEST_MAX]
                                                     for start in range(0, len(packed), step)]


class WholeCancelWhenEveryLineShort(VmsConnector):
    """Before the acknowledgement the layer cancels what the warehouse lacks. The team's rule of thumb: "an order
    whose every line is short cannot be shipped: cancel it whole" (they tested with single-unit lines, where a short
    line has nothing left). A line of 3 units with 1 in stock is short by 2, and an order whose every line is short
    this way is cancelled whole, units in stock and all (VMS-ACK-SOFT-RESERVED: cancel before the acknowledgement
    only what the warehouse lacks)."""

    def shortfall(self, mine: dict, reserved: dict[str, int] | None = None) -> list[dict]:
        short = super().shortfall(mine, reserved)
        if reserved is not None and short and len(short) == len([l for l in mine["lines"] if l["quantity"] > 0]):
            log("every line short: the order is cancelled whole")
            return [{"channelSkuCode": l["channelSkuCode"], "quantity": l["quantity"]}
                    for l in mine["lines"] if l["quantity"] > 0]
        return short


class RtoQcPassedUnopened(VmsConnector):
    """An RTO is a parcel the customer never received: the team's QC station scans RTO parcels as "unopened, back to
    stock" and shares PASS for every unit without asking the warehouse's QC code (only customer returns are opened
    and graded). An RTO parcel that came back crushed or wet, which the warehouse marked BAD (or MISSING: a unit not
    in the parcel), is passed to AJIO as sellable (VMS-QC-PASS-FAIL: the QC shared is the warehouse's, PASS or FAIL
    with a reason, per unit)."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if str(ret.get("return_type") or "").upper() != "RTO":
            return super().quality_check(ret, mine)
        items = [{"itemCode": i["itemCode"], "quantity": i["quantity"], "qcStatus": "PASS"}
                 for i in ret["items"] if i["quantity"] > 0]
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine["stage"] = "checked"
        log(f"QC of RTO {ret['return_order_id']} shared: unopened, PASS")
