"""Shared fixtures: an in-process app on a frozen clock, and a real server process for e2e tests."""
from __future__ import annotations

import pytest

from fixtures.simclient import T0, FlaskTransport, HttpTransport, ServerProcess, Sim
from simulator.app import create_app
from simulator.store import Store


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
