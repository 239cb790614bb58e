"""/_sim/snapshot: export the whole world to one JSON file, or import one into this simulator (our choice of
paths under the pinned /_sim prefix; no AJIO source has snapshots)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from contracts.snapshot import SnapshotRequest
from simulator import snapshot
from simulator.api.common import body, sim
from simulator.control.routes import _admin_guard

bp = Blueprint("control_snapshot", __name__, url_prefix="/_sim")
bp.before_request(_admin_guard)
_snapshot = SnapshotRequest()


@bp.get("/snapshot")
def export_snapshot():
    """The whole world (sellers, catalogues, orders, returns, documents, timers, journal, faults, clock) as one
    JSON document of format_version 1; POST it back to /_sim/snapshot to restore it."""
    return jsonify(snapshot.export_world(sim()))


@bp.post("/snapshot")
def import_snapshot():
    """Replace this simulator's world with a snapshot's, in one transaction (a refused file changes nothing).
    Refused: another format_version (400, field format_version), another --seed (409 SEED_MISMATCH)."""
    return jsonify(snapshot.import_world(sim(), body(_snapshot)))
