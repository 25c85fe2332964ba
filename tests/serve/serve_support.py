"""A preview of a copy of the sample year, served from a thread on a free port, and a plain HTTP client."""

from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from kaohe.actions.serve.server import Running, start

TOOL_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = TOOL_ROOT / "templates"
PARTY = "content/ledgers/party.yaml"


@dataclass
class Served:
    """A running preview: its project folder, its URL and its state."""

    root: Path
    url: str
    running: Running

    @property
    def address(self) -> tuple[str, int]:
        split = urlsplit(self.url)
        assert split.hostname is not None and split.port is not None
        return split.hostname, split.port

    def ledger(self, relpath: str = PARTY) -> bytes:
        return (self.root / relpath).read_bytes()

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        """One request with ``http.client`` (which sends exactly the Host it is told); status, headers, text."""
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        data = urlencode(body).encode() if body is not None else None
        sent = {"Content-Type": "application/x-www-form-urlencoded"} if data is not None else {}
        try:
            connection.request(method, path, body=data, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def announce_body(self, path: str, length: int) -> int:
        """A POST whose headers say ``length`` bytes follow, none sent: the status the server answers at once."""
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Type", "application/x-www-form-urlencoded")
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            return connection.getresponse().status
        finally:
            connection.close()

    def form_token(self, line: str = "party") -> str:
        _status, _headers, page = self.request("GET", f"/_kaohe/new/{line}")
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found is not None, page
        return found.group(1)

    def wait_for_build(self, after: int, ok: bool, seconds: float = 90) -> None:
        """Until a build newer than generation ``after`` is done, with (``ok=False``) or without content errors."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            snapshot = self.running.preview.snapshot
            if snapshot.generation > after and snapshot.ok == ok:
                return
            time.sleep(0.1)
        raise AssertionError(f"no build after generation {after} within {seconds} s")


def serve_in_thread(root: Path) -> tuple[Served, threading.Thread]:
    running = start(root, TEMPLATES_DIR, "127.0.0.1", 0, with_pdfs=False, notify=lambda message: None)
    thread = threading.Thread(target=running.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return Served(root, running.server.url, running), thread
