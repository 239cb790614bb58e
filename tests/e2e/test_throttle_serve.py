"""`ajio-sim serve --throttle on`: the real server answers 429 with Retry-After once a POB's bucket is empty."""
from __future__ import annotations

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim

pytestmark = pytest.mark.e2e


def test_serve_throttle_option_limits_a_burst(tmp_path):
    server = ServerProcess(tmp_path / "sim.sqlite3", "--throttle", "on")
    try:
        sim = Sim(HttpTransport(server.base_url))
        assert sim.control("GET", "/throttle", expect=200).json["mode"] == "on"
        sim.control("PUT", "/throttle", {"limits": {"read": {"rate": 1, "burst": 2}}}, expect=200)
        pob = sim.seller()
        token = sim.login(pob)
        answers = [sim.ds("GET", "/products", token) for _ in range(3)]
        assert [r.status for r in answers] == [200, 200, 429]
        assert answers[2].headers["Retry-After"] == "1" and answers[2].headers["X-RateLimit-Limit"] == "2"
        sim.advance(1)
        assert sim.ds("GET", "/products", token).status == 200
    finally:
        server.stop()


def test_serve_help_documents_throttle():
    import subprocess
    from fixtures.simclient import ajio_sim_binary
    out = subprocess.run([ajio_sim_binary(), "serve", "--help"], capture_output=True, text=True, check=True).stdout
    assert "--throttle {off,on,strict}" in out and "simulated time" in out
