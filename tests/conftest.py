"""Shared fixtures: an in-process app on a frozen clock, and a real server process for e2e tests."""
from __future__ import annotations

import json

import pytest

from fixtures import simclient
from fixtures.answer_check import AnswerAudit
from fixtures.simclient import T0, FlaskTransport, HttpTransport, ServerProcess, Sim
from simulator.app import create_app
from simulator.store import Store

# With every module of these suites in a session, the answers they received must show each optional
# property absent at least once (else it is always sent and belongs in `required`).
ACCEPTANCE_SUITES = ("api", "e2e")


@pytest.fixture(scope="session", autouse=True)
def answer_audit(request):
    """Every answer a test gets through the Sim transports is checked against its published schema."""
    audit = AnswerAudit()

    def observe(method, path, resp):
        problems = audit.problems(method, path, resp.status, resp.headers, resp.content)
        assert not problems, "an answer breaks its published schema:\n" + "\n".join(problems[:20])

    simclient.OBSERVERS.append(observe)
    yield audit
    simclient.OBSERVERS.remove(observe)
    whole = _runs_whole_suites(request.session, ACCEPTANCE_SUITES)
    if hasattr(request.config, "workeroutput"):
        # A pytest-xdist worker ran only part of the suites: the controller judges every worker's
        # counts together (pytest_testnodedown, pytest_sessionfinish below).
        request.config.workeroutput["answer_audit"] = json.dumps({"whole": whole, "seen": audit.export()})
        return
    if whole:
        loose = audit.always_present_optional()
        assert not loose, f"{LOOSE}: {loose}"


LOOSE = "optional properties present in every answer of tests/api and tests/e2e"
_WORKER_AUDITS: list[dict] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist's controller: keep each worker's answer counts (the answer_audit fixture's teardown)."""
    exported = getattr(node, "workeroutput", {}).get("answer_audit")
    if exported:
        _WORKER_AUDITS.append(json.loads(exported))


def pytest_sessionfinish(session, exitstatus):
    """Under xdist, the answer audit over all workers: what one process would have asserted."""
    if not _WORKER_AUDITS or not all(w["whole"] for w in _WORKER_AUDITS):
        return
    audit = AnswerAudit()
    for worker in _WORKER_AUDITS:
        audit.merge(worker["seen"])
    loose = audit.always_present_optional()
    if loose:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"FAILED answer audit: {LOOSE}: {loose}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _runs_whole_suites(session, suites) -> bool:
    """True when every test module of tests/<suite> is in this session (no -k, no single file)."""
    from pathlib import Path

    here = Path(__file__).parent
    wanted = {p.resolve() for suite in suites for p in (here / suite).glob("test_*.py")}
    ran = {Path(str(item.fspath)).resolve() for item in session.items}
    return bool(wanted) and wanted <= ran and not session.config.getoption("keyword") \
        and not session.config.getoption("markexpr")


@pytest.fixture
def store() -> Store:
    """A bare in-memory store with its schema, for tests below the HTTP layer."""
    s = Store("sqlite://")
    s.create_schema()
    return s


@pytest.fixture
def app():
    app = create_app({"db_url": "sqlite://", "seed": 7, "frozen_at": T0})
    # Every in-process test also proves the answers match their contract schemas key for key (api.common.respond).
    app.config["CONTRACT_STRICT"] = True
    return app


@pytest.fixture
def sim(app) -> Sim:
    return Sim(FlaskTransport(app.test_client()))


@pytest.fixture
def seller(sim):
    return sim.seller()


@pytest.fixture
def token(sim, seller):
    return sim.login(seller)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("e2e") / "sim.sqlite3")
    yield proc
    proc.stop()


@pytest.fixture
def live(server) -> Sim:
    """A Sim over HTTP against the real server; tests isolate themselves with fresh sellers."""
    return Sim(HttpTransport(server.base_url))


# -- both engines ------------------------------------------------------------------------------
# Store, concurrency, durability and isolation tests run on SQLite and on PostgreSQL. The server is
# AJIO_SIM_TEST_PG_URL when set, else a throwaway one started from the installed `postgresql`
# package. Without either, the PostgreSQL variants FAIL; AJIO_SIM_SKIP_PG=1 is the explicit,
# reported opt-out for a laptop without PostgreSQL.
ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_admin():
    import os

    from fixtures.pgserver import ENV_SKIP, ENV_URL, PgAdmin, ThrowawayPostgres, find_bindir
    url = os.environ.get(ENV_URL)
    if url:
        yield PgAdmin(url)
        return
    if os.environ.get(ENV_SKIP) == "1":
        pytest.skip(f"{ENV_SKIP}=1: PostgreSQL variants not run")
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(f"no PostgreSQL server: set {ENV_URL}, install the postgresql package "
                    f"(apt-get install postgresql), or opt out with {ENV_SKIP}=1", pytrace=False)
    server = ThrowawayPostgres(bindir).start()
    try:
        yield PgAdmin(server.url)
    finally:
        server.stop()


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path):
    """A fresh, empty store URL on each engine: a file SQLite (WAL) or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    admin = request.getfixturevalue("pg_admin")
    url = admin.fresh_database()
    yield url
    admin.drop_database(url)
