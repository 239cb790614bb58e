"""`serve --workers N`: the app under gunicorn's pre-fork sync workers, all on one shared store."""
from __future__ import annotations

from typing import Callable


def check_shared_store(db_url: str, workers: int) -> str | None:
    """Why these workers could not act as one simulator, or None when they can."""
    if workers > 1 and db_url in ("sqlite://", "sqlite:///:memory:"):
        return ("--workers > 1 needs a store the workers share: a file SQLite (sqlite:///path) or "
                "PostgreSQL (postgresql://...); an in-memory SQLite exists once per process")
    return None


def serve_gunicorn(app, *, host: str, port: int, workers: int, on_ready: Callable[[int], None]) -> int:
    """Run gunicorn in this process (the master); returns when it shuts down.

    The app is built once in the master (schema, demo world) and forked into the workers; each
    worker drops the connections it inherited so no two processes share a database socket.
    """
    from gunicorn.app.base import BaseApplication

    sim = app.extensions["ajio_sim"]
    sim.store.engine.dispose()

    def post_fork(_server, _worker):
        sim.store.engine.dispose(close=False)
        # Each worker runs the ERP sender, as the one-process server does; claims are atomic in the
        # store, so each due posting is sent once whichever worker takes it (erp_delivery.py).
        from simulator.erp_delivery import DeliveryWorker
        DeliveryWorker(sim).start()

    def when_ready(server):
        on_ready(server.LISTENERS[0].sock.getsockname()[1])

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "preload_app": True,
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_fork": post_fork,
        "when_ready": when_ready,
    }

    class _Gunicorn(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    _Gunicorn().run()
    return 0
