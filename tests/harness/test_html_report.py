"""The HTML reporter below the CLI: runner events in, one self-contained page out."""
from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from contracts import rulebook
from harness import catalogue
from harness import events as ev
from harness.loader import load_scenario
from harness.model import ConnectorRun, Failure, ScenarioResult
from harness.reporters.html import HtmlReporter, replay_command

ROOT = Path(__file__).resolve().parents[2]
NO_SPLIT = ROOT / "scenarios/ds/fulfilment/no_split.yaml"
CONNECTOR = "command: python buggy.py split_invoice"

REFUSED = {"id": 7, "at": 1795410000, "pob_id": "DVX", "method": "POST", "path": "/ds/orders/FN1/invoice",
           "query": None, "status": 400, "violations": [{"field": "order_lines", "message": "order split"}],
           "faults": None, "request_body": '{"order_lines": []}',
           "response_body": '{"status": "FAILED", "error_message": "order split is not supported"}'}
ORDER = {"order_id": "FN1", "pob_id": "DVX", "model": "ds", "status": "CONFIRMED", "ajio_status": "CONFIRMED",
         "timeline": [{"at": 1795408200, "from": None, "to": "CREATED", "cause": "order placed by customer"},
                      {"at": 1795408300, "from": "CREATED", "to": "CONFIRMED", "cause": "seller acknowledged"}]}


def _results(output: str = "FN1: POST /ds/orders/FN1/invoice -> 400", failure: Failure | None = None):
    s = load_scenario(NO_SPLIT)
    ok = ScenarioResult(s, "passed", 1.25)
    bad = ScenarioResult(s, "failed", 2.5, failures=[failure or Failure(
        "step 6 (expect) expectation 1 (request)", "requests POST /ds/orders/FN1/invoice", "exactly 1", "0",
        "DS-NO-ORDER-SPLIT", note="the connector invoiced line by line")],
        connector_runs=[ConnectorRun("step 4 (run_connector)", "DVX", 1, 0.2, output)],
        replay={"seed": 301, "start": 1795408200, "sellers": {"pob": "DVX"}, "clock": {"now": 1795410000},
                "journal_excerpt": [REFUSED], "refused": [REFUSED], "orders": {"orders": [ORDER], "more": 0}})
    err = ScenarioResult(s, "error", 0.5, error="world setup: POST /_sim/sellers answered 400")
    return [ok, bad, err]


def _render(tmp_path, results, connector=CONNECTOR, server="in-process server per scenario") -> str:
    path = tmp_path / "out" / "report.html"
    rep = HtmlReporter(str(path))
    rep.handle(ev.RunStarted([r.scenario for r in results], connector, server))
    rep.handle(ev.RunDone(results, 4.25))
    return path.read_text(encoding="utf-8")


