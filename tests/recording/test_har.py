"""HAR 1.2 files: valid after every entry, readable back; journal exports read as recordings too."""
from __future__ import annotations

import json

import pytest

from harness.recording.har import EXT, HarWriter, RecordingError, load


def _entry(n: int, path: str = "/ds/orders/pendency", status: int = 200) -> dict:
    return {"startedDateTime": f"2026-11-23T10:00:0{n}.000Z", "time": 1.0,
            "request": {"method": "GET", "url": f"https://ajio.example/ds/acme{path}?page={n}",
                        "httpVersion": "HTTP/1.1",
                        "cookies": [], "headers": [], "queryString": [{"name": "page", "value": str(n)}],
                        "headersSize": -1, "bodySize": 0},
            "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [], "headers": [],
                         "content": {"size": 2, "mimeType": "application/json", "text": "{}"}, "redirectURL": "",
                         "headersSize": -1, "bodySize": 2},
            "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}


def _writer(path):
    return HarWriter(path, creator_version="0.1.0", upstream="https://ajio.example/ds/acme", masked=True,
                     comment="test")


def test_har_writer_leaves_a_valid_har_after_every_entry(tmp_path):
    path = tmp_path / "rec.har"
    w = _writer(path)
    assert json.loads(path.read_text())["log"]["entries"] == []
    for n in range(1, 4):
        w.add(_entry(n))
        doc = json.loads(path.read_text())     # readable while the writer is still open
        assert len(doc["log"]["entries"]) == n
    w.close()


def test_har_writer_log_has_the_har_1_2_required_fields(tmp_path):
    path = tmp_path / "rec.har"
    w = _writer(path)
    w.add(_entry(1))
    w.close()
    log = json.loads(path.read_text())["log"]
    assert log["version"] == "1.2"
    assert set(log["creator"]) == {"name", "version"}
    assert log[EXT] == {"upstream": "https://ajio.example/ds/acme", "masked": True, "started": log[EXT]["started"]}
    assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= set(log["entries"][0])


def test_load_har_keeps_ajios_path_and_the_path_the_connector_called_in_start_order(tmp_path):
    path = tmp_path / "rec.har"
    w = _writer(path)
    w.add(_entry(2))
    w.add(_entry(1))     # finished first, started later: the reader orders by start
    w.close()
    kind, exchanges, meta = load(path)
    assert kind == "har" and meta["upstream"] == "https://ajio.example/ds/acme"
    assert [(e.path, e.called, e.query, e.index) for e in exchanges] == [
        ("/ds/acme/ds/orders/pendency", "/ds/orders/pendency", "page=1", 2),
        ("/ds/acme/ds/orders/pendency", "/ds/orders/pendency", "page=2", 1)]


def test_load_journal_export_marks_postings_faults_and_cut_bodies(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text(json.dumps({"entries": [
        {"id": 1, "at": 1, "method": "GET", "path": "/ds/orders/pendency", "query": "", "status": 200,
         "request_body": None, "response_body": '{"orders": []}', "faults": None},
        {"id": 2, "at": 1, "method": "POST", "path": "http://erp.example/postings", "query": "", "status": 200,
         "request_body": "{}", "response_body": "{}"},
        {"id": 3, "at": 1, "method": "GET", "path": "/ds/orders", "query": "", "status": 200,
         "request_body": None, "response_body": '{"orders": [', "faults": [{"kind": "truncate"}]},
        {"id": 4, "at": 1, "method": "GET", "path": "/ds/orders", "query": "", "status": 200,
         "request_body": None, "response_body": '{"orders": [... [900 more characters]'},
        {"id": 5, "at": 1, "method": "GET", "path": "/documents/D1", "query": "", "status": 200,
         "request_body": None, "response_body": "<application/pdf 1234 bytes>"}]}))
    kind, ex, _ = load(path)
    assert kind == "journal"
    assert (ex[0].skip, ex[0].mime) == (None, "application/json")
    assert ex[1].skip == "a posting the simulator sent to an ERP, not an AJIO answer"
    assert ex[2].skip == "a staged fault changed this answer (truncate)"
    assert ex[3].body_note == "answer cut by the journal's body limit"
    assert (ex[4].mime, ex[4].response_body) == ("application/pdf", None)


def test_load_other_json_is_refused_with_what_was_expected(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(RecordingError, match="neither a HAR file .* nor a journal export"):
        load(path)


def test_load_broken_har_entry_names_the_entry(tmp_path):
    path = tmp_path / "x.har"
    path.write_text(json.dumps({"log": {"entries": [{"request": {}}]}}))
    with pytest.raises(RecordingError, match="entry 1 is not a HAR entry"):
        load(path)
