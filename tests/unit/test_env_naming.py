"""One environment naming for the simulator's URL and admin token (AJIO_SIM_URL, AJIO_SIM_ADMIN_TOKEN)
across the QA CLI, `ajio-sim run`, `ajio-sim contract` and the pytest plugin; the old name still read, noted."""
from __future__ import annotations

import pytest

from simulator import client
from simulator.client import SimClient, env_admin_token, env_sim_url


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("AJIO_SIM_URL", "AJIO_SIM_BASE_URL", "AJIO_SIM_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(client, "_noted", set())


def test_env_sim_url_reads_ajio_sim_url(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_URL", "http://sim:8080")
    notes = []
    assert env_sim_url(note=notes.append) == "http://sim:8080" and notes == []


def test_env_sim_url_reads_the_deprecated_name_with_a_note(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_BASE_URL", "http://old:8080")
    notes = []
    assert env_sim_url(note=notes.append) == "http://old:8080"
    assert env_sim_url(note=notes.append) == "http://old:8080"
    assert notes == ["AJIO_SIM_BASE_URL is deprecated, set AJIO_SIM_URL instead (the old name is still read for now)"]


def test_env_sim_url_prefers_the_new_name(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_URL", "http://new:8080")
    monkeypatch.setenv("AJIO_SIM_BASE_URL", "http://old:8080")
    notes = []
    assert env_sim_url(note=notes.append) == "http://new:8080" and notes == []


def test_env_sim_url_unset_is_none():
    assert env_sim_url(note=lambda m: None) is None


def test_env_admin_token_reads_ajio_sim_admin_token(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_ADMIN_TOKEN", "t0k")
    assert env_admin_token() == "t0k"


def test_sim_client_defaults_to_the_environment(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_URL", "http://sim:9/")
    monkeypatch.setenv("AJIO_SIM_ADMIN_TOKEN", "t0k")
    c = SimClient()
    assert c.base_url == "http://sim:9" and c.session.headers["X-Admin-Token"] == "t0k"


def test_deprecated_name_note_goes_to_stderr(monkeypatch, capsys):
    monkeypatch.setenv("AJIO_SIM_BASE_URL", "http://old:8080")
    assert SimClient().base_url == "http://old:8080"
    assert "ajio-sim: AJIO_SIM_BASE_URL is deprecated, set AJIO_SIM_URL instead" in capsys.readouterr().err


def test_run_parser_defaults_base_url_from_ajio_sim_url(monkeypatch):
    """`ajio-sim run` with AJIO_SIM_URL set uses that simulator (its banner line names it)."""
    from harness.cli import run
    from simulator.cli import build_parser
    monkeypatch.setenv("AJIO_SIM_URL", "http://127.0.0.1:9")
    args = build_parser().parse_args(["run", "--catalogue", "jit", "-k", "no-such-scenario", "--connector-cmd", "true"])
    assert run(args) == 2  # nothing selected: but the URL was taken from the environment first
    assert args.base_url == "http://127.0.0.1:9"


class _Group:
    def __init__(self) -> None:
        self.options: dict[str, dict] = {}

    def addoption(self, name, **kw) -> None:
        self.options[name] = kw


class _Parser:
    def __init__(self) -> None:
        self.group = _Group()

    def getgroup(self, *args, **kw) -> _Group:
        return self.group


def _plugin_defaults() -> dict:
    from simulator import pytest_plugin
    parser = _Parser()
    pytest_plugin.pytest_addoption(parser)
    return {name: kw.get("default") for name, kw in parser.group.options.items()}


def test_pytest_plugin_reads_ajio_sim_url_and_admin_token(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_URL", "http://sim:8080")
    monkeypatch.setenv("AJIO_SIM_ADMIN_TOKEN", "t0k")
    defaults = _plugin_defaults()
    assert defaults["--ajio-sim-url"] == "http://sim:8080" and defaults["--ajio-sim-admin-token"] == "t0k"


def test_pytest_plugin_reads_the_deprecated_url_with_a_warning(monkeypatch):
    monkeypatch.setenv("AJIO_SIM_BASE_URL", "http://old:8080")
    with pytest.warns(FutureWarning, match="AJIO_SIM_BASE_URL is deprecated, set AJIO_SIM_URL instead"):
        defaults = _plugin_defaults()
    assert defaults["--ajio-sim-url"] == "http://old:8080"
