"""Run the Streamlit app as a real server and drive Debian's Chromium with Playwright; wait for
any local server (the app, ``chroma run``) to answer.

Shared by the tests (conftest's fixtures, tests/test_browser.py) and benchmarks/app.py and
benchmarks/scale.py. Chromium comes from the system package
(``apt-get install -y chromium``); ``playwright install`` is never needed or run.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "streamlit_app.py"
CHROMIUM = Path("/usr/bin/chromium")
#: Headless, no sandbox (containers), and no lookups of outside hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the process that started us dies (Linux), so a killed
    test run leaves no server behind."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen[Any], log: Path, timeout: float) -> None:
    """Return once ``url`` answers 200 (no proxy: loopback only).

    Raises:
        RuntimeError: ``process`` exited first. TimeoutError: no answer in ``timeout`` seconds.
        Either message ends with the tail of ``log``.
    """
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            with no_proxy.open(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url}: no answer in {timeout:g} s: {log.read_text()[-2000:]}")
        time.sleep(0.1)


class AppServer:
    """A ``streamlit run streamlit_app.py`` child process on 127.0.0.1."""

    def __init__(self, roles: Path, store: Path, log: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environment = {
            **os.environ,
            "LADDER_ROLES": str(roles),
            "LADDER_STORE": str(store),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        command = [
            sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.address", "127.0.0.1", "--server.port", str(self.port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ]
        self._log_file = log.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=REPO, env=environment, stdout=self._log_file, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def wait_healthy(self, timeout: float = 60) -> float:
        """Seconds until ``/_stcore/health`` answers (the script itself runs on first visit)."""
        wait_for_http(f"{self.url}/_stcore/health", self.process, self.log, timeout)
        return time.perf_counter() - self.started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log_file.close()


@contextmanager
def app_server(roles: Path, store: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[AppServer]:
    server = AppServer(roles, store, log, env)
    try:
        server.wait_healthy()
        yield server
    finally:
        server.stop()


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright (no downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
