"""The preview's HTTP server: the standard library's ``ThreadingHTTPServer``, for this computer only.

Safety, request by request:

- the ``Host`` header must name this server (``localhost``, a loopback address or the one it listens on), so a web page
  whose domain is made to point here (DNS rebinding) gets nothing; a ``POST`` must carry the
  token of the form it came from (CSRF) and, when the browser says where it comes from
  (``Origin``), come from this server; a body is at most :data:`MAX_BODY` bytes;
- nothing the browser sends becomes a path: a site file is served only when the last build
  wrote it (looked up in its list of files), a line's form only for a line of the rubric, a
  content file only when it is one of the project's (:func:`kaohe.actions.fmt.all_content_files`);
- every response says ``Cache-Control: no-store`` and ``X-Content-Type-Options: nosniff``; the
  site's pages keep their own Content-Security-Policy and get the same one as a header, with
  ``frame-ancestors 'none'``; the reload script added to them is a file of this server (``'self'``).

While the content has errors, every page of the site is replaced by the errors page.
"""

from __future__ import annotations

import hmac
import importlib
import ipaddress
import mimetypes
import secrets
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from kaohe.actions.fmt import all_content_files
from kaohe.actions.serve import pages
from kaohe.actions.serve.form import FormOutcome, line_form, lines_of, submit
from kaohe.actions.serve.preview import CONTENT_DIR, Preview
from kaohe.actions.serve.watch import ContentWatcher
from kaohe.render.vocab import PREVIEW_WORDS

MAX_BODY = 256 * 1024  # a form holds one entry: far less
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)
OWN_FILES = {pages.RELOAD_JS: "reload.js", pages.FORM_JS: "form.js", pages.STYLESHEET: "serve.css"}
HTML = "text/html; charset=utf-8"
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": HTML,
    ".json": "application/json",
}


def is_local_host(host_header: str, bound: str = "127.0.0.1") -> bool:
    """Whether a ``Host`` header (``127.0.0.1:8000``, ``[::1]:8000``, ``localhost``) names this server.

    Accepted: ``localhost``, a loopback address, the address the server listens on, and, when it
    listens on every address (``--host 0.0.0.0``), any IP address. A name other than ``localhost``
    may be made to resolve here (DNS rebinding) and is refused.
    """
    name = host_name(host_header)
    if name.lower() == "localhost":
        return True
    address, listening = ip_address(name), ip_address(bound)
    if address is None:
        return False
    return address.is_loopback or address == listening or (listening is not None and listening.is_unspecified)


def ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:  # a name
        return None


