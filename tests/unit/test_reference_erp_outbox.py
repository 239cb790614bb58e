"""The reference ERP's outbox keeps its due times on the wall clock: they are saved with the outbox and read back
by the next process, possibly after the host rebooted (a monotonic clock starts again at boot)."""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _erp_module():
    spec = importlib.util.spec_from_file_location("reference_erp_outbox", ROOT / "examples/reference_erp/erp.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_posting_due_before_a_restart_is_sent_by_the_next_process_and_a_later_one_waits(tmp_path):
    erp = _erp_module()
    env = {"AJIO_ERP_USERNAME": "DVTEST01", "AJIO_ERP_PASSWORD": "x", "AJIO_ERP_BASE_URL": "http://127.0.0.1:9"}
    # What an earlier process saved: one posting whose retry came due while the ERP was down, one due later.
    now = time.time()
    saved = {"outbox": [
        {"kind": "invoice", "key": "FN1", "body": {}, "attempts": 1, "due": now - 5},
        {"kind": "invoice", "key": "FN2", "body": {}, "attempts": 1, "due": now + 600},
    ]}
    (tmp_path / "erp-DVTEST01.json").write_text(json.dumps(saved))
    tenant = erp.Tenant(env, tmp_path)
    assert [o["key"] for o in tenant.due()] == ["FN1"]


def test_a_new_posting_is_due_at_once_or_after_first_try_after_on_the_same_clock(tmp_path):
    erp = _erp_module()
    env = {"AJIO_ERP_USERNAME": "DVTEST02", "AJIO_ERP_PASSWORD": "x", "AJIO_ERP_BASE_URL": "http://127.0.0.1:9"}
    tenant = erp.Tenant(env, tmp_path)
    tenant.enqueue("invoice", "FN1", {})
    assert [o["key"] for o in tenant.due()] == ["FN1"]
    late = type("Late", (erp.Tenant,), {"first_try_after": 600.0})(env, tmp_path)
    before = time.time()
    late.enqueue("invoice", "FN2", {})
    assert late.due() == [] and late.outbox[0]["due"] >= before + 600
