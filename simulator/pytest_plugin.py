"""pytest plugin (entry point `pytest11`): the AJIO simulator as a fixture, the way moto serves AWS.

Installed with ajio-sim, it is loaded by every pytest run in the environment but does nothing until a
test asks for one of its fixtures:

- `ajio_sim_server` (session): a real `ajio-sim serve` process on a free loopback port, its clock frozen
  (or the simulator at --ajio-sim-url). `.base_url` is what your connector talks to.
- `ajio_sim` (each test): a `SimClient` of that server after `POST /_sim/reset`, so every test starts
  from an empty world with the clock back at the frozen start instant.
- `ajio_sim_seller`: a factory; `ajio_sim_seller(model="ds", **settings)` creates a POB and answers its
  login (`pob_id`, `password`, `base_url`, `model`, ...), with `.place_orders(n)` to place orders for it,
  `.import_catalogue(products_or_path)` to list the seller's own SKUs instead of Faker's (JSON or CSV),
  `.publish(*skus)` and `.unpublish(*skus)`. `ajio_sim.set_timing(profile="realistic", ack_sla="24h", ...)`
  sets the timing profile and SLAs; `ajio_sim.delivery_attempt(order_id, reason)` fails a delivery.
- `ajio_sim_clock`: the simulated clock; `.now`, `.advance("4h")`, `.set(epoch)`, `.freeze()`.
- `ajio_sim_faults`: fault rules (/_sim/faults); `.add(effects, path=..., pob_id=..., times=...)`, `.list()`,
  `.clear()`; the world's reset clears them between tests.

Options (see `pytest --help`, group "ajio-sim"): --ajio-sim-url, --ajio-sim-frozen-at, --ajio-sim-seed,
--ajio-sim-admin-token.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

import pytest

# 2026-11-23 10:00 IST: the default frozen start instant, so a suite runs the same on every day.
DEFAULT_FROZEN_AT = 1795408200


def _deprecation(message: str) -> None:
    # A pytest-visible warning (in the run's warnings summary) rather than a line lost in captured output.
    import warnings
    warnings.warn(f"ajio-sim: {message}", FutureWarning, stacklevel=2)


def pytest_addoption(parser):
    group = parser.getgroup("ajio-sim", "AJIO simulator fixtures (ajio_sim, ajio_sim_seller, ajio_sim_clock, "
                                        "ajio_sim_faults)")
    from simulator.client import env_admin_token, env_sim_url
    group.addoption("--ajio-sim-url", default=env_sim_url(note=_deprecation),
                    help="use the simulator running at this URL instead of starting one (its world is reset "
                         "before every test that uses ajio_sim); default $AJIO_SIM_URL")
    group.addoption("--ajio-sim-frozen-at", default=str(DEFAULT_FROZEN_AT),
                    help="epoch at which the started simulator's clock is frozen, or 'real' for a running "
                         f"clock (default {DEFAULT_FROZEN_AT}, 2026-11-23 10:00 IST)")
    group.addoption("--ajio-sim-seed", type=int, default=1,
                    help="seed of the started simulator's ids and Faker data (default 1)")
    group.addoption("--ajio-sim-admin-token", default=env_admin_token(note=_deprecation),
                    help="admin token for --ajio-sim-url beyond loopback (default $AJIO_SIM_ADMIN_TOKEN)")


class SimServer:
    """A real `ajio-sim serve` child process on a free port (read from its banner)."""

    def __init__(self, *, frozen_at: str, seed: int, startup_timeout: float = 60) -> None:
        cmd = [sys.executable, "-m", "simulator", "serve", "--host", "127.0.0.1", "--port", "0",
               "--db", "sqlite://", "--seed", str(seed)]
        if frozen_at != "real":
            if not frozen_at.isdigit():
                raise pytest.UsageError(f"--ajio-sim-frozen-at must be an epoch or 'real', not {frozen_at!r}")
            cmd += ["--frozen-at", frozen_at]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("AJIO_SIM_ADMIN_TOKEN", None)  # loopback: no token
        self.output: list[str] = []
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(startup_timeout)
        line = first[0] if first else ""
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            self.stop()
            rest = self.proc.stdout.read() if self.proc.stdout else ""
            raise RuntimeError(f"ajio-sim did not start ({' '.join(cmd)}): {line!r} {rest[-2000:]!r}")
        self.base_url = match.group(1)
        self.admin_token = None
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class ExternalServer:
    def __init__(self, base_url: str, admin_token: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self.admin_token = admin_token

    def stop(self) -> None:
        pass


@pytest.fixture(scope="session")
def ajio_sim_server(request):
    """The simulator for this session: started on a free port, or the one at --ajio-sim-url."""
    url = request.config.getoption("ajio_sim_url")
    if url:
        server = ExternalServer(url, request.config.getoption("ajio_sim_admin_token"))
    else:
        server = SimServer(frozen_at=request.config.getoption("ajio_sim_frozen_at"),
                           seed=request.config.getoption("ajio_sim_seed"))
    yield server
    server.stop()


@pytest.fixture
def ajio_sim(ajio_sim_server):
    """A control-plane client of the simulator, on a fresh (reset) world."""
    from simulator.client import SimClient, Unreachable
    client = SimClient(ajio_sim_server.base_url, ajio_sim_server.admin_token)
    deadline = time.monotonic() + 30
    while True:  # a simulator given by URL may still be starting; a refusal (SimError) is not retried
        try:
            client.reset()
            break
        except Unreachable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield client
    client.session.close()


class Seller(dict):
    """A POB's login and settings (a dict), plus `base_url` and a helper to place its orders."""

    def __init__(self, client, data: dict) -> None:
        super().__init__(data)
        self._client = client
        self["base_url"] = client.base_url

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def place_orders(self, count: int = 1, **kw) -> list[str]:
        return self._client.create_orders(self["pob_id"], count, **kw)

    def import_catalogue(self, products, *, replace: bool = True) -> dict:
        """The seller's own listings (a list, or a .json / .csv file), on every Dropship and VMS POB of the seller."""
        return self._client.import_catalogue(products, pob_id=self["pob_id"], replace=replace)

    def publish(self, *skus: str) -> dict:
        return self._client.publish(list(skus), published=True, pob_id=self["pob_id"])

    def unpublish(self, *skus: str) -> dict:
        return self._client.publish(list(skus), published=False, pob_id=self["pob_id"])


