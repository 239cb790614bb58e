"""Small pieces of the QA console: durations, line columns, packaged dashboard files."""
from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from simulator.client import line_columns

ROOT = Path(__file__).resolve().parents[2]


def test_line_columns_pick_key_fields_of_any_model():
    ds = [{"order_item_id": "1", "sku": "A", "item_details": {}, "ordered_quantity": 2, "hsn": "6109",
           "customer_cancelled_qty": 0, "mrp": 999.0}]
    assert line_columns(ds) == ["order_item_id", "sku", "ordered_quantity", "customer_cancelled_qty", "mrp"]
    vms = [{"channelSkuCode": "X", "quantity": 1, "invoiced_qty": 0}]
    assert line_columns(vms) == ["channelSkuCode", "quantity", "invoiced_qty"]
    other = [{"a": 1, "b": {"x": 1}, "c": "z"}]
    assert line_columns(other) == ["a", "c"]


def test_every_dashboard_file_is_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["simulator.ui"]
    ui = ROOT / "simulator" / "ui"
    files = [p.relative_to(ui).as_posix() for p in ui.rglob("*")
             if p.is_file() and p.suffix != ".pyc" and p.suffix != ".py"]
    assert files, "the dashboard has templates and static files"
    missing = [f for f in files if not any(fnmatch(f, g) for g in globs)]
    assert not missing, f"not packaged (add to [tool.setuptools.package-data]): {missing}"


def test_fault_effect_option_parses_scalars_and_dotted_members():
    import argparse

    import pytest

    from simulator.qa_cli import _effect
    assert _effect("status:status=503,phase=after") == {"kind": "status", "status": 503, "phase": "after"}
    assert _effect("unknown_value:field=status,item.order_id=FN1,item.n=2") == {
        "kind": "unknown_value", "field": "status", "item": {"order_id": "FN1", "n": 2}}
    assert _effect("line_failure:sku=1001,error_message=busy") == {"kind": "line_failure", "sku": "1001",
                                                                    "error_message": "busy"}
    assert _effect("stale_page:ignore_params=fromDate+toDate") == {"kind": "stale_page",
                                                                    "ignore_params": ["fromDate", "toDate"]}
    for bad in ("unknown_value:item.=x", "unknown_value:field=s,field.x=1", "Status:x=1", "status:503"):
        with pytest.raises(argparse.ArgumentTypeError):
            _effect(bad)
