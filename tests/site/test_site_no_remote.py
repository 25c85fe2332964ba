"""The site fetches nothing from outside: remote images in notes become links, and a CSP forbids the rest.

A listener on 127.0.0.1 stands for "the outside": the notes, the evidence and
the notice body point images, frames, styles, scripts and links at it. Every
page is opened in headless Chromium from disk (file://) and over http (the
site served from another port); the listener must never see a connection.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from site_support import html_pages, parse_html, render
from support import CHROMIUM, SMALL_RUBRIC, results_of, small_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)
CSP_HEADER = "Content-Security-Policy"
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


class Listener(ThreadingHTTPServer):
    """An HTTP server that counts every connection made to it (a preconnect counts too)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Answer)
        self.seen: list[str] = []

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.seen.append(f"connection from {client_address}")
        return True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Answer(BaseHTTPRequestHandler):
    """Answers anything with an empty 200, recording what was asked."""

    def answer(self) -> None:
        assert isinstance(self.server, Listener)
        self.server.seen.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_OPTIONS = answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(server: ThreadingHTTPServer) -> Iterator[None]:
    """Serve in a thread while the block runs."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def hostile_markdown(remote: str) -> str:
    """Every way we know for Markdown or raw HTML to make a page load something."""
    return f"""\
正常依据文字

![远程图片]({remote}/md-image.png "标题") ![引用图片][ref] [![图中链接]({remote}/nested.png)]({remote}/nested-link)

[ref]: {remote}/ref-image.png

[远程链接]({remote}/link) <{remote}/autolink> ![本地文件](file:///etc/passwd) ![相对](../x) [相对链接](../x)

<img src="{remote}/raw-img.png" alt="原始图片"><img srcset="{remote}/srcset.png 2x"><img src="file:///etc/passwd">

<iframe src="{remote}/iframe"></iframe><object data="{remote}/object"></object><embed src="{remote}/embed">

<link rel="stylesheet" href="{remote}/style.css"><link rel="prefetch" href="{remote}/prefetch">
<link rel="preconnect" href="{remote}"><link rel="dns-prefetch" href="{remote}">

<script src="{remote}/script.js"></script><style>@import url("{remote}/import.css");</style>

<video src="{remote}/video.mp4" poster="{remote}/poster.png"></video><audio src="{remote}/audio.mp3"></audio>

<svg><image href="{remote}/svg-image.png"/></svg><div style="background:url({remote}/style-attr.png)">样式</div>

<form action="{remote}/form"><input type="image" src="{remote}/input.png"></form>

<meta http-equiv="refresh" content="0;url={remote}/refresh"><base href="{remote}/">

<table background="{remote}/table.png"><tr><td background="{remote}/td.png">格</td></tr></table>
"""


def hostile_note(remote: str) -> str:
    return f'说明 ![图]({remote}/note.png) <img src="{remote}/note-raw.png"> [链]({remote}/note-link) ![x](../x)'


def notice_block(remote: str) -> str:
    body = json.dumps(hostile_markdown(remote), ensure_ascii=False)
    return (
        "notice:\n  issuers: [某街道工作委员会, 某街道办事处]\n  number: 某委通〔2008〕5号\n  date: 2008-08-01\n"
        f"  addressee: 各社区\n  title: 关于印发细则的通知\n  body: {body}\n"
    )


def hostile_project(remote: str) -> Any:
    note, evidence = (json.dumps(text, ensure_ascii=False) for text in (hostile_note(remote), hostile_markdown(remote)))
    entries = "\n".join(
        f"- {{date: 2008-03-0{n}, community: {cid}, rule: work.rules.judge, deduct: 0.5, "
        f"note: {note}, evidence: {evidence}}}"
        for n, cid in enumerate(("c1", "c2", "c3"), 1)
    )
    rubric = SMALL_RUBRIC.replace("title: 测试细则\n", "title: 测试细则\n" + notice_block(remote))
    return small_project(entries, **{"content/rubric.yaml": rubric})


@dataclass
class Built:
    out: Path
    listener: Listener
    site_base: str  # http://127.0.0.1:PORT, serving ``out``
    pages: list[Path] = field(default_factory=list)  # every HTML file of the build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    listener = Listener()
    with serve(listener):
        out = render(results_of(hostile_project(listener.base)), tmp_path_factory.mktemp("remote") / "out").parent
        files = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietFiles, directory=str(out)))
        with serve(files):
            base = f"http://127.0.0.1:{files.server_address[1]}"
            yield Built(out, listener, base, [out / "index.html", *html_pages(out / "site")])


def test_every_page_carries_the_csp_before_anything_it_loads(built: Built) -> None:
    for path in built.pages:
        tags = parse_html(path).tags
        csp = [i for i, t in enumerate(tags) if t.name == "meta" and t.attrs.get("http-equiv") == CSP_HEADER]
        assert len(csp) == 1, path
        assert tags[csp[0]].attrs["content"] == POLICY, path
        loads = [i for i, t in enumerate(tags) if t.name in ("link", "script", "img", "style", "iframe")]
        assert all(i > csp[0] for i in loads), path


def test_the_policy_allows_the_site_itself_only() -> None:
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    assert directives["default-src"] == "'none'"
    for sources in directives.values():
        assert not {"*", "http:", "https:", "'unsafe-inline'", "'unsafe-eval'"} & set(sources.split())


def test_no_remote_thing_is_left_in_the_html(built: Built) -> None:
    """Remote images became links; nothing but our own scripts, stylesheet and icon loads anything."""
    loaders = ("img", "iframe", "object", "embed", "video", "audio", "source", "image", "style", "base")
    for path in built.pages:
        page = parse_html(path)
        assert not [t for t in page.tags if t.name in loaders or t.attrs.get("type") == "image"], path
        assert not [t for t in page.tags if t.name == "link" and t.attrs.get("href", "").startswith("http")], path
        assert not [t for t in page.tags if "style" in t.attrs or "srcset" in t.attrs or "background" in t.attrs]
    community = parse_html(built.out / "site" / "communities" / "c1.html")
    links = {t.attrs.get("href") for t in community.tags if t.name == "a"}
    assert f"{built.listener.base}/md-image.png" in links  # a link the reader may follow, not a fetch
    assert "远程图片" in community.text and "正常依据文字" in community.text


class Watch:
    """What a page asked for, and every console error, page error and CSP violation."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed
        self.requests: list[str] = []
        self.problems: list[str] = []

    def attach(self, page: Page) -> Page:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self.console)
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        return page

    def console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    @property
    def foreign(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.allowed)]


