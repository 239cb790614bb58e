"""A file SQLite store's WAL copied back into the database file by a background thread, not by a request.

SQLite's automatic checkpoint runs inside the commit that takes the write-ahead log past 1,000 pages:
that one commit copies the log's pages into the database file and, under `synchronous=NORMAL`, syncs
both files. Measured on a served cached GET (one connection, 2 workers), one journal write in about
460 took 7-56 ms instead of a tenth of a millisecond: the whole one-connection p99 (benchmarks/README.md,
issue 22). So each process's writers count their commits (the store's WriterLock calls `committed()`),
and after `EVERY` commits, or `TICK_S` after the last ones, a thread of that process runs a PASSIVE
checkpoint on a pooled connection: it waits for no reader or writer and none waits for it.

While writes keep coming, such a checkpoint never ends with the log wholly copied at the moment a writer
starts, so SQLite never starts the log over: request connections keep an automatic checkpoint at
`BACKSTOP_PAGES`, which then finds nearly every page already copied and restarts the log. The thread
ends after `IDLE_EXIT_S` without a commit and starts again with the next one, also in a forked worker
(which inherits this object, not its thread).
"""
from __future__ import annotations

import logging
import os
import threading
import time

log = logging.getLogger(__name__)

EVERY = 256  # commits between checkpoints while writes keep coming
TICK_S = 0.5  # a checkpoint at most this long after the last commit
IDLE_EXIT_S = 10.0  # the thread ends after this long without a commit
BACKSTOP_PAGES = 4_000  # request connections still checkpoint past this much log (~16 MB): see above
RETRY_AFTER_S = 30.0  # after a failed checkpoint thread, the automatic checkpoint alone this long


class Checkpointer:
    def __init__(self, connect) -> None:
        self._connect = connect  # a pooled DBAPI connection of the store (returned with close())
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._commits = 0
        self._running_in: int | None = None  # the pid whose thread is running, None when none is
        self._not_before = 0.0  # monotonic time before which no thread starts (after a failure)
        self.checkpoints = 0  # completed PASSIVE checkpoints in this process (tests, benchmarks)

    def committed(self) -> None:
        """A write transaction of this process ended; called with the writer lock still held."""
        with self._guard:
            self._commits += 1
            if self._running_in == os.getpid():
                if self._commits >= EVERY:
                    self._wake.set()
            elif time.monotonic() >= self._not_before:
                self._running_in = os.getpid()
                threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()

    def checkpoint(self) -> tuple:
        """One PASSIVE checkpoint now: SQLite's (busy, pages in the log, pages copied)."""
        fairy = self._connect()
        try:
            cursor = fairy.cursor()
            result = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            cursor.close()
        finally:
            fairy.close()
        self.checkpoints += 1
        return tuple(result)

    def _run(self) -> None:
        idle = 0.0
        try:
            while True:
                self._wake.wait(TICK_S)
                self._wake.clear()
                with self._guard:
                    pending, self._commits = self._commits, 0
                    if not pending:
                        idle += TICK_S
                        if idle >= IDLE_EXIT_S:
                            self._running_in = None  # under the guard: the next commit starts a thread
                            return
                        continue
                idle = 0.0
                self.checkpoint()
        except Exception:  # never silently, and not again at once: the automatic checkpoint still runs
            log.exception("background checkpoint failed; SQLite's automatic checkpoint alone for %.0f s",
                          RETRY_AFTER_S)
            with self._guard:
                self._running_in = None
                self._not_before = time.monotonic() + RETRY_AFTER_S
