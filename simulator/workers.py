"""`serve --workers N`: N gunicorn worker processes on one shared store, each serving with waitress.

gunicorn's arbiter owns the processes (the app built once and forked, a dead worker replaced, a hung
one killed, SIGTERM/SIGINT); inside each worker waitress serves: its I/O thread reads every request
whole (headers and body) before a thread of the worker's pool runs the app, so connections that send
nothing, or half a body, cost a socket and a buffer, never a thread. gunicorn's own sync worker held
one connection per process until it was complete, so four idle connections stopped `--workers 4`.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable

from gunicorn.workers.base import Worker

# Threads per worker process running requests; idle or slow clients use none of them (waitress's I/O
# thread holds them until whole), and a request waiting on real time adds one for its wait (RunLock).
THREADS = 1
# waitress refuses, unread and in its own plain-text 413, a body this many times over the app's limit;
# between the limit and this cap the app reads it and answers AJIO's JSON 413 (journaled).
BODY_CAP_FACTOR = 8


class RunLock:
    """One request at a time runs the app in this worker process; one waiting on real time lets the next run.

    Several request threads per process spent their time handing the GIL around: a cached GET of
    pendency served 617-705 rps with waitress's 4 threads against 1,454-1,564 with one, and 2 threads
    taking turns still only ~0.6 of bare Flask (benchmarks/README.md, issue 22). So a worker runs one
    request thread; a request that waits on real time (a latency fault, a call to a seller's ERP:
    `simulator.waiting.waiting()`) gives up its turn and adds a thread to waitress's pool for the
    length of its wait, so the worker's other requests are not held up. Never paused inside a store
    transaction: the next request could wait on its lock."""

    def __init__(self, base_threads: int = THREADS) -> None:
        self._lock = threading.Lock()
        self._mine = threading.local()
        self._base = base_threads
        self._waiting = 0
        self._count_lock = threading.Lock()
        self.dispatcher = None  # waitress's task dispatcher, once the server exists

    def _threads_for_waiters(self, change: int) -> None:
        with self._count_lock:
            self._waiting += change
            if self.dispatcher is not None:
                self.dispatcher.set_thread_count(self._base + self._waiting)

    def wrap(self, app):
        def run(environ, start_response):
            self._lock.acquire()
            self._mine.held = True
            try:
                return app(environ, start_response)
            finally:
                self._mine.held = False
                self._lock.release()
        return run

    @contextmanager
    def pause(self):
        if not getattr(self._mine, "held", False):  # not a request's thread (the ERP sender)
            yield
            return
        self._threads_for_waiters(+1)
        self._mine.held = False
        self._lock.release()
        try:
            yield
        finally:
            self._lock.acquire()
            self._mine.held = True
            self._threads_for_waiters(-1)


def check_shared_store(db_url: str, workers: int) -> str | None:
    """Why these workers could not act as one simulator, or None when they can."""
    if workers > 1 and db_url in ("sqlite://", "sqlite:///:memory:"):
        return ("--workers > 1 needs a store the workers share: a file SQLite (sqlite:///path) or "
                "PostgreSQL (postgresql://...); an in-memory SQLite exists once per process")
    return None


def _flush(channel) -> None:
    """Send what the app has written so far, now (waitress sends from its I/O thread, later)."""
    with channel.outbuf_lock:
        while channel.total_outbufs_len and channel._flush_some():
            pass


def _aborting_channel(base, on_abort):
    """waitress's channel, telling `on_abort` of a request whose client went away before it was whole,
    and handing the app its socket as werkzeug does (the faults layer resets or cuts it: faults/wire.py)."""
    from waitress.task import WSGITask

    class Task(WSGITask):
        def get_environment(self):
            environ = super().get_environment()
            channel = self.channel
            environ["ajio_sim.socket"] = channel.socket
            environ["ajio_sim.flush"] = lambda _kept: _flush(channel)  # bytes kept by a truncation go out before the cut
            return environ

    class Channel(base):
        task_class = Task

        def handle_close(self):
            partial, self.request = self.request, None
            if partial is not None and partial.headers_finished and not partial.completed and not partial.error:
                try:
                    on_abort(partial)
                except Exception:  # never let the journal's trouble take the I/O loop down
                    logging.getLogger(__name__).exception("could not journal an aborted request")
            super().handle_close()

    return Channel


class WaitressWorker(Worker):
    """A gunicorn worker whose requests are read by waitress's I/O loop and run by its thread pool."""

    def handle_exit(self, sig, frame):  # SIGTERM: waitress's run() catches SystemExit and closes down
        self.alive = False
        sys.exit(0)

    def _heartbeat(self) -> None:
        # The arbiter kills a worker that stops notifying; waitress's loop has no hook, so a thread beats.
        while self.alive:
            self.notify()
            if self.ppid != os.getppid():  # the master died: go too
                self.alive = False
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(1.0)

    def run(self) -> None:
        from waitress.server import BaseWSGIServer, create_server

        from simulator import waiting

        app = self.wsgi  # the Flask app the master built (preload_app)
        limit = app.config.get("MAX_CONTENT_LENGTH") or 1024 * 1024
        channel_map: dict = {}
        turns = RunLock()
        waiting.install(turns.pause)
        server = create_server(turns.wrap(self.wsgi), map=channel_map, sockets=[s.sock for s in self.sockets],
                               threads=THREADS, max_request_body_size=limit * BODY_CAP_FACTOR,
                               asyncore_use_poll=True, clear_untrusted_proxy_headers=True, ident="ajio-sim")
        turns.dispatcher = server.task_dispatcher
        on_abort = app.extensions.get("ajio_sim_aborted") or (lambda partial: None)
        for dispatcher in list(channel_map.values()):
            if isinstance(dispatcher, BaseWSGIServer):
                dispatcher.channel_class = _aborting_channel(dispatcher.channel_class, on_abort)
        threading.Thread(target=self._heartbeat, name="gunicorn-heartbeat", daemon=True).start()
        server.run()


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
        "worker_class": WaitressWorker,
        "threads": THREADS,
        "preload_app": True,
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_fork": post_fork,
        "when_ready": when_ready,
    }
    # waitress warns on every queued task under load ("Task queue depth"): queueing is expected here.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    class _Gunicorn(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    _Gunicorn().run()
    return 0
