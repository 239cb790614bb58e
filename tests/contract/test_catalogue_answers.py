"""The whole scenario catalogue, run against the reference connector, with every answer it got checked.

Each scenario runs on its own in-process server, as `ajio-sim run` runs it; before a server stops, its
journal (`GET /_sim/journal`: every AJIO-facing request with the answer as sent) is read, so nothing
sits in the serving path. Every answer must match its published schema (contracts/answers.py: no
required key missing, no undeclared key, the declared types and nullability), and over the whole
catalogue every optional property must have been absent at least once: a property the simulator
always sends belongs in `required`. The answers also join the session's audit (tests/conftest.py).
"""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest

from contracts.answers import AnswerChecker
from contracts.openapi import ajio_spec
from fixtures.answer_check import loose_properties
from harness import runner
from harness.connectors import CommandAdapter
from harness.loader import discover, load_scenario
from simulator.embedded import InProcessServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = f"{sys.executable} {ROOT / 'examples/reference_connector/connector.py'}"
# Big enough that no answer of the catalogue is clipped (the default keeps 16 KiB per body).
JOURNAL_BODY_LIMIT = 8 * 1024 * 1024


class JournalingServer(InProcessServer):
    """The harness's per-scenario server, whose journal is read back before it stops."""

    harvested: list[dict] = []
    lock = threading.Lock()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)  # whatever the runner passes (seed, start, po_lag, extra, pdf...)
        # Whole answers in the journal: read per request, set before the scenario's first one.
        self.app.extensions["ajio_sim"].config.journal_body_limit = JOURNAL_BODY_LIMIT

    def stop(self) -> None:
        import requests

        after, entries = 0, []
        while True:
            page = requests.get(f"{self.base_url}/_sim/journal", params={"after_id": after, "limit": 5000},
                                timeout=30).json()["entries"]
            entries += page
            if len(page) < 5000:
                break
            after = page[-1]["id"]
        with self.lock:
            self.harvested.extend(entries)
        super().stop()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """(run ok, journal entries of every scenario): the catalogue, two scenarios at a time."""
    # The connector's scenarios (VMS ones with the harness's stand-in ERP); those judging an ERP need one.
    scenarios = [s for s in (load_scenario(p) for p in discover(ROOT / "scenarios")) if s.needs == ("connector",)]
    JournalingServer.harvested = []
    original = runner.InProcessServer
    runner.InProcessServer = JournalingServer
    try:
        ok, why = False, []
        for event in runner.run(scenarios, CommandAdapter(REFERENCE, timeout=120), runner.Options(jobs=2)):
            ok = getattr(event, "ok", ok)
            for r in getattr(event, "results", None) or []:
                if not r.passed:
                    broken = [f"{f.rule_id}: {f.what}" for f in r.failures][:3]
                    why.append(f"{r.scenario.path}: {r.status}: {r.error or broken}")
    finally:
        runner.InProcessServer = original
    return ok, why, list(JournalingServer.harvested)


def _answers(entries):
    for e in entries:
        if e["status"] == 0 or e["status"] >= 500 or not e["response_body"]:
            continue  # a staged reset or 5xx (ds/faults): outside the contract
        if not e["path"].startswith("/"):
            continue  # a posting to the seller's ERP (VMS): the ERP's answer, not AJIO's
        try:
            body = json.loads(e["response_body"])
        except ValueError:
            continue  # a PDF, or a staged malformed body
        yield e, body


def test_catalogue_answers_match_their_published_schemas(catalogue, answer_audit):
    ok, why, entries = catalogue
    assert ok, "the catalogue must pass with the reference connector:\n" + "\n".join(why[:10])
    checker = AnswerChecker(ajio_spec())
    problems, checked = [], 0
    clipped = [e["id"] for e in entries if (e["response_body"] or "").endswith("more characters]")]
    assert not clipped, f"journal bodies clipped (raise JOURNAL_BODY_LIMIT): {clipped[:5]}"
    for entry, body in _answers(entries):
        found = checker.check(entry["method"], entry["status"], body, path=entry["path"])
        answer_audit.ajio.check(entry["method"], entry["status"], body, path=entry["path"])
        problems += [f"#{entry['id']} {entry['method']} {entry['path']}: {p}" for p in found]
        checked += 1
    assert checked > 1000, checked  # the catalogue makes thousands of calls: the journals were read
    assert not problems, "\n".join(problems[:30])
    reached = {op for op, status in checker.answers if status.startswith("2")}
    assert {"get_pendency", "acknowledge_order", "generate_invoice", "generate_label", "dispatch_orders",
            "quality_check", "get_credit_note", "jit_get_pendency", "jit_pack", "jit_dispatch_orders"} <= reached


def test_catalogue_answers_leave_no_always_sent_property_optional(catalogue):
    _, _, entries = catalogue
    checker = AnswerChecker(ajio_spec())
    for entry, body in _answers(entries):
        checker.check(entry["method"], entry["status"], body, path=entry["path"])
    assert loose_properties(checker) == {}