def host_name(host_header: str) -> str:
    """The name or address in a ``Host`` header, without its port and brackets."""
    host = host_header.strip()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class PreviewServer(ThreadingHTTPServer):
    """Serves ``output/`` and the preview's pages for one project."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], preview: Preview, templates_dir: Path) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, PreviewHandler)
        self.bound = address[0]
        self.preview = preview
        self.templates_dir = templates_dir
        self.token = secrets.token_urlsafe(32)
        self.writing = threading.Lock()  # one entry appended at a time

    @property
    def url(self) -> str:
        host, port = self.server_address[0], self.server_address[1]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://[{name}]:{port}/" if ":" in name else f"http://{name}:{port}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "kaohe-serve"

    def log_message(self, format: str, *args: Any) -> None:  # a request a second (the reload poll): not logged
        return

    # --- answering ------------------------------------------------------------------

    def answer(
        self, status: HTTPStatus, body: bytes, content_type: str = HTML, headers: Mapping[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "same-origin")  # so a form sent from here says Origin
        if content_type == HTML:
            self.send_header("Content-Security-Policy", CSP)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def refuse(self, status: HTTPStatus, why: str) -> None:
        self.answer(status, f"{why}\n".encode(), "text/plain; charset=utf-8")

    def redirect(self, location: str, status: HTTPStatus = HTTPStatus.FOUND) -> None:
        self.answer(status, b"", "text/plain; charset=utf-8", {"Location": location})

    def page(self, body: bytes, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.answer(status, body)

    @property
    def generation(self) -> int:
        return self.server.preview.snapshot.generation

    def not_found(self) -> None:
        templates = self.server.templates_dir
        self.page(pages.message_page(templates, self.generation, PREVIEW_WORDS["not_found"]), HTTPStatus.NOT_FOUND)

    # --- requests -------------------------------------------------------------------

    def guarded(self) -> bool:
        """Refuse a request whose Host is not this computer; whether it may go on."""
        host = self.headers.get("Host", "")
        if not is_local_host(host, self.server.bound):
            self.refuse(HTTPStatus.FORBIDDEN, f"refused: Host '{host}' is not this computer")
            return False
        return True

    def do_GET(self) -> None:
        if self.guarded():
            self.route_get(urlsplit(self.path))

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        if not self.guarded():
            return
        origin = self.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != self.headers.get("Host", ""):
            self.refuse(HTTPStatus.FORBIDDEN, "refused: the form was not sent from this preview")
            return
        values = self.form_values()
        if values is None:
            return
        if not hmac.compare_digest(values.get("csrf", "").encode(), self.server.token.encode()):
            self.refuse(HTTPStatus.FORBIDDEN, "refused: no valid form token (reload the form and send it again)")
            return
        self.route_post(unquote(urlsplit(self.path).path), values)

    def form_values(self) -> dict[str, str] | None:
        """The POSTed form's fields (the first value of each), or ``None`` once refused."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"refused: a form of at most {MAX_BODY} bytes")
            return None
        body = self.rfile.read(length).decode("utf-8", "replace")
        return {name: found[0] for name, found in parse_qs(body, keep_blank_values=True).items()}

    def route_get(self, url: SplitResult) -> None:
        path = unquote(url.path)
        routes: dict[str, Callable[[], None]] = {
            "/": lambda: self.redirect(pages.SITE_HOME),
            pages.GENERATION_JS: lambda: self.answer(
                HTTPStatus.OK, f"kaoheGeneration({self.generation});\n".encode(), TYPES[".js"]
            ),
            pages.NEW_ENTRY: self.lines_page,
            pages.SOURCE: lambda: self.source_page(parse_qs(url.query).get("file", [""])[0]),
        }
        if path in routes:
            routes[path]()
        elif path in OWN_FILES:
            name = OWN_FILES[path]
            own = (self.server.templates_dir / "serve" / name).read_bytes()
            self.answer(HTTPStatus.OK, own, TYPES[Path(name).suffix])
        elif path.startswith(pages.NEW_ENTRY + "/"):
            self.form_page(path.removeprefix(pages.NEW_ENTRY + "/"))
        else:
            self.output_file(path)

    def route_post(self, path: str, values: Mapping[str, str]) -> None:
        prefix = pages.NEW_ENTRY + "/"
        form = line_form(self.server.preview.root, path.removeprefix(prefix)) if path.startswith(prefix) else None
        if form is None:
            self.not_found()
            return
        with self.server.writing:
            outcome = submit(self.server.preview.root, form, values, commit=values.get("commit") == "1")
        if outcome.written and not (self.server.preview.quiet and not outcome.commit_error):
            self.server.preview.notify(written_line(form.line.id, outcome))
        ledger_url = ""
        if outcome.written:
            built = self.server.preview.rebuild()
            ledger_url = pages.ledger_page_url(form.line.id, values.get("date", "").strip(), built.files)
        if outcome.written and not outcome.commit_error and not outcome.warnings:
            self.redirect(ledger_url, HTTPStatus.SEE_OTHER)
            return
        status = HTTPStatus.OK if outcome.ok else HTTPStatus.UNPROCESSABLE_ENTITY
        body = pages.form_page(self.server.templates_dir, self.generation, form, self.server.token, outcome, ledger_url)
        self.page(body, status)

    # --- pages ----------------------------------------------------------------------

    def lines_page(self) -> None:
        lines = lines_of(self.server.preview.root)
        self.page(pages.lines_page(self.server.templates_dir, self.generation, lines))

    def form_page(self, line_id: str) -> None:
        form = line_form(self.server.preview.root, line_id)  # the id is only looked up among the rubric's lines
        if form is None:
            self.not_found()
            return
        self.page(pages.form_page(self.server.templates_dir, self.generation, form, self.server.token))

    def source_page(self, relpath: str) -> None:
        root = self.server.preview.root
        if relpath not in all_content_files(root):  # looked up, never opened as given
            self.not_found()
            return
        self.page(pages.source_page(self.server.templates_dir, root, self.generation, relpath))

    def output_file(self, path: str) -> None:
        """A file the last build wrote; the errors page instead of any page while the content has errors."""
        wanted = path.lstrip("/")
        if wanted == "" or wanted.endswith("/"):
            wanted += "index.html"
        snapshot = self.server.preview.snapshot
        if not snapshot.ok and wanted.endswith(".html"):
            errors = pages.errors_page(
                self.server.templates_dir,
                self.server.preview.root,
                snapshot.generation,
                snapshot.diagnostics,
                snapshot.error,
            )
            self.page(errors)
            return
        if wanted not in snapshot.files:
            self.not_found()
            return
        body = (self.server.preview.root / "output" / wanted).read_bytes()
        suffix = Path(wanted).suffix
        if suffix == ".html":
            body = with_preview_script(body, snapshot.generation)
        kind = TYPES.get(suffix) or mimetypes.guess_type(wanted)[0] or "application/octet-stream"
        self.answer(HTTPStatus.OK, body, kind)


