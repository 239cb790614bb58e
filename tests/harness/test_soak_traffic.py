"""The soak's traffic generator (harness/soak/traffic.py): seeded, independent of timing, rates honoured."""
from __future__ import annotations

from collections import Counter

import pytest

from harness.soak import traffic
from harness.soak.config import DAY, HOUR, SoakConfig


def _cfg(**kw) -> SoakConfig:
    return SoakConfig(**{"days": 30, "orders_per_day": 500, "seed": 7, **kw})


def test_order_times_place_exactly_orders_per_day_within_the_day():
    cfg = _cfg()
    for day in (0, 13):
        times = traffic.order_times(cfg, day)
        assert len(times) == 500
        assert times == sorted(times)
        assert all(cfg.start + day * DAY <= t < cfg.start + (day + 1) * DAY for t in times)


def test_order_times_follow_the_daily_curve_evenings_busier_than_nights():
    cfg = _cfg(orders_per_day=5000)
    hours = Counter((t - cfg.start) % DAY // HOUR for t in traffic.order_times(cfg, 2))
    night = sum(hours[h] for h in (2, 3, 4))
    evening = sum(hours[h] for h in (19, 20, 21))
    assert evening > 6 * night, (night, evening)


def test_traffic_same_seed_same_plan_other_seed_another():
    a = traffic.day_plan(_cfg(), 4, 60)
    b = traffic.day_plan(_cfg(), 4, 60)
    c = traffic.day_plan(_cfg(seed=8), 4, 60)
    assert (a.order_times, a.inbound, a.stockout, a.faults) == (b.order_times, b.inbound, b.stockout, b.faults)
    assert a.order_times != c.order_times


def test_traffic_of_a_day_does_not_depend_on_how_many_days_run():
    short, month = _cfg(days=3), _cfg(days=30)
    for day in range(3):
        s, m = traffic.day_plan(short, day, 60), traffic.day_plan(month, day, 60)
        assert (s.order_times, s.inbound, s.first_index) == (m.order_times, m.inbound, m.first_index)
    assert traffic.fate(short, 1234, 0) == traffic.fate(month, 1234, 0)


def test_fates_honour_the_configured_shares():
    cfg = _cfg(cancel_share=0.05, rto_share=0.04, unexpected_rto_share=0.01, return_share=0.1, qc_bad_share=0.2,
               return_withdraw_share=0.1)
    fates = [traffic.fate(cfg, i, 0) for i in range(20_000)]
    share = lambda pred: sum(map(pred, fates)) / len(fates)
    assert share(lambda f: f.cancel_after is not None) == pytest.approx(0.05, abs=0.006)
    assert share(lambda f: f.delivery == "rto") == pytest.approx(0.04, abs=0.005)
    assert share(lambda f: f.delivery == "unexpected_rto") == pytest.approx(0.01, abs=0.003)
    assert share(lambda f: f.return_after is not None) == pytest.approx(0.10, abs=0.008)
    assert share(lambda f: f.qc == "BAD") == pytest.approx(0.20, abs=0.012)
    assert share(lambda f: f.withdraw_after is not None) == pytest.approx(0.10, abs=0.008)


def test_fates_zero_shares_mean_none_at_all():
    cfg = _cfg(cancel_share=0, rto_share=0, unexpected_rto_share=0, return_share=0)
    fates = [traffic.fate(cfg, i, 0) for i in range(2000)]
    assert all(f.cancel_after is None and f.delivery == "deliver" and f.return_after is None for f in fates)


def test_cancellations_come_after_ordering_mostly_within_hours():
    cfg = _cfg(cancel_share=1.0, cancel_mean_delay=2 * HOUR)
    delays = sorted(traffic.fate(cfg, i, 0).cancel_after for i in range(4000))
    assert delays[0] >= 0 and delays[-1] <= 2 * DAY
    assert delays[len(delays) // 2] == pytest.approx(2 * HOUR * 0.693, rel=0.12)  # the exponential's median


def test_faults_per_day_honoured_on_average():
    cfg = _cfg(faults_per_day=2.5, throttles_per_day=0.5, po_delays_per_day=1, repeats_per_day=0)
    kinds = Counter(f.kind for day in range(200) for f in traffic.day_plan(cfg, day, 60).faults)
    assert kinds["transport"] == pytest.approx(500, rel=0.1)
    assert kinds["throttle"] == pytest.approx(100, rel=0.25)
    assert kinds["po_delay"] == 200
    assert kinds["repeat"] == 0


def test_every_fault_targets_one_call_once_except_an_outage():
    cfg = _cfg(faults_per_day=3, throttles_per_day=2, repeats_per_day=1)
    outages = traffic.outage_days(cfg)
    faults = [f for day in range(30) for f in traffic.day_plan(cfg, day, 60, outages).faults]
    for f in faults:
        assert f.rule["match"]["path"].startswith("/")
        if f.kind == "outage":
            assert "times" not in f.rule and f.until - f.at == cfg.outage_hours * HOUR
        else:
            assert f.rule["times"] == 1 and f.until is None
    json_spoilers = [f for f in faults if f.rule["effects"][0]["kind"] in ("truncate", "malformed", "empty_body")]
    assert json_spoilers and not any(f.rule["match"]["path"].startswith("/documents") for f in json_spoilers)
    after = [f for f in faults if f.rule["effects"][0].get("phase") == "after"]
    assert after and all(f.rule["match"]["method"] == "POST" for f in after)


def test_outages_per_month_scale_with_the_days():
    assert len(traffic.outage_days(_cfg(days=30, outages_per_month=1))) == 1
    assert len(traffic.outage_days(_cfg(days=60, outages_per_month=1))) == 2
    assert traffic.outage_days(_cfg(days=30, outages_per_month=0)) == {}


def test_repeat_faults_name_an_order_placed_before_them():
    cfg = _cfg(repeats_per_day=3)
    for day in range(1, 10):
        plan = traffic.day_plan(cfg, day, 60)
        for f in plan.faults:
            if f.kind == "repeat":
                placed = plan.first_index + sum(1 for t in plan.order_times if t < f.at)
                assert f.repeat_index < placed


def test_stock_opening_and_inbound_scale_with_demand():
    cfg = _cfg(orders_per_day=600, initial_stock_days=4, inbound_share=1.0)
    demand = traffic.demand_per_sku(cfg, 60)
    assert demand == pytest.approx(600 * traffic.UNITS_PER_ORDER / 60)
    opening = traffic.initial_stock(cfg, 60)
    assert sum(opening) / 60 == pytest.approx(4 * demand, rel=0.1)
    inbound = [u for day in range(30) for u in traffic.day_plan(cfg, day, 60).inbound.values()]
    assert sum(inbound) / len(inbound) == pytest.approx(demand, rel=0.05)


def test_stockouts_per_week_honoured():
    cfg = _cfg(stockouts_per_week=2)
    lost = sum(traffic.day_plan(cfg, day, 60).stockout is not None for day in range(700))
    assert lost == pytest.approx(200, rel=0.15)


def test_config_set_reads_durations_shares_and_refuses_unknown_names():
    cfg = _cfg().apply(["tick=2h", "cancel_share=0.1", "throttle_retry_after=1,90", "ack_sla=12h"])
    assert (cfg.tick, cfg.cancel_share, cfg.throttle_retry_after, cfg.ack_sla) == (7200, 0.1, (1, 90), 43200)
    with pytest.raises(ValueError, match="not NAME=VALUE with NAME one of"):
        _cfg().apply(["no_such_knob=1"])
    with pytest.raises(ValueError, match="a share between 0 and 1"):
        _cfg().apply(["rto_share=1.5"])
    with pytest.raises(ValueError, match="tick must divide a day"):
        _cfg().apply(["tick=7h"])