def addresses(built: Built, over_http: bool) -> tuple[list[str], tuple[str, ...]]:
    """Every page's address, and the prefixes the site's own requests may have."""
    if over_http:
        urls = [f"{built.site_base}/{p.relative_to(built.out).as_posix()}" for p in built.pages]
        return urls, (f"{built.site_base}/", "data:")
    return [p.as_uri() for p in built.pages], (built.out.as_uri() + "/", "data:")


def open_all(browser: Browser, built: Built, over_http: bool) -> tuple[Page, Watch]:
    urls, allowed = addresses(built, over_http)
    watch = Watch(allowed)
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH_CSP)
    page = watch.attach(context.new_page())
    search = next(url for url in urls if url.endswith("site/search.html"))
    for url in [*urls, f"{search}?q=远程"]:  # a search loads the index's parts too
        page.goto(url, wait_until="load")
        if "/site/" not in url:  # output/index.html moves on to the site at once
            page.wait_for_url("**/site/index.html", wait_until="load")
        violations = page.evaluate("window.__csp")
        assert violations == [], (url, violations)
    page.wait_for_timeout(300)
    return page, watch


def check_the_site_works(page: Page, site_url: str) -> None:
    """Under the CSP the stylesheet applies, site.js runs and the search index loads."""
    page.goto(site_url + "index.html", wait_until="load")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    )
    assert page.locator("#ranking thead button").count() > 0
    page.goto(site_url + "search.html?q=社区", wait_until="load")
    page.wait_for_selector("#search-results li")


def check_the_csp_blocks_what_slips_through(page: Page, remote: str) -> None:
    """A remote image or fetch added by a script is refused by the CSP itself, not only by the sanitiser."""
    page.evaluate(
        f"""() => {{
            const image = new Image(); image.src = "{remote}/probe.png"; document.body.append(image);
            fetch("{remote}/probe-fetch").catch(() => null);
        }}"""
    )
    page.wait_for_timeout(500)
    blocked = " ".join(page.evaluate("window.__csp"))
    assert "img-src" in blocked and "connect-src" in blocked, blocked


@pytest.mark.parametrize("over_http", [False, True], ids=["file", "http"])
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh --dev installs it)")
def test_no_page_reaches_the_outside_from_disk_or_over_http(browser: Browser, built: Built, over_http: bool) -> None:
    page, watch = open_all(browser, built, over_http)
    site_url = f"{built.site_base}/site/" if over_http else (built.out / "site").as_uri() + "/"
    check_the_site_works(page, site_url)
    assert watch.problems == []
    assert watch.foreign == []
    check_the_csp_blocks_what_slips_through(page, built.listener.base)
    time.sleep(0.2)
    assert built.listener.seen == []
    page.context.close()