@pytest.fixture
def ajio_sim_seller(ajio_sim):
    """Factory: `ajio_sim_seller(model="ds", **settings)` -> a new POB (login in `pob_id`/`password`)."""
    def make(model: str = "ds", **settings) -> Seller:
        return Seller(ajio_sim, ajio_sim.create_seller(model, **settings))
    return make


class Clock:
    """The simulated clock of the test's world."""

    def __init__(self, client) -> None:
        self._client = client

    @property
    def now(self) -> int:
        return self._client.clock()["now"]

    @property
    def frozen(self) -> bool:
        return self._client.clock()["frozen"]

    def advance(self, duration) -> int:
        """Move forward by seconds or a duration like '30m', '4h', '1d'; due timers fire. Answers the new now."""
        return self._client.advance(duration)["now"]

    def set(self, epoch: int) -> int:
        return self._client.set_clock(epoch)["now"]

    def freeze(self, frozen: bool = True) -> int:
        return self._client.freeze(frozen)["now"]


@pytest.fixture
def ajio_sim_clock(ajio_sim) -> Clock:
    return Clock(ajio_sim)


class Faults:
    """Fault rules of the test's world (POST/GET/DELETE /_sim/faults; docs/faults.md)."""

    def __init__(self, client) -> None:
        self._client = client

    def add(self, effects, *, times: int | None = None, probability: float | None = None, seed: int | None = None,
            name: str | None = None, **match) -> dict:
        """`effects`: one effect dict, a list of them, or a kind name ("reset"); `match` keys: method, path,
        path_regex, model, pob_id. Answers the rule with its id."""
        if isinstance(effects, str):
            effects = [{"kind": effects}]
        elif isinstance(effects, dict):
            effects = [effects]
        rule = {"match": match, "effects": list(effects)}
        rule.update({k: v for k, v in {"times": times, "probability": probability, "seed": seed,
                                       "name": name}.items() if v is not None})
        return self._client.add_fault(rule)

    def list(self) -> list[dict]:
        return self._client.faults()

    def clear(self, rule_id: int | None = None) -> int:
        return self._client.clear_faults(rule_id)


@pytest.fixture
def ajio_sim_faults(ajio_sim) -> Faults:
    return Faults(ajio_sim)
