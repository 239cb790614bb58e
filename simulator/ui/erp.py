"""The dashboard's ERP postings page (/_sim/ui/erp): what ajio-sim sent to VMS sellers' ERPs, each with
its attempts, the dead letters (postings the ERP never accepted after the last retry) and their
redelivery, one or every dead letter of a POB. Changes go through the JSON control plane (views._act)."""
from __future__ import annotations

from flask import redirect, request, url_for

from contracts.vms_control import POSTING_STATUSES as STATUSES
from simulator import erp_delivery
from simulator.api.common import sim
from simulator.ui.views import _act, _back, _filters, _page, bp

LIMIT = 200


@bp.get("/erp")
def erp_page():
    f = _filters(("pob_id", "status", "event_type"))
    if f.get("status") not in (None, *STATUSES):
        f.pop("status")
    with sim().store.read() as conn:
        rows = erp_delivery.postings(conn, pob_id=f.get("pob_id"), status=f.get("status"),
                                     event_type=f.get("event_type"), limit=LIMIT)
        dead = erp_delivery.postings(conn, pob_id=f.get("pob_id"), status="FAILED", limit=LIMIT)
    return _page("erp.html", postings=rows, dead=dead, filters=f, statuses=STATUSES,
                 dead_pobs=sorted({p["pob_id"] for p in dead}))


@bp.post("/erp/postings/<int:posting_id>/redeliver")
def erp_redeliver_one(posting_id: int):
    _act("redeliver", "POST", f"/erp/postings/{posting_id}/redeliver", {},
         lambda a: f"posting {posting_id} is queued again: the sender posts it (or POST /_sim/erp/deliver)")
    return _back(url_for("ui.erp_page"))


@bp.post("/erp/redeliver")
def erp_redeliver_pob():
    pob_id = request.form.get("pob_id", "").strip()
    _act("redeliver", "POST", "/erp/redeliver", {"pob_id": pob_id},
         lambda a: f"{len(a['redelivered'])} dead letter(s) of {pob_id} queued again")
    return _back(url_for("ui.erp_page", pob_id=pob_id))


@bp.post("/erp/deliver")
def erp_deliver():
    _act("deliver", "POST", "/erp/deliver", {},
         lambda a: "sent what was due: " + ", ".join(f"{k} {v}" for k, v in a.items()))
    return redirect(request.form.get("next") or url_for("ui.erp_page"), code=303)
