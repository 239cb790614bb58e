"""The README's demo logins are what `ajio-sim serve --demo` (seed 1) really creates."""
from __future__ import annotations

import re
from pathlib import Path

from simulator.app import create_app
from simulator.demo import ensure_demo

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_demo_logins_match_seeded_demo_world():
    shown = re.findall(r"^  (DV[A-Z0-9]+)  (pw-[0-9a-f]+)  store (DEMO-[A-Z]+-\d+)", README.read_text(), re.M)
    assert len(shown) == 5
    made = ensure_demo(create_app({"db_url": "sqlite://", "seed": 1}).extensions["ajio_sim"])
    assert shown == [(p["pob_id"], p["password"], p["store_code"]) for p in made]
    # Each login line word for word as the serve banner prints it (model, settings, where to log in).
    from simulator.cli import _banner
    printed = [line for line in _banner("127.0.0.1", 8080, None, made).splitlines() if "  store DEMO-" in line]
    assert re.findall(r"^  DV.*store DEMO-.*$", README.read_text(), re.M) == printed


def test_readme_example_order_is_the_demo_first_pendency_order():
    """The order the README and the QA pages cancel by hand is one the demo world has waiting."""
    sim = create_app({"db_url": "sqlite://", "seed": 1}).extensions["ajio_sim"]
    made = ensure_demo(sim)
    from simulator.domain.ds.orders import get_pendency
    page, _ = sim.read(lambda ctx: get_pendency(ctx, made[0]["pob_id"], 0, 50))
    docs = README.parent / "docs"
    text = "\n".join(p.read_text() for p in (README, docs / "control-plane.md", docs / "qa.md"))
    example = set(re.findall(r"(?:/_sim/orders/|ajio-sim (?:cancel|order show) )(FN\d+)", text))
    assert example and example <= {o["order_id"] for o in page["orders"]}
