"""Timing profiles (simulator/domain/timing.py): exact keeps the fixed timings, realistic draws seeded ones."""
from __future__ import annotations

import pytest

from simulator.config import Config
from simulator.domain import timing

DAY = 86400
N = 20_000  # shipments per share check: the share's standard error is then under 0.4 points


def clock(profile: str = "realistic", seed: int = 1, **config) -> timing.Timing:
    c = Config(**config)
    s = timing.Settings(**{**timing.defaults(c), "profile": profile})
    return timing.Timing(s, c, seed)


def plan(t: timing.Timing, order_id: str, payment: str = "COD", at: int = 1_795_408_200) -> dict:
    return t.forward_plan(order_id, picked_up_at=at, payment_method=payment, origin="Mumbai",
                          destination="Jaipur", zone="national")


def outcome(p: dict) -> str:
    return p["events"][-1]["status"]


def test_exact_profile_keeps_the_configured_timings():
    t = clock("exact", po_lag=1800)
    assert (t.po_lag("FN1"), t.pickup_after("FN1"), t.rto_transit("FN1")) == (1800, DAY, 3 * DAY)
    p = plan(t, "FN1")
    assert [e["status"] for e in p["events"]] == ["IN_TRANSIT", "REACHED_DESTINATION_HUB", "OUT_FOR_DELIVERY",
                                                  "DELIVERED"]
    assert p["events"][-1]["at"] == 1_795_408_200 + 3 * DAY
    assert t.customer_return("FN1") is None


def test_exact_profile_zero_delivery_delay_plans_nothing():
    assert plan(clock("exact", deliver_after=0), "FN1") is None


def test_realistic_draws_depend_on_seed_and_id_only():
    """The same seed and order id give the same plan, whatever was drawn before (call order, worker)."""
    first = clock(seed=5)
    [plan(first, f"FN{i}") for i in range(50)]  # other draws first
    assert plan(first, "FN7") == plan(clock(seed=5), "FN7")
    assert plan(clock(seed=5), "FN7") != plan(clock(seed=6), "FN7")
    assert clock(seed=5).po_lag("FN7") == clock(seed=5).po_lag("FN7")


def test_realistic_rto_shares_match_the_sourced_figures():
    """About 26 % of COD and 2 % of prepaid shipments end as RTO (Shipway ShipNotes FY25, docs/dropship.md)."""
    t = clock(seed=3)
    cod = sum(outcome(plan(t, f"FN{i}", "COD")) == "RTO_INITIATED" for i in range(N)) / N
    prepaid = sum(outcome(plan(t, f"FN{i}", "PREPAID")) == "RTO_INITIATED" for i in range(N)) / N
    assert 0.24 <= cod <= 0.28 and 0.012 <= prepaid <= 0.028


def test_realistic_failed_attempts_respect_the_rules():
    """Never more attempts than allowed, one a day, RTO only after the last or a refusal; no COD_NOT_READY prepaid."""
    t = clock(seed=4)
    for i in range(3000):
        payment = "COD" if i % 2 else "PREPAID"
        events = plan(t, f"FN{i}", payment)["events"]
        assert [e["at"] for e in events] == sorted(e["at"] for e in events)
        attempts = [e for e in events if e["status"] == "DELIVERY_ATTEMPTED"]
        assert len(attempts) <= 3
        assert payment == "COD" or all(e["reason"] != "COD_NOT_READY" for e in attempts)
        if outcome({"events": events}) == "RTO_INITIATED":
            assert len(attempts) == 3 or attempts[-1]["reason"] == "REFUSED"
        for before, after in zip(attempts, attempts[1:]):
            assert after["at"] - before["at"] >= 12 * 3600


def test_realistic_transit_times_stay_within_bounds_and_median_near_the_zone():
    t = clock(seed=8)
    hubs = sorted(next(e["at"] for e in plan(t, f"FN{i}")["events"] if e["status"] == "REACHED_DESTINATION_HUB")
                  - 1_795_408_200 for i in range(2000))
    assert 0.5 * DAY <= hubs[0] and hubs[-1] <= 9 * DAY
    assert 3.0 * DAY <= hubs[len(hubs) // 2] <= 4.0 * DAY  # national median 3.5 days


def test_realistic_customer_return_share_and_reasons():
    """About a quarter of delivered fashion orders come back (AJIO: 26-30 % returned or exchanged)."""
    t = clock(seed=9)
    drawn = [t.customer_return(f"FN{i}") for i in range(N)]
    returned = [d for d in drawn if d is not None]
    assert 0.23 <= len(returned) / N <= 0.27
    assert all(DAY <= after <= 7 * DAY and reason in timing.RETURN_REASONS for after, reason in returned)
    assert max(set(r for _, r in returned), key=[r for _, r in returned].count) == "SIZE_FIT_ISSUES"


@pytest.mark.parametrize("key", ["po_lag", "pickup_after", "rto_transit", "return_pickup_after", "return_transit"])
def test_realistic_delays_stay_within_their_documented_bounds(key):
    t = clock(seed=2)
    spec = timing.REALISTIC[key]
    values = [getattr(t, key)(f"ID{i}") for i in range(2000)]
    assert spec["min"] <= min(values) and max(values) <= spec["max"] and len(set(values)) > 100


def test_zero_in_the_configuration_turns_a_realistic_delay_off():
    t = clock(pickup_after=0, return_transit=0)
    assert t.pickup_after("FN1") == 0 and t.return_transit("RT1") == 0


def test_reattempt_plan_exact_delivers_a_day_later():
    t = clock("exact")
    p = t.reattempt_plan("FN1", attempts_done=1, failed_at=1000, payment_method="COD", destination="Pune")
    assert [(e["status"], e["at"]) for e in p["events"]] == [("OUT_FOR_DELIVERY", 1000 + DAY - 3 * 3600),
                                                             ("DELIVERED", 1000 + DAY)]


def test_zone_by_city_and_state():
    assert timing.zone("Mumbai", "Maharashtra", "Mumbai", "Maharashtra") == "local"
    assert timing.zone("Mumbai", "Maharashtra", "Pune", "Maharashtra") == "regional"
    assert timing.zone("Mumbai", "Maharashtra", "Jaipur", "Rajasthan") == "national"
