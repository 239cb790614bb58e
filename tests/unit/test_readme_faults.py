"""The fault and throttling examples of docs/control-plane.md are accepted by the control plane as written."""
from __future__ import annotations

import json
import re
from pathlib import Path

from fixtures.simclient import T0, FlaskTransport, Sim
from simulator.app import create_app

PAGE = Path(__file__).resolve().parents[2] / "docs" / "control-plane.md"


def _examples(path: str) -> list[dict]:
    text = PAGE.read_text()
    bodies = re.findall(r"curl -s -X (?:POST|PUT) localhost:8080" + re.escape(path) + r" .*?-d '(.*?)'", text, re.S)
    return [json.loads(b) for b in bodies]


def test_control_plane_page_fault_and_throttle_examples_are_accepted():
    sim = Sim(FlaskTransport(create_app({"db_url": "sqlite://", "frozen_at": T0}).test_client()))
    faults, throttles = _examples("/_sim/faults"), _examples("/_sim/throttle")
    assert len(faults) == 3 and len(throttles) == 1
    for body in faults:
        sim.control("POST", "/faults", body, expect=201)
    for body in throttles:
        sim.control("PUT", "/throttle", body, expect=200)
