"""/_sim/faults (pinned) and /_sim/throttle: stage AJIO's bad days, list and clear them."""
from __future__ import annotations

from flask import Blueprint, g, jsonify

from contracts import faults as c
from simulator import throttle
from simulator.api.common import body, query, sim
from simulator.control.routes import _admin_guard
from simulator.faults import rules

bp = Blueprint("control_faults", __name__, url_prefix="/_sim")
bp.before_request(_admin_guard)
_rule, _delete, _throttle = c.FaultRuleRequest(), c.FaultsDeleteQuery(), c.ThrottleRequest()


@bp.post("/faults")
def add_fault():
    rule = body(_rule)
    with sim().store.write() as conn:
        return jsonify(rules.add(conn, g.now, rule)), 201


@bp.get("/faults")
def list_faults():
    with sim().store.read() as conn:
        return jsonify({"faults": rules.list_all(conn)})


@bp.get("/faults/<int:rule_id>")
def get_fault(rule_id: int):
    with sim().store.read() as conn:
        return jsonify(rules.get(conn, rule_id))


@bp.delete("/faults")
def clear_faults():
    """Every rule, or the one named by ?id=."""
    rule_id = query(_delete).get("id")
    with sim().store.write() as conn:
        if rule_id is not None:
            rules.get(conn, rule_id)  # 404 for an unknown id
        return jsonify({"deleted": rules.clear(conn, rule_id)})


@bp.delete("/faults/<int:rule_id>")
def delete_fault(rule_id: int):
    with sim().store.write() as conn:
        rules.get(conn, rule_id)
        return jsonify({"deleted": rules.clear(conn, rule_id)})


@bp.get("/throttle")
def get_throttle():
    with sim().store.read() as conn:
        return jsonify(throttle.settings(sim().store, conn, sim().config))


@bp.route("/throttle", methods=["PUT", "POST"])
def set_throttle():
    b = body(_throttle)
    with sim().store.write() as conn:
        return jsonify(throttle.configure(sim().store, conn, sim().config, b.get("mode"), b.get("limits")))