def with_preview_script(page: bytes, generation: int) -> bytes:
    """A site page with the preview's stylesheet and reload script added before ``</head>``."""
    words = PREVIEW_WORDS
    added = (
        f'<link rel="stylesheet" href="{pages.STYLESHEET}">'
        f'<script src="{pages.RELOAD_JS}" data-generation="{generation}" '
        f'data-new-href="{pages.NEW_ENTRY}" data-new-label="{words["new_entry"]}" defer></script>'
    ).encode()
    head_end = page.find(b"</head>")
    return page if head_end < 0 else page[:head_end] + added + page[head_end:]


def written_line(line_id: str, outcome: FormOutcome) -> str:
    done = f"serve: an entry added to {CONTENT_DIR}/ledgers/{line_id}.yaml"
    if outcome.committed:
        return f"{done} and committed ({outcome.committed})"
    return f"{done}; not committed: {outcome.commit_error}" if outcome.commit_error else done


# --- running ----------------------------------------------------------------------------


@dataclass
class Running:
    """A preview that is serving: its server (not yet looping), watcher and state."""

    server: PreviewServer
    watcher: ContentWatcher
    preview: Preview

    def close(self) -> None:
        self.watcher.stop()
        self.server.server_close()


def start(
    root: Path,
    templates_dir: Path,
    host: str,
    port: int,
    with_pdfs: bool,
    notify: Callable[[str], None],
    quiet: bool = False,
) -> Running:
    """Listen on ``host``:``port`` (0: any free port), build once, watch ``content/``; :class:`OSError` if it cannot listen."""
    if with_pdfs:  # WeasyPrint loaded before any thread runs: its import swaps process-wide names (stdout) a moment
        importlib.import_module("kaohe.render.pdf.loading")
    preview = Preview(root, templates_dir, with_pdfs, notify, quiet)
    server = PreviewServer((host, port), preview, templates_dir)
    try:
        preview.rebuild()
    except BaseException:
        server.server_close()
        raise
    watcher = ContentWatcher(root / CONTENT_DIR, preview.rebuild)
    watcher.start()
    return Running(server, watcher, preview)


@dataclass(frozen=True)
class ServeResult:
    """Where the preview was served, or why it could not start."""

    url: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "error": self.error}


def serve(
    root: Path,
    templates_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    with_pdfs: bool = False,
    notify: Callable[[str], None] = print,
    quiet: bool = False,
) -> ServeResult:
    """Serve the preview of the project at ``root`` until interrupted (Ctrl-C raises :class:`KeyboardInterrupt`).

    ``notify`` hears where it serves and every build and entry; with ``quiet`` only what went wrong.
    """
    try:
        running = start(root, templates_dir, host, port, with_pdfs, notify, quiet)
    except OSError as exc:
        return ServeResult(error=f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    url = running.server.url
    notify(f"serve: {url} ({PREVIEW_WORDS['new_entry']}: {url}{pages.NEW_ENTRY.lstrip('/')}); Ctrl-C stops")
    try:
        running.server.serve_forever(poll_interval=0.25)
    finally:
        running.close()
    return ServeResult(url)
