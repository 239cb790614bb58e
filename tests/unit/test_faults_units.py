"""Units under the fault and throttling pipeline: path globs and token-bucket arithmetic."""
from __future__ import annotations

import re

import pytest

from simulator import throttle
from simulator.faults.rules import glob_regex


@pytest.mark.parametrize("pattern, path, hit", [
    ("/ds/orders/*/invoice", "/ds/orders/FN1/invoice", True),
    ("/ds/orders/*/invoice", "/ds/orders/FN1/x/invoice", False),
    ("/ds/**", "/ds/orders/FN1/label", True),
    ("/ds/**/label", "/ds/orders/FN1/label", True),
    ("/ds/orders/FN?", "/ds/orders/FN1", True),
    ("/ds/orders/FN?", "/ds/orders/FN12", False),
    ("/ds/orders.json", "/ds/ordersXjson", False),  # a dot is a dot, not a regex wildcard
    ("/ds/orders", "/ds/orders/pendency", False),
])
def test_glob_segments(pattern, path, hit):
    assert bool(re.fullmatch(glob_regex(pattern), path)) is hit


def take(store, now, rate=0.3, burst=2, strict=False):
    with store.write() as conn:
        return throttle.take(conn, "DVAAAAAA", "read", now, rate, burst, strict)


def test_bucket_refills_fractionally_and_retry_after_rounds_up(store):
    assert take(store, 100).allowed and take(store, 100).allowed
    refused = take(store, 100)
    assert not refused.allowed and refused.retry_after == 4  # 1 token at 0.3/s: 3.33 s, announced as 4
    assert not take(store, 103).allowed  # 0.9 tokens
    late = take(store, 104)
    assert late.allowed and late.remaining == 0 and late.reset == 6  # 1.2 - 1 = 0.2 left; (2 - 0.2) / 0.3 = 6 s


def test_bucket_never_holds_more_than_its_burst(store):
    take(store, 0)
    assert take(store, 10_000).remaining == 1  # full (2) minus this one


def test_strict_restarts_the_wait(store):
    take(store, 0, rate=1, burst=1, strict=True)
    first = take(store, 0, rate=1, burst=1, strict=True)
    assert first.retry_after == 1 and first.violation is None
    early = take(store, 0, rate=1, burst=1, strict=True)
    assert early.violation and not early.allowed
    assert take(store, 1, rate=1, burst=1, strict=True).allowed
