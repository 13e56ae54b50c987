"""Headless Chromium over the DevTools protocol: open a page, record console errors and requests, print a PDF.

The protocol (rather than `--print-to-pdf`) gives page numbers in the footer and lets a test see
every request the page makes; the browser runs with a throw-away profile and no background traffic.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect
from websockets.sync.connection import Connection

from council.settings import Settings

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--remote-debugging-port=0",
)
LOCAL_SCHEMES = ("file:", "data:", "about:")
START_TIMEOUT_S, CALL_TIMEOUT_S = 20.0, 60.0


def find_chromium() -> str | None:
    """The browser to render with: COUNCIL_CHROMIUM if set, else the first Chromium on PATH."""
    named = Settings.from_env().chromium
    if named:
        return shutil.which(named)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


@dataclass
class PageReport:
    """What happened while a page loaded: console errors, exceptions and every URL it asked for."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    @property
    def external_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


class Session:
    """One page target of a running browser, driven over the flattened DevTools protocol."""

    def __init__(self, socket: Connection, session_id: str) -> None:
        self.socket, self.session_id, self.ids = socket, session_id, itertools.count(1)
        self.report = PageReport()

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer, recording events that arrive meanwhile."""
        ident = next(self.ids) + 1000
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params, "sessionId": self.session_id}))
        return self.wait(lambda m: m.get("id") == ident).get("result", {})

    def wait(self, done: Any, timeout: float = CALL_TIMEOUT_S) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0.1)))
            self._record(message)
            if "error" in message and message.get("id"):
                raise RuntimeError(f"DevTools error: {message['error']}")
            if done(message):
                return message

    def _record(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            self.report.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            self.report.errors.append(str(params["exceptionDetails"].get("text")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.report.errors.append(" ".join(str(a.get("value")) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.report.errors.append(str(params["entry"].get("text")))

    def open(self, path: Path) -> PageReport:
        """Load a local file and wait for its load event."""
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait(lambda m: m.get("method") == "Page.loadEventFired")
        return self.report

    def pdf(self, footer: str, header: str = "<span></span>") -> bytes:
        """A4 PDF with the page's own @page size and margins, `header` and `footer` on every page."""
        result = self.call(
            "Page.printToPDF",
            printBackground=True,
            preferCSSPageSize=True,
            displayHeaderFooter=True,
            headerTemplate=header,
            footerTemplate=footer,
        )
        return base64.b64decode(result["data"])

    def screenshot(self, width: int, height: int, full_page: bool = False) -> bytes:
        """PNG of the page laid out `width` CSS pixels wide."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        return base64.b64decode(
            self.call("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)["data"]
        )


def _devtools_url(profile: Path, process: subprocess.Popen[bytes]) -> str:
    """Chromium writes its port and browser path into the profile once it listens."""
    port_file, deadline = profile / "DevToolsActivePort", time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if port_file.exists() and len(lines := port_file.read_text().split()) >= 2:
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise RuntimeError("headless Chromium did not start")


@contextmanager
def browser_page(executable: str | None = None) -> Iterator[Session]:
    """A fresh headless browser with one blank page; closed (and its profile removed) on exit."""
    binary = executable or find_chromium()
    if binary is None:
        raise FileNotFoundError("no Chromium found")
    # Chromium's helper processes may still be writing the profile as it exits: a leftover is not an error.
    with tempfile.TemporaryDirectory(prefix="council-chromium-", ignore_cleanup_errors=True) as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with connect(_devtools_url(Path(profile), process), max_size=None, open_timeout=START_TIMEOUT_S) as socket:
                socket.send(json.dumps({"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}}))
                target = _reply(socket, 1)["targetId"]
                socket.send(
                    json.dumps(
                        {"id": 2, "method": "Target.attachToTarget", "params": {"targetId": target, "flatten": True}}
                    )
                )
                yield Session(socket, _reply(socket, 2)["sessionId"])
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _reply(socket: Connection, ident: int) -> dict[str, Any]:
    while True:
        message = json.loads(socket.recv(timeout=CALL_TIMEOUT_S))
        if message.get("id") == ident:
            return message["result"]
