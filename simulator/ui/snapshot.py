"""The dashboard's snapshot page (/_sim/ui/snapshot): download the whole world, or replace it with a file.

Both go through the JSON control plane (GET and POST /_sim/snapshot), as every world change of the
dashboard does, so a refused file shows the control plane's message and field.
"""
from __future__ import annotations

import json
from datetime import datetime

from flask import Response, request, url_for
from sqlalchemy import func, select

from contracts.snapshot import FORMAT_VERSION
from simulator.api.common import sim
from simulator.store import orders, pobs, returns
from simulator.ui.views import IST, _api, _back, _flash, _page, _refused, bp


@bp.get("/snapshot")
def snapshot_page():
    with sim().store.read() as conn:
        counts = {"POBs": conn.execute(select(func.count()).select_from(pobs)).scalar_one(),
                  "orders": conn.execute(select(func.count()).select_from(orders)).scalar_one(),
                  "returns": conn.execute(select(func.count()).select_from(returns)).scalar_one()}
    return _page("snapshot.html", counts=counts, seed=sim().config.seed, format_version=FORMAT_VERSION)


@bp.get("/snapshot.json")
def snapshot_download():
    status, answer = _api("GET", "/snapshot")
    if status >= 400:
        _refused("snapshot export", status, answer)
        return _back(url_for("ui.snapshot_page"))
    stamp = datetime.fromtimestamp(answer["clock"]["now"], IST).strftime("%Y%m%dT%H%M")
    return Response(json.dumps(answer), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="ajio-sim-snapshot-{stamp}.json"'})


@bp.post("/snapshot")
def snapshot_upload():
    if request.form.get("confirm") != "REPLACE":
        _flash("error", "importing replaces the whole world: type REPLACE in the box", field="confirm")
        return _back(url_for("ui.snapshot_page"))
    upload = request.files.get("snapshot")
    if upload is None or not upload.filename:
        _flash("error", "choose a snapshot file (exported from this page or GET /_sim/snapshot)", field="snapshot")
        return _back(url_for("ui.snapshot_page"))
    try:
        doc = json.loads(upload.read())
    except (ValueError, RecursionError):
        _flash("error", f"{upload.filename} is not JSON: not a snapshot file", field="snapshot")
        return _back(url_for("ui.snapshot_page"))
    status, answer = _api("POST", "/snapshot", doc)
    if status >= 400:
        _refused(f"import of {upload.filename}", status, answer)
        return _back(url_for("ui.snapshot_page"))
    counts = answer["counts"]
    _flash("ok", f"imported {upload.filename}: {counts.get('pobs', 0)} POB(s), {counts.get('orders', 0)} order(s), "
                 f"{counts.get('returns', 0)} return(s); the clock is at the snapshot's instant")
    return _back(url_for("ui.sellers"))
