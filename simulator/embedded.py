"""A real simulator in this process: a threaded werkzeug server around a fresh in-memory app, on a free port.

The harness runs one per scenario (the simulated clock belongs to a whole server) and tests use it to
drive the simulator over HTTP; it is, with simulator/client.py, what the harness may import of the
simulator (import-linter contract in pyproject.toml)."""
from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from simulator.app import create_app


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the journal is the request log
        pass


class InProcessServer:
    """A real HTTP server (werkzeug, threaded) around a fresh in-memory simulator, on a free port.

    One per scenario by default: the simulated clock belongs to the whole server, so a scenario that
    advances it can only be isolated from the others by having a clock of its own."""

    def __init__(self, *, seed: int, start: int, po_lag: int | None = None, extra: dict | None = None,
                 erp_delivery: bool = False) -> None:
        config: dict[str, Any] = {"db_url": "sqlite://", "seed": seed, "frozen_at": start}
        if po_lag is not None:
            config["po_lag"] = po_lag
        if extra:
            config["extra"] = dict(extra)
        self.app = create_app(config)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=_Quiet)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="ajio-sim-server", daemon=True)
        self.thread.start()
        # VMS sellers' ERP postings go out as `ajio-sim serve` sends them: a background sender, retries
        # due in simulated time (simulator/erp_delivery.py).
        self.delivery = None
        if erp_delivery:
            from simulator.erp_delivery import DeliveryWorker
            self.delivery = DeliveryWorker(self.app.extensions["ajio_sim"], interval=0.1).start()

    def stop(self) -> None:
        if self.delivery is not None:
            self.delivery.stop()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
