"""Loopback HTTP servers for tests and benchmarks: a handler class served on 127.0.0.1 on a free
port, and ``trickle``, a reply that never finishes in time (for timeouts that bound the whole wait)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 in a thread; yields ``http://127.0.0.1:PORT``; stopped on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def trickle(handler: BaseHTTPRequestHandler, pause: float) -> None:
    """Answer 200 with a promised 1,000-byte body sent one space every ``pause`` seconds (40 at
    most): each read is quick, the whole reply is not. Stops when the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(40):
        try:
            handler.wfile.write(b" ")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(pause)
