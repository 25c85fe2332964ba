"""The preview over plain HTTP: who is answered, what a POST needs, and that nothing sent becomes a path."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_support import PARTY, Served, serve_in_thread
from support import copy_project

from kaohe.actions.serve.pages import ledger_page_url
from kaohe.actions.serve.server import is_local_host

ENTRY = {
    "date": "2008-06-20",
    "community": "beimen",
    "cites": "party.org.democracy.system",
    "count": "2",
    "note": "不该记入的一条",
}


def test_a_request_naming_another_host_is_refused(served: Served) -> None:
    status, _headers, text = served.request("GET", "/site/index.html", headers={"Host": "kaohe.attacker.example"})
    assert status == 403 and "refused" in text


def test_a_request_naming_this_computer_is_answered(served: Served) -> None:
    for host in ("127.0.0.1", f"127.0.0.1:{served.address[1]}", f"localhost:{served.address[1]}"):
        status, _headers, _text = served.request("GET", "/site/index.html", headers={"Host": host})
        assert status == 200, host


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_post_without_the_forms_token_is_refused_and_writes_nothing(served: Served, token: str | None) -> None:
    before = served.ledger()
    body = ENTRY if token is None else {**ENTRY, "csrf": token}
    status, _headers, text = served.request("POST", "/_kaohe/new/party", body)
    assert status == 403 and "token" in text
    assert served.ledger() == before


def test_a_post_from_another_origin_is_refused_even_with_the_token(served: Served) -> None:
    before = served.ledger()
    body = {**ENTRY, "csrf": served.form_token()}
    status, _headers, _text = served.request("POST", "/_kaohe/new/party", body, {"Origin": "http://evil.example"})
    assert status == 403
    assert served.ledger() == before


@pytest.mark.parametrize(
    "path",
    [
        "/_kaohe/new/..%2F..%2Fcontent%2Frubric",  # not a line of the rubric
        "/_kaohe/new/nosuchline",
        "/site/../content/rubric.yaml",  # not a file the build wrote
        "/content/ledgers/party.yaml",
        "/_kaohe/source?file=../../../etc/passwd",  # not a content file
        "/_kaohe/source?file=%2Fetc%2Fpasswd",
    ],
)
def test_nothing_the_browser_sends_becomes_a_path(served: Served, path: str) -> None:
    status, _headers, text = served.request("GET", path)
    assert status == 404
    assert "root:" not in text and "indicators:" not in text


def test_a_content_file_opens_at_its_lines(served: Served) -> None:
    status, _headers, text = served.request("GET", f"/_kaohe/source?file={PARTY}")
    assert status == 200
    assert '<li id="L4"><code>line: party</code></li>' in text  # the sample ledger's line 4


def test_site_pages_keep_their_policy_and_get_the_reload_script(served: Served) -> None:
    status, headers, text = served.request("GET", "/site/index.html")
    assert status == 200
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert 'http-equiv="Content-Security-Policy"' in text  # the site's own policy is still there
    assert '<script src="/_kaohe/reload.js" data-generation="' in text
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"


def test_the_generation_script_names_the_current_build(served: Served) -> None:
    _status, headers, text = served.request("GET", "/_kaohe/generation.js")
    assert text == f"kaoheGeneration({served.running.preview.snapshot.generation});\n"
    assert headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    ("host", "bound", "answered"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("kaohe.attacker.example:8000", "127.0.0.1", False),  # a name that may resolve here: DNS rebinding
        ("192.168.1.5:8000", "127.0.0.1", False),  # another address
        ("192.168.1.5:8000", "0.0.0.0", True),  # listening on every address (--host 0.0.0.0)
        ("", "127.0.0.1", False),
    ],
)
def test_only_a_host_naming_this_server_is_answered(host: str, bound: str, answered: bool) -> None:
    assert is_local_host(host, bound) is answered


def test_a_form_too_large_is_refused_before_it_is_read(served: Served) -> None:
    """Refused on its Content-Length alone: the server never waits for, nor reads, what is over 256 KiB."""
    assert served.announce_body("/_kaohe/new/party", 256 * 1024 + 1) == 413
    assert served.announce_body("/_kaohe/new/party", 900_000) == 413


def test_after_an_entry_is_added_the_preview_goes_to_the_page_that_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger shown a month a page: its month's page (the line's page lists no entries then)."""
    from kaohe.render.site import context

    monkeypatch.setattr(context, "LEDGER_PAGE_ENTRIES", 30)  # the sample's party ledger (42 entries) is paged
    root = copy_project(tmp_path / "project")
    (root / "content" / "decision.yaml").unlink()  # nothing approved: an entry is written without a warning
    served, thread = serve_in_thread(root)
    try:
        body = {**ENTRY, "note": "六月检查：制度未建立", "csrf": served.form_token()}
        status, headers, _text = served.request("POST", "/_kaohe/new/party", body)
        assert status == 303 and headers["location"] == "/site/lines/party/2008-06.html"  # ENTRY's date: 2008-06-20
        status, _headers, page = served.request("GET", headers["location"])
        assert status == 200 and "六月检查：制度未建立" in page
    finally:
        served.running.server.shutdown()
        thread.join(timeout=10)
        served.running.close()


def test_the_page_listing_an_entry_is_its_lines_page_when_the_ledger_is_on_one_page() -> None:
    files = {"site/lines/party.html", "site/lines/labor.html", "site/lines/labor/2008-03.html"}
    assert ledger_page_url("party", "2008-03-05", files) == "/site/lines/party.html"
    assert ledger_page_url("labor", "2008-03-05", files) == "/site/lines/labor/2008-03.html"
    assert ledger_page_url("labor", "2008-04-01", files) == "/site/lines/labor.html"  # no such month page: the line's
    assert ledger_page_url("labor", "not a date", files) == "/site/lines/labor.html"
