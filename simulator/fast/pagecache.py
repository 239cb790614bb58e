"""Answers of unchanged read-only pages, kept per worker process.

Connectors poll GET pendency every few minutes and most polls find what the last one found. The store
keeps a version per (POB, status) that triggers on `orders` change in the same transaction as any
change to an order in that status (`order_versions`, simulator/store.py), and the request's first read
already brings the POB's pendency version along with its token (domain/sellers.py). A page answered
under a version is kept here with that version in its key; the next request that reads the same version
gets the same bytes without reading, decoding or dumping the page again. A change by any worker or host
changes the version, so nobody is served a page older than their request. Only 200 answers are kept;
errors are always computed. `page_cache=0` (`ajio-sim serve --page-cache 0`) turns it off.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Response, current_app


class PageCache:
    """A bounded LRU of answer bodies (bytes), safe under a threaded server."""

    def __init__(self, max_entries: int) -> None:
        if max_entries < 0:
            raise ValueError(f"page_cache must be 0 (off) or a number of pages (got {max_entries})")
        self.max_entries = max_entries
        self._pages: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: tuple, body: bytes) -> None:
        if not self.max_entries:
            return
        with self._lock:
            self._pages[key] = body
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_entries:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def answer(self, key: tuple, version, build):
        """The cached answer for `key` at `version`, or build() (a view's response) kept under it.

        `version` None (unknown: no orders yet, or timers fired after it was read) always builds."""
        if version is None or not self.max_entries:
            return build()
        full_key = (*key, version)
        body = self.get(full_key)
        if body is not None:
            return Response(body, status=200, mimetype="application/json")
        response = current_app.make_response(build())
        if response.status_code == 200 and response.mimetype == "application/json":
            self.put(full_key, response.get_data())
        return response


__all__ = ["PageCache"]
