"""`ajio-sim serve --throttle on`: the real server answers 429 with Retry-After once a POB's bucket is empty."""
from __future__ import annotations

import pytest

from fixtures.simclient import HttpTransport, ServerProcess, Sim

pytestmark = pytest.mark.e2e


def test_serve_throttle_option_limits_a_burst(tmp_path):
    db = tmp_path / "sim.sqlite3"
    first = ServerProcess(db, "--throttle", "strict")  # leaves a knob in the store ...
    Sim(HttpTransport(first.base_url)).control("PUT", "/throttle", {"limits": {"read": {"rate": 9, "burst": 9}}},
                                               expect=200)
    first.stop()
    server = ServerProcess(db, "--throttle", "on", "--throttle-limit", "read=1/2")  # ... the options win
    try:
        sim = Sim(HttpTransport(server.base_url))
        settings = sim.control("GET", "/throttle", expect=200).json
        assert settings["mode"] == "on" and settings["limits"]["read"] == {"rate": 1.0, "burst": 2}
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
    assert "--throttle {off,on,strict}" in out and "simulated time" in out and "GROUP=RATE/BURST" in out


@pytest.mark.parametrize("bad", ["write", "write=1", "bulk=1/5", "write=0/5", "write=1/0", "write=a/5"])
def test_serve_refuses_a_bad_throttle_limit(bad):
    import subprocess

    from fixtures.simclient import ajio_sim_binary
    done = subprocess.run([ajio_sim_binary(), "serve", "--throttle-limit", bad], capture_output=True, text=True)
    assert done.returncode == 2
    assert "GROUP=RATE/BURST" in done.stderr or "GROUP is one of" in done.stderr
