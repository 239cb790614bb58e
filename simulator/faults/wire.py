"""Transport faults on the wire: a WSGI middleware that resets or cuts the client's TCP connection.

The Flask layer decides (it marks the WSGI environ); this layer acts on the socket werkzeug's
server puts in the environ (`werkzeug.socket`). To reset, it arms SO_LINGER with a zero timeout
and swaps the connection's file descriptor for one end of a dead socketpair (os.dup2): the kernel
closes the TCP socket at once and, with a zero linger, answers with RST; werkzeug goes on with a
descriptor that reads end-of-file, so it finishes the request quietly and never writes to a
descriptor number that another thread may have reused. A wire truncation sends the headers (with
the full Content-Length) and the first bytes, then closes the same way without the RST, so the
bytes already sent arrive and the client sees the connection end early.
Without a socket (Flask's test client) the same faults raise ConnectionResetError/ConnectionAbortedError
into the client, which is as close as an in-process call gets.
"""
from __future__ import annotations

import os
import socket
import struct

WIRE_KEY = "ajio_sim.wire_fault"


def cut(sock: socket.socket, *, reset: bool) -> None:
    if reset:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    dead, peer = socket.socketpair()
    peer.close()
    try:
        os.dup2(dead.fileno(), sock.fileno())
    except OSError:  # no descriptor swap on this platform: a plain close (FIN) is the best left
        sock.shutdown(socket.SHUT_RDWR)
    finally:
        dead.close()


def client_socket(environ) -> socket.socket | None:
    # werkzeug's development server and gunicorn hand the client socket to the app; under
    # `serve --workers N` simulator/workers.py hands waitress's.
    return environ.get("werkzeug.socket") or environ.get("gunicorn.socket") or environ.get("ajio_sim.socket")


class WireFaults:
    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        result = self.app(environ, start_response)
        action = environ.get(WIRE_KEY)
        if not action:
            return result
        sock = client_socket(environ)
        if action["kind"] == "reset":
            if hasattr(result, "close"):
                result.close()
            if sock is not None:
                cut(sock, reset=True)
            raise ConnectionResetError("ajio-sim fault: connection reset")
        return self._truncated(result, action["bytes"], sock, environ.get("ajio_sim.flush"))

    @staticmethod
    def _truncated(result, keep: int, sock, flush=None):
        try:
            data = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        yield data[:keep]
        if sock is not None:
            if flush is not None:  # a server that sends later (waitress, the in-process one): the kept bytes first
                flush(data[:keep])
            cut(sock, reset=False)
        raise ConnectionAbortedError("ajio-sim fault: connection closed before the whole body")
