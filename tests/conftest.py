"""Shared fixtures: an in-process app on a frozen clock, and a real server process for e2e tests."""
from __future__ import annotations

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
    if _runs_whole_suites(request.session, ACCEPTANCE_SUITES):
        loose = audit.always_present_optional()
        assert not loose, f"optional properties present in every answer of tests/api and tests/e2e: {loose}"


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