class _Page(HTMLParser):
    """The page's rows (id -> cell texts), its section ids and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.sections: list[str] = []
        self.external: list[str] = []
        self._row: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key) and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag in ("link", "script", "img", "iframe"):
            self.external.append(tag)
        if tag == "tr" and a.get("id", "").startswith("row-"):
            self._row = a["id"]
            self.rows[self._row] = []
        if tag == "td" and self._row:
            self._cell = []
        if tag == "section":
            self.sections.append(a.get("id"))

    def handle_endtag(self, tag):
        if tag == "td" and self._row and self._cell is not None:
            self.rows[self._row].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def test_html_report_one_row_per_scenario_with_rule_duration_and_verdict(tmp_path):
    page = _parse(_render(tmp_path, _results()))
    assert list(page.rows) == ["row-1", "row-2", "row-3"]
    verdicts = [cells[-1] for cells in page.rows.values()]
    assert verdicts == ["PASS", "FAIL", "ERROR"]
    durations = [cells[-2] for cells in page.rows.values()]
    assert durations == ["1.2 s", "2.5 s", "0.5 s"]
    statement = rulebook.rule("DS-NO-ORDER-SPLIT").statement
    assert all(cells[2].startswith(f"DS-NO-ORDER-SPLIT {statement}") for cells in page.rows.values())


def test_html_report_summary_counts_each_verdict(tmp_path):
    text = _render(tmp_path, _results())
    assert re.search(r'id="summary" class="summary bad"><strong>1 passed, 1 failed, 1 errors</strong>', text)


def test_html_report_failure_shows_expected_actual_and_the_rule_with_its_source(tmp_path):
    text = _render(tmp_path, _results())
    section = text[text.index('id="scenario-2"'):text.index('id="scenario-3"')]
    assert "exactly 1" in section and "requests POST /ds/orders/FN1/invoice" in section
    rule = rulebook.rule("DS-NO-ORDER-SPLIT")
    assert "<pre>0</pre>" in section and f'<span class="ruleid">DS-NO-ORDER-SPLIT</span> {escape(rule.statement)}' in section
    assert escape(rule.source.citation()) in section
    assert "note: the connector invoiced line by line" in section


def test_html_report_failure_lists_refused_requests_from_the_journal(tmp_path):
    text = _render(tmp_path, _results())
    section = text[text.index('id="scenario-2"'):text.index('id="scenario-3"')]
    assert "Refused requests" in section and "POST /ds/orders/FN1/invoice" in section
    assert "violation order_lines: order split" in section and "2026-11-23 10:30:00 IST" in section


def test_html_report_failure_shows_order_timelines(tmp_path):
    text = _render(tmp_path, _results())
    section = text[text.index('id="scenario-2"'):text.index('id="scenario-3"')]
    assert 'data-order="FN1"' in section
    assert "order placed by customer" in section and "seller acknowledged" in section


def test_html_report_failure_shows_connector_output_tail(tmp_path):
    text = _render(tmp_path, _results())
    assert "step 4 (run_connector)</strong> as DVX: exit 1" in text
    assert "FN1: POST /ds/orders/FN1/invoice -&gt; 400" in text


def test_html_report_failure_gives_the_replay_command(tmp_path):
    text = _render(tmp_path, _results())
    assert ("ajio-sim run --catalogue ds -k ds/fulfilment/no_split.yaml --connector-cmd "
            "&#x27;python buggy.py split_invoice&#x27;") in text
    assert "seed 301" in text


def test_html_report_error_shows_the_error_text(tmp_path):
    page_text = _render(tmp_path, _results())
    section = page_text[page_text.index('id="scenario-3"'):]
    assert "POST /_sim/sellers answered 400" in section


def test_html_report_passed_scenario_has_no_details_section(tmp_path):
    page = _parse(_render(tmp_path, _results()))
    assert page.sections == ["scenario-2", "scenario-3"]


def test_html_report_is_self_contained(tmp_path):
    page = _parse(_render(tmp_path, _results()))
    assert page.external == []


def test_html_report_escapes_connector_output(tmp_path):
    text = _render(tmp_path, _results(output='<script>alert("x")</script>'))
    assert "<script>" not in text and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_html_report_shows_an_unknown_rule_id_as_it_is(tmp_path):
    failure = Failure("step 6 (expect)", "requests POST /ds/orders/FN1/invoice", "exactly 1", "0", "DS-NOT-YET-WRITTEN")
    r = ScenarioResult(load_scenario(NO_SPLIT), "failed", 1.0, failures=[failure])
    assert '<span class="ruleid">DS-NOT-YET-WRITTEN</span>' in _render(tmp_path, [r])


def test_html_report_marks_a_replayed_scenario(tmp_path):
    r = ScenarioResult(load_scenario(NO_SPLIT), "passed", 1.0, mode="replay", recording="rec.har")
    assert _parse(_render(tmp_path, [r])).rows["row-1"][-1] == "PASS REPLAY"


def test_replay_command_names_a_file_outside_the_catalogue(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(NO_SPLIT.read_text())
    r = ScenarioResult(load_scenario(mine), "failed", 1.0)
    cmd = replay_command(r, "HTTP trigger: POST http://127.0.0.1:9/sync", "http://127.0.0.1:18400")
    assert cmd == f"ajio-sim run {mine} --connector-http http://127.0.0.1:9/sync --base-url http://127.0.0.1:18400"


def test_replay_command_for_a_bundled_scenario_uses_the_catalogue():
    r = ScenarioResult(load_scenario(catalogue.root() / "jit/fulfilment/happy_path.yaml"), "failed", 1.0)
    assert replay_command(r, "Python callable: c.py:run_once", "in-process server per scenario") == \
        "ajio-sim run --catalogue jit -k jit/fulfilment/happy_path.yaml --connector-python c.py:run_once"


def test_replay_command_of_a_replayed_scenario_names_its_recording(tmp_path):
    r = ScenarioResult(load_scenario(NO_SPLIT), "failed", 1.0, mode="replay", recording="recs/ajio day.har")
    assert replay_command(r, CONNECTOR, "in-process server per scenario").endswith(" --replay 'recs/ajio day.har'")
