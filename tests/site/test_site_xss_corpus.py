"""XSS and local access stay closed: a corpus of payloads in every free-text field reaches no output as markup.

The payloads of ``tests/data/xss-payloads.txt`` go into every text the content
can hold: ledger notes and evidence, the names of communities and people, the
rubric's title, lines, indicator names and goals and rule texts, the notice's
title, addressee and body, the reviews, the history years, and the decision's
minutes and exemption reasons (the decision carries the results' hash, so the
results are final and its text shows). Then:

- every page of the site is parsed: no script but the site's own, no event
  attribute, no active URL, no ``<base>``, no ``<meta http-equiv=refresh>``,
  no tag the templates do not write; the plain texts show as they were written;
- the search index is inert data: it parses as JSON, and Chromium reads the same;
- every page is opened in headless Chromium from disk, with the page's
  Content-Security-Policy bypassed (so the escaping itself is tested, not the
  CSP) and a trap on ``window.__xss`` and every dialog, also after searching for
  payloads; and again with the CSP on, which must report no violation;
- the 通报 and the last-placed community's 考核结果通知书 are rendered to PDF, the
  通知 to the HTML WeasyPrint would get: their HTML is clean, the text holds the
  payloads as text, WeasyPrint was asked for no file, and the PDFs have no link
  to a ``javascript:`` (or any non-web) URL, no script and no embedded file;
- the same three documents as DOCX: every part is well-formed XML, the text holds the
  payloads as text, no relationship points outside the package but to a web URL, and the
  package holds no macro, embedded object, external template or field but the page number;
- ``results.csv`` defuses formulas with an apostrophe; ``results.xlsx`` holds
  every payload as a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from markupsafe import Markup
from site_support import (
    TEMPLATES,
    PageParser,
    html_pages,
    parse_html,
    render,
    search_documents,
    search_index_documents,
)
from support import MemorySource, parse_differences, results_of

from kaohe.render.markup import ALLOWED_TAGS, plain_text, render_markdown, render_note_inline
from kaohe.render.pdf import documents
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.render.pdf.sheet import EffectRow
from kaohe.render.pdf.views import Document
from kaohe.render.site.export import FORMULA_STARTS
from kaohe.scoring.results import Results

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Dialog, Page

CORPUS_FILE = Path(__file__).resolve().parents[1] / "data" / "xss-payloads.txt"
ESCAPED_CHAR = re.compile(r"\\u([0-9a-fA-F]{4})")
CHROMIUM = Path("/usr/bin/chromium")
EPOCH = 1231718400  # 2009-01-12


def load_corpus() -> tuple[str, ...]:
    """The payloads: one a line, comments and blank lines skipped, ``\\uXXXX`` decoded."""
    lines = CORPUS_FILE.read_text(encoding="utf-8").split("\n")  # not splitlines(): U+2028 is data here
    return tuple(
        ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), line)
        for line in lines
        if line.strip() and not line.startswith("#")
    )


PAYLOADS = load_corpus()

# Community names are payloads as they are (no label before them), so the CSV's formula defusing is put to the test.
COMMUNITIES = {
    "c1": '=HYPERLINK("javascript:window.__xss=59","点")',
    "c2": '社区乙"><img src=x onerror=window.__xss=10>',
    "c3": "社区丙</title><script>window.__xss=6</script>",
    "c4": "@SUM(1+1)*cmd|' /C calc'!A0",
}
LAST = "c3"  # last this year and the two years before: its secretary's third-level measure is exempted
VETOED = "c2"
VETO_NOTE = '死亡事故<script>window.__xss=1</script> [点我](javascript:window.__xss=19) "><img src=x onerror=alert(8)>'
HISTORY_ONLY = "c9"  # a community of earlier years only (the 历年 page shows its id, not its old name)


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's): any payload survives the loader."""
    return json.dumps(text)


@dataclass
class Corpus:
    """Hands out the free texts of the content, and remembers where each went."""

    payloads: tuple[str, ...]
    plain: dict[str, str] = field(default_factory=dict)  # field → a text shown as written
    markdown: dict[str, str] = field(default_factory=dict)  # field → Markdown (notes, evidence, notice body)
    used: int = 0

    def next_payload(self) -> str:
        payload = self.payloads[self.used % len(self.payloads)]
        self.used += 1
        return payload

    def text(self, where: str, label: str) -> str:
        """A plain text for ``where``: a harmless label, then the next payload; as YAML."""
        return self.keep(where, label + self.next_payload())

    def keep(self, where: str, value: str) -> str:
        assert where not in self.plain, where
        self.plain[where] = value
        return q(value)

    def md(self, where: str, value: str) -> str:
        assert where not in self.markdown, where
        self.markdown[where] = value
        return q(value)


def notice_body(payloads: tuple[str, ...]) -> str:
    paragraphs = [f"第{i}段：{payload}" for i, payload in enumerate(payloads, 1)]
    return "\n\n".join(["一、正文开头", *paragraphs, "正文结束。"])


def rubric_yaml(c: Corpus) -> str:
    return f"""\
year: 2008
title: {c.text("rubric.title", "细则")}
period: {{from: 2008-01-01, to: 2008-12-31}}
notice:
  issuers: [{c.text("notice.issuers.0", "街道工委")}, {c.text("notice.issuers.1", "街道办")}]
  number: {c.text("notice.number", "文号")}
  date: 2008-08-01
  addressee: {c.text("notice.addressee", "各社区")}
  title: {c.text("notice.title", "关于印发细则的通知")}
  copy_to: {c.text("notice.copy_to", "抄送")}
  printer: {c.text("notice.printer", "印发")}
  body: {c.md("notice.body", notice_body(c.payloads))}
lines:
  - {{id: a, name: {c.text("lines.a.name", "甲线")}, lead: {c.text("lines.a.lead", "组长甲")}, reviewer: {c.text("lines.a.reviewer", "审核甲")}}}
  - {{id: b, name: {c.text("lines.b.name", "乙线")}, lead: {c.text("lines.b.lead", "组长乙")}, reviewer: {c.text("lines.b.reviewer", "审核乙")}}}
awards:
  - {{name: {c.text("awards.0", "红旗")}, from_rank: 1, to_rank: 1, reward: 3000}}
  - {{name: {c.text("awards.1", "先进")}, from_rank: 2, to_rank: 3, reward: 1000}}
measures: [{c.text("measures.0", "谈话")}, {c.text("measures.1", "诫勉")}, {c.text("measures.2", "降职")}]
indicators:
  - id: work
    name: {c.text("work.name", "工作")}
    points: 60
    line: a
    children:
      - id: rules
        goal: {c.text("work.rules.goal", "扣分项")}
        points: 2
        rules:
          - {{id: each, text: {c.text("work.rules.each", "每项扣")}, per: 0.3}}
          - {{id: judge, text: {c.text("work.rules.judge", "酌情扣")}, discretionary: true}}
          - {{id: none, text: {c.text("work.rules.none", "不得分")}, zero: true}}
      - id: other
        goal: {c.text("work.other.goal", "其他")}
        points: 58
        rules:
          - {{id: each, text: {c.text("work.other.each", "每项扣1分")}, per: 1}}
  - id: money
    name: {c.text("money.name", "经济")}
    points: 30
    line: b
    bonus_allowed: true
    children:
      - id: invest
        name: {c.text("money.invest.name", "招商")}
        points: 20
        method: ratio
        unit: {c.text("money.invest.unit", "万元")}
        targets: {{default: 100}}
        zero_below: 0.5
        bonus: {{step: 0.1, add: 1, max: 3}}
      - id: extra
        goal: {c.text("money.extra.goal", "加分项")}
        points: 10
        rules:
          - {{id: plus, text: {c.text("money.extra.plus", "每项加")}, add: 0.5}}
  - id: safe
    name: {c.text("safe.name", "安全")}
    points: 10
    line: b
    veto_allowed: true
    children:
      - id: accident
        goal: {c.text("safe.accident.goal", "无事故")}
        points: 10
        rules:
          - {{id: death, text: {c.text("safe.accident.death", "一票否决")}, veto: true}}
          - {{id: minor, text: {c.text("safe.accident.minor", "每起扣")}, per: 1, veto: false}}
"""


def communities_yaml(c: Corpus) -> str:
    rows = [
        f"  - {{id: {cid}, name: {c.keep(f'communities.{cid}.name', name)}, "
        f"secretary: {c.text(f'communities.{cid}.secretary', '书记')}, "
        f"staff: {{a: {c.text(f'communities.{cid}.staff.a', '甲')}, b: {c.text(f'communities.{cid}.staff.b', '乙')}}}}}"
        for cid, name in COMMUNITIES.items()
    ]
    return "communities:\n" + "\n".join(rows) + "\n"


def entry(c: Corpus, where: str, day: date, community: str, cites: str, note: str, evidence: str = "") -> str:
    parts = [f"date: {day.isoformat()}", f"community: {community}", cites, f"note: {c.md(f'{where}.note', note)}"]
    if evidence:
        parts.append(f"evidence: {c.md(f'{where}.evidence', evidence)}")
    return "  - {" + ", ".join(parts) + "}"


def ledger_a_yaml(c: Corpus) -> str:
    """One entry per payload (its note the payload as it is, its evidence another one), and c3's last place."""
    ids = list(COMMUNITIES)
    n = len(c.payloads)
    entries = [
        entry(c, f"a.{i}", date(2008, 2, 1) + timedelta(days=i), ids[i % len(ids)],
              "rule: work.rules.judge, deduct: 0.01", payload, f"依据{i:02d}：{c.payloads[(i + 7) % n]}")
        for i, payload in enumerate(c.payloads)
    ]  # fmt: skip
    entries.append(
        entry(c, "a.last", date(2008, 6, 1), LAST, "rule: work.other.each, count: 5", "扣分" + c.payloads[5])
    )
    review = f"review: {{by: {c.text('a.review.by', '审核人')}, date: 2009-01-05}}"
    return "line: a\nyear: 2008\n" + review + "\nentries:\n" + "\n".join(entries) + "\n"


def ledger_b_yaml(c: Corpus) -> str:
    entries = [
        entry(c, f"b.invest.{cid}", date(2008, 7, 1), cid, f"indicator: money.invest, amount: {80 + 10 * i}",
              "到位" + c.next_payload(), c.next_payload())
        for i, cid in enumerate(COMMUNITIES)
    ]  # fmt: skip
    entries += [
        entry(c, "b.plus", date(2008, 8, 1), "c1", "rule: money.extra.plus, count: 1", c.next_payload()),
        entry(c, "b.veto", date(2008, 9, 1), VETOED, "rule: safe.accident.death", VETO_NOTE, c.next_payload()),
        entry(c, "b.minor", date(2008, 10, 1), "c4", "rule: safe.accident.minor, count: 1", c.next_payload()),
    ]
    review = f"review: {{by: {c.text('b.review.by', '审核人')}, date: 2009-01-05}}"
    return "line: b\nyear: 2008\n" + review + "\nentries:\n" + "\n".join(entries) + "\n"


def history_yaml(c: Corpus, year: int) -> str:
    """c3 last, with this year's secretary and line-a staff; c9 a community of that year only."""
    rows = []
    for rank, cid in enumerate([*(k for k in COMMUNITIES if k != LAST), HISTORY_ONLY, LAST], 1):
        if cid == LAST:
            secretary, staff = (q(c.plain[f"communities.{LAST}.{key}"]) for key in ("secretary", "staff.a"))
        else:
            secretary, staff = (
                c.text(f"history.{year}.{cid}.secretary", "书记"),
                c.text(f"history.{year}.{cid}.staff", "甲"),
            )
        rows.append(
            f"  - {{id: {cid}, name: {c.text(f'history.{year}.{cid}.name', '旧名')}, total: '{95 - rank}.00', "
            f"rank: {rank}, secretary: {secretary}, categories: {{work: {{score: '{60 - rank}.00', rank: {rank}, "
            f"staff: {staff}}}}}}}"
        )
    return f"year: {year}\ncommunities:\n" + "\n".join(rows) + "\n"


def decision_yaml(c: Corpus, sha256: str) -> str:
    digest = f"results_sha256: {sha256}\n" if sha256 else ""
    secretary = q(c.plain[f"communities.{LAST}.secretary"])
    return (
        f"meeting: 2009-01-09\nminutes: {c.text('decision.minutes', '纪要')}\n{digest}"
        f"notice: {{number: {c.text('decision.notice.number', '通报文号')}, date: 2009-01-10}}\n"
        f"exemptions:\n  - {{community: {LAST}, person: {secretary}, reason: {c.text('decision.reason', '理由')}}}\n"
    )


def corpus_project(sha256: str = "") -> tuple[MemorySource, Corpus]:
    c = Corpus(PAYLOADS)
    files = {
        "content/rubric.yaml": rubric_yaml(c),
        "content/communities.yaml": communities_yaml(c),
        "content/ledgers/a.yaml": ledger_a_yaml(c),
        "content/ledgers/b.yaml": ledger_b_yaml(c),
        "content/history/2006.yaml": history_yaml(c, 2006),
        "content/history/2007.yaml": history_yaml(c, 2007),
    }
    files["content/decision.yaml"] = decision_yaml(c, sha256)
    return MemorySource(files), c


@dataclass(frozen=True)
class Built:
    results: Results
    corpus: Corpus
    site: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The corpus project, final (its decision holds the hash of its results), rendered into a site."""
    draft = results_of(corpus_project()[0])
    source, corpus = corpus_project(draft.sha256)
    results = results_of(source)
    site = render(results, tmp_path_factory.mktemp("xss") / "out", epoch=EPOCH)
    return Built(results, corpus, site)


def test_the_corpus_is_large_and_goes_into_every_kind_of_free_text(built: Built) -> None:
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert built.results.final, "the decision must match the results, so its minutes and reasons show"
    fields = {where.split(".")[0] for where in built.corpus.plain}
    assert {"rubric", "notice", "lines", "work", "money", "safe", "communities", "decision", "history"} <= fields
    assert len(built.corpus.markdown) > len(PAYLOADS)
    assert set(PAYLOADS) <= set(built.corpus.markdown.values())  # every payload is a note as it is
    measures = built.results.measures
    assert any(m.exempt and m.community == LAST for m in measures)
    assert any(c.vetoed and c.id == VETOED for c in built.results.communities)
    assert built.results.communities[-1].id == LAST


# --- the HTML of the site (and of the PDFs): nothing from the content acts as markup ---------------------

OUR_SCRIPTS = {"assets/site.js", "assets/fold.js", "assets/search-index.js"}
SEARCH_PART_SCRIPT = re.compile(r"assets/search/[eg]-[0-9]+\.js")  # loaded by site.js as a search needs them


def our_script(src: str) -> bool:
    return src in OUR_SCRIPTS or SEARCH_PART_SCRIPT.fullmatch(src) is not None


OUR_METAS = {("charset", "utf-8"), ("http-equiv", "content-security-policy"), ("http-equiv", "x-dns-prefetch-control"),
             ("name", "viewport")}  # fmt: skip
SVG_TAGS = {"svg", "text", "rect", "line"}  # the charts of index.html
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background", "ping"}
WEB_SCHEMES = {"http", "https", "mailto"}  # what the Markdown sanitiser lets a link point to
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
TAG_IN_TEMPLATE = re.compile(r"<([a-z][a-z0-9]*)\b", re.IGNORECASE)
ATTRIBUTE_IN_TEMPLATE = re.compile(r"\s([a-z][a-z0-9:-]*)=[\"{]", re.IGNORECASE)
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def template_vocabulary(folder: Path) -> tuple[set[str], set[str]]:
    """The tag and attribute names the templates of ``folder`` write themselves."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.html")))
    tags = {name.lower() for name in TAG_IN_TEMPLATE.findall(text)}
    return tags, {name.lower() for name in ATTRIBUTE_IN_TEMPLATE.findall(text)}  # as an HTML parser reports them


SITE_TAGS, SITE_ATTRIBUTES = template_vocabulary(TEMPLATES / "site")
PDF_TAGS, PDF_ATTRIBUTES = template_vocabulary(TEMPLATES / "pdf")
SANITISED_ATTRIBUTES = {"href", "title", "align", "rel"}  # kaohe.render.markup: what nh3 keeps (and adds)
BOOLEAN_ATTRIBUTES = {"download", "hidden"}  # written without a value in the templates


def scheme_of(url: str) -> str:
    """The scheme a browser would see: it drops ASCII whitespace and control characters first."""
    cleaned = "".join(ch for ch in url if ord(ch) > 0x20 and ch != "\x7f").lower()
    match = SCHEME.match(cleaned)
    return match.group(1) if match else ""


def url_problem(page_name: str, url: str) -> str | None:
    """Web links and links inside the site are fine; any other scheme, or a relative URL leaving the site, is not."""
    scheme = scheme_of(url)
    if scheme:
        return None if scheme in WEB_SCHEMES else f"scheme {scheme}:"
    if url.strip().startswith(("/", "\\")):
        return "absolute or protocol-relative URL"
    depth = page_name.count("/")
    for part in url.split("#")[0].split("?")[0].split("/"):
        depth += -1 if part == ".." else (1 if part not in ("", ".") else 0)
        if depth < 0:
            return "leaves the site"
    return None


def site_page_problems(page: PageParser, name: str) -> list[str]:
    base = "../" * name.count("/")
    problems = [f"inline script {body[:40]!r}" for body in page.script_bodies]
    metas: set[tuple[str, str]] = set()
    for tag in page.tags:
        where = f"<{tag.name} {tag.attrs}>"
        if tag.name not in SITE_TAGS | ALLOWED_TAGS:
            problems.append(f"tag not in the templates: {where}")
        if tag.name in SVG_TAGS and name != "index.html":
            problems.append(f"svg outside the charts: {where}")
        if tag.name == "script" and tag.attrs.get("src", "").removeprefix(base) not in OUR_SCRIPTS:
            problems.append(f"script: {where}")
        if tag.name == "meta":
            metas |= {(key, tag.attrs[key].lower()) for key in ("charset", "http-equiv", "name") if key in tag.attrs}
        if tag.name == "link" and (tag.attrs.get("rel"), tag.attrs.get("href")) not in {
            ("icon", "data:,"),
            ("stylesheet", f"{base}assets/site.css"),
        }:
            problems.append(f"link: {where}")
        if tag.name == "form" and tag.attrs.get("action", "").removeprefix(base) != "search.html":
            problems.append(f"form: {where}")
        for key, value in tag.attrs.items():
            if key.startswith("on") or key in ("style", "srcdoc", "autofocus", "formaction", "xlink:href"):
                problems.append(f"attribute {key}: {where}")
            elif key not in SITE_ATTRIBUTES | SANITISED_ATTRIBUTES | BOOLEAN_ATTRIBUTES:
                problems.append(f"attribute not in the templates {key}: {where}")
            if key in URL_ATTRIBUTES and not (tag.name == "link" and value == "data:,"):
                problem = url_problem(name, value)
                if problem:
                    problems.append(f"{problem} in {key}: {where}")
    if metas != OUR_METAS:
        problems.append(f"meta tags: {sorted(metas ^ OUR_METAS)}")
    return problems


def parsed_pages(site: Path) -> dict[str, PageParser]:
    return {str(path.relative_to(site)): parse_html(path) for path in html_pages(site)}


def test_no_page_carries_a_payload_as_markup(built: Built) -> None:
    problems = [
        f"{name}: {problem}"
        for name, page in parsed_pages(built.site).items()
        for problem in site_page_problems(page, name)
    ]
    assert not problems, "\n".join(problems)


def test_no_payload_stands_verbatim_in_the_html_source(built: Built) -> None:
    """A payload with a '<' in it, found as it is in a page's source, would be markup (or text left unescaped)."""
    sources = {str(p.relative_to(built.site)): p.read_text(encoding="utf-8") for p in html_pages(built.site)}
    texts = {*built.corpus.plain.values(), *built.corpus.markdown.values(), *PAYLOADS}
    found = [f"{name}: {text!r}" for text in texts if "<" in text for name, html in sources.items() if text in html]
    assert not found, "\n".join(found)


def flat_text(text: str) -> str:
    return " ".join(text.split())


PDF_ONLY = ("notice.copy_to", "notice.printer")  # the colophon of the 通知 and the 通报
NOT_SHOWN = ("history.",)  # earlier years show this year's names; their own names and people are kept in results.json


def test_every_plain_text_shows_on_the_site_as_written(built: Built) -> None:
    pages = {name: page.text for name, page in parsed_pages(built.site).items()}
    plain = built.corpus.plain
    missing = [
        f"{where}: {text!r}"
        for where, text in plain.items()
        if not where.startswith(PDF_ONLY + NOT_SHOWN) and not any(flat_text(text) in t for t in pages.values())
    ]
    assert not missing, "\n".join(missing)
    everywhere = [plain["decision.minutes"], plain["decision.notice.number"]]  # the footer's approval line
    assert all(flat_text(text) in page for page in pages.values() for text in everywhere)
    for cid in COMMUNITIES:
        page = pages[f"communities/{cid}.html"]
        for key in ("name", "secretary", "staff.a", "staff.b"):
            assert flat_text(plain[f"communities.{cid}.{key}"]) in page, (cid, key)
    rubric = pages["rubric.html"]
    for where, text in plain.items():
        on_rubric = where.startswith(("rubric.", "notice.", "lines.", "work.", "money.", "safe."))
        if on_rubric and where not in (*PDF_ONLY, "money.invest.unit"):  # the unit shows with amounts only
            assert flat_text(text) in rubric, where
    assert flat_text(plain["decision.reason"]) in pages["index.html"]
    evidence = built.corpus.markdown
    labels = [md.split("：")[0] for where, md in evidence.items() if re.fullmatch(r"a\.\d+\.evidence", where)]
    assert len(labels) == len(PAYLOADS) and all(label in pages["lines/a.html"] for label in labels)  # 依据00…


def test_template_like_text_is_not_evaluated(built: Built) -> None:
    text = " ".join(page.text for page in parsed_pages(built.site).values())
    assert "{{7*7}} {{ config }} ${7*7} #{7*7}" in text
    assert '{% raw %}{{ window.__xss }}{% endraw %} {% include "/etc/passwd" %}' in text
    assert "root:x:0:0" not in text


# --- the search index -------------------------------------------------------------------------------


def test_the_search_index_is_json_literals_whatever_the_names_and_notes_hold(built: Built) -> None:
    scripts = [
        p.read_text(encoding="utf-8")
        for p in [built.site / "assets" / "search-index.js", built.site / "assets" / "fold.js", *parts(built.site)]
    ]
    for script in scripts:
        assert not {"<", ">", "&"} & set(script), "a </script> or <!-- in the index must not be written as it is"
    docs = search_documents(built.site)  # json.loads of every part's payload, and of the index's first line
    assert {doc["kind"] for doc in docs} == {"社区", "各线", "台帐", "细则"}
    titles = {doc["title"] for doc in docs}
    assert {*COMMUNITIES.values()} <= titles
    haystack = " ".join(doc["text"] + " " + doc["title"] for doc in docs)
    for note in ('"]; window.__xss=55; //', '\\"});window.__xss=56;({\\"', COMMUNITIES["c3"]):
        assert note in haystack  # carried as data, to the character


def parts(site: Path) -> list[Path]:
    return sorted((site / "assets" / "search").glob("*.js"))


# --- the site in Chromium ---------------------------------------------------------------------------

TRAP = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__xssHits", { value: hits });
  Object.defineProperty(window, "__xss", { get: () => hits.length, set: v => { hits.push(String(v)); } });
  window.addEventListener("error", e => hits.push("error: " + e.message));
})();
"""
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""
AUDIT = """
() => {
  const bad = [];
  const urls = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "ping"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "style" || name === "srcdoc") { bad.push(el.tagName + " " + name); }
      if (urls.includes(name)) {
        const url = attr.value.replace(/[\\u0000-\\u0020\\u007f]/g, "").toLowerCase();
        const favicon = el.tagName === "LINK" && attr.value === "data:,";
        if (/^(javascript|vbscript|data|file):/.test(url) && !favicon) { bad.push(el.tagName + " " + name + "=" + url); }
      }
    }
  }
  for (const el of document.querySelectorAll("base, iframe, object, embed, img, style, math, meta[http-equiv=refresh]")) {
    bad.push("element " + el.tagName);
  }
  const scripts = Array.from(document.scripts).map(s => {
    const src = s.getAttribute("src");  // as written: a planted <base> may leave no valid URL to resolve against
    return src === null ? "inline" : src.replace(/^(?:[.][.][/])+/, "");
  });
  return { hits: window.__xssHits, bad, scripts, base: document.baseURI, href: location.href };
}
"""


@dataclass
class Watch:
    """What a page did that it should not: dialogs, errors, navigations, requests outside the site."""

    root: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Page:
        page.on("dialog", self.dialog)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))
        page.on("popup", lambda popup: self.problems.append(f"popup: {popup.url}"))
        page.on("request", lambda request: self.request(request.url))
        return page

    def dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def request(self, url: str) -> None:
        if not url.startswith(self.root) and url != "data:,":
            self.problems.append(f"request: {url}")


def audit(page: Page, url: str) -> list[str]:
    """Load ``url``, let handlers and timers fire, and report anything that ran or stands in the live DOM."""
    page.goto(url, wait_until="load")
    page.wait_for_timeout(150)
    found: dict[str, Any] = page.evaluate(AUDIT)
    problems = [f"ran: {hit}" for hit in found["hits"]] + [f"DOM: {bad}" for bad in found["bad"]]
    problems += [f"script {s}" for s in found["scripts"] if not our_script(s)]
    if found["href"] != url or found["base"] != url:
        problems.append(f"moved to {found['href']} (base {found['base']})")
    return problems


SEARCHES = ("__xss", "<script>", '"]; window.__xss=55; //', "</script><script>window.__xss=5</script>", "点我")


@pytest.mark.slow
def test_no_payload_runs_in_chromium_even_without_the_csp(browser: Browser, built: Built) -> None:
    from urllib.parse import quote

    watch = Watch(built.site.as_uri())
    context = browser.new_context(bypass_csp=True, locale="zh-CN")
    context.add_init_script(TRAP)
    page = watch.attach(context.new_page())
    problems: list[str] = []
    for path in html_pages(built.site):
        problems += [f"{path.name}: {p}" for p in audit(page, path.as_uri())]
    search = (built.site / "search.html").as_uri()
    for query in SEARCHES:
        problems += [f"search {query!r}: {p}" for p in audit(page, f"{search}?q={quote(query)}")]
    found_words = page.locator("#search-results li").count()  # the last search: 点我, the text of defused links
    page.goto(search)
    page.fill("#q", "__xss")  # typed: the results are built while the reader types
    page.wait_for_selector("#search-results li")
    texts = page.locator("#search-results li").all_inner_texts()
    page.fill("#site-search-q", COMMUNITIES["c3"])
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    page.wait_for_selector("#search-results li")
    found: dict[str, Any] = page.evaluate(AUDIT)
    problems += [f"search form: {p}" for p in [*found["hits"], *found["bad"]]]
    assert page.evaluate("window.KAOHE_SEARCH") == search_index_documents(built.site)  # the browser reads the same data
    context.close()
    assert not problems + watch.problems, "\n".join(problems + watch.problems)
    assert found_words > 0 and any("__xss" in text for text in texts)  # the payload words are found, and shown as text


@pytest.mark.slow
def test_the_csp_reports_no_violation_on_any_page(browser: Browser, built: Built) -> None:
    watch = Watch(built.site.as_uri())
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(TRAP + WATCH_CSP)
    page = watch.attach(context.new_page())
    problems: list[str] = []
    for path in html_pages(built.site):
        problems += [f"{path.name}: {p}" for p in audit(page, path.as_uri())]
        problems += [f"{path.name}: CSP {v}" for v in page.evaluate("window.__csp")]
    context.close()
    assert not problems + watch.problems, "\n".join(problems + watch.problems)


# --- the PDF notices ---------------------------------------------------------------------------------

# what the renderer itself writes in a style attribute: measured lengths for justification and the seal layout
PDF_DECLARATION = r"(transform: scaleX\([\d.]+\)|(height|margin-left|margin-top|left|width): [\d.]+(pt|%))"
PDF_STYLE = re.compile(rf"^{PDF_DECLARATION}(; {PDF_DECLARATION})*;?$")
PDF_ACTIONS = {"/URI", "/GoTo"}
NEVER_IN_A_PDF = {"/JS", "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/EmbeddedFile",
                  "/EmbeddedFiles", "/RichMedia", "/OpenAction", "/AA"}  # fmt: skip


@dataclass(frozen=True)
class Notices:
    notice: Document  # the 通知: checked as the HTML WeasyPrint gets (3 s more to render it)
    notice_html: str
    report: Path  # the 通报
    sheet: Path  # c3's 考核结果通知书
    sheet_doc: Document
    html: dict[str, str]  # file name → the HTML each was rendered from


@pytest.fixture(scope="module")
def notices(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Notices:
    docs = documents(built.results, EPOCH)
    notice, report = docs[0], docs[1]
    sheet = docs[2 + [c.id for c in built.results.communities].index(LAST)]
    assert notice.meta_title == built.corpus.plain["notice.title"] and "通报" in report.file_name
    renderer = PdfRenderer(TEMPLATES)
    folder = tmp_path_factory.mktemp("xss-pdf")
    for doc, name in ((report, "report.pdf"), (sheet, "sheet.pdf")):
        renderer.render(doc, folder / name)
    assert not renderer.fetcher.refused  # nothing in the content even asked WeasyPrint for a file or a URL
    html = {doc.file_name: renderer.html(doc) for doc in (notice, report, sheet)}
    return Notices(notice, html[notice.file_name], folder / "report.pdf", folder / "sheet.pdf", sheet, html)


def pdf_html_problems(html: str) -> list[str]:
    page = PageParser()
    page.feed(html)
    page.close()
    problems = [f"inline script {body[:40]!r}" for body in page.script_bodies]
    for tag in page.tags:
        where = f"<{tag.name} {tag.attrs}>"
        if tag.name not in PDF_TAGS | ALLOWED_TAGS | {"span"} or tag.name in ("script", "link", "base", "img"):
            problems.append(f"tag: {where}")
        for key, value in tag.attrs.items():
            if key == "style" and not PDF_STYLE.match(value):
                problems.append(f"style: {where}")
            elif key not in PDF_ATTRIBUTES | SANITISED_ATTRIBUTES | {"style"} or key.startswith("on"):
                problems.append(f"attribute {key}: {where}")
            if key in URL_ATTRIBUTES and scheme_of(value) not in WEB_SCHEMES and not value.startswith("#"):
                problems.append(f"url {key}: {where}")
    return problems


@pytest.mark.slow
def test_the_html_of_the_notices_carries_no_payload_as_markup(notices: Notices) -> None:
    problems = [f"{name}: {problem}" for name, html in notices.html.items() for problem in pdf_html_problems(html)]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_the_notices_with_payloads_parse_to_weasyprints_own_tree(notices: Notices) -> None:
    # the notices are parsed by lxml (kaohe/render/pdf/parsing.py): whatever the Markdown holds, the tree is the same
    problems = {name: found for name, html in notices.html.items() if (found := parse_differences(html))}
    assert not problems


def unspaced(text: str) -> str:
    """Text without whitespace and invisible format characters: the PDF's justification and line breaks differ."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


@pytest.mark.slow
def test_the_notice_shows_its_title_addressee_and_body_as_text(built: Built, notices: Notices) -> None:
    page = PageParser()
    page.feed(notices.notice_html)
    page.close()
    text = unspaced(page.text)  # the justification gaps are spaces between the characters
    plain = built.corpus.plain
    for where in ("notice.title", "notice.addressee", "notice.number", "notice.copy_to", "notice.printer",
                  "notice.issuers.0", "notice.issuers.1", "rubric.title", "work.rules.judge", "money.invest.name"):  # fmt: skip
        assert unspaced(plain[where]) in text, where
    for part in built.corpus.markdown["notice.body"].split("\n\n"):
        html = str(render_markdown(part))
        label = part.split("：")[0]
        assert unspaced(label) in text, part
        # A block tag (<div>, <form>) closes the paragraph early; the PDF keeps only whole blocks, so the text after
        # it is left out of the notice (not shown as markup either). Elsewhere all of the sanitised text shows.
        if html.count("<p>") == 1 and html.startswith("<p>") and html.endswith("</p>"):
            assert unspaced(plain_text(Markup(html))) in text, part


@cache
def readable_pdf(path: Path) -> bytes:
    """The PDF with every font's encoding set to Identity-H, so that pdfminer reads all of its text.

    WeasyPrint writes a font whose glyphs lack some characters (U+2028, U+202E, U+200B of the corpus) with
    an embedded CMap that is the identity but for those; pdfminer and pypdf then read none of that font's text.
    """
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=path)
    for page in writer.pages:
        resources = page["/Resources"].get_object()
        fonts = resources.get("/Font") if isinstance(resources, DictionaryObject) else None
        fonts = fonts.get_object() if fonts is not None else None
        for ref in fonts.values() if isinstance(fonts, DictionaryObject) else ():
            font = ref.get_object()
            if not isinstance(font, DictionaryObject):
                continue
            if font.get("/Subtype") == "/Type0" and not isinstance(font.get("/Encoding"), NameObject):
                font[NameObject("/Encoding")] = NameObject("/Identity-H")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


FOLIO = re.compile(r"^— \d+ —$")  # a page number, which lands inside a sentence broken across two pages


def pdf_text(path: Path) -> str:
    """The text of every page, page numbers left out."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(readable_pdf(path))) as pdf:
        lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    return "\n".join(line for line in lines if not FOLIO.match(line.strip()))


def note_column(path: Path) -> str:
    """The text of the 说明 column of the score sheet's 扣分明细, page after page."""
    import pdfplumber
    from pdfplumber.utils.text import extract_text

    parts: list[str] = []
    with pdfplumber.open(io.BytesIO(readable_pdf(path))) as pdf:
        left: float | None = None  # the column's left rule, the same on every page of the table
        for page in pdf.pages:
            heads = [w for w in page.extract_words() if w["text"] == "说明"]
            top = 0.0
            if heads:
                head = heads[-1]
                rules = [
                    line["x0"] for line in page.lines
                    if abs(line["x0"] - line["x1"]) < 0.5 and line["top"] <= head["top"] <= line["bottom"]
                ]  # fmt: skip
                left, top = max(x for x in rules if x < head["x0"]), head["bottom"]
            elif left is None:
                continue  # the table has not begun
            # The last column; an unbreakable word may run past it, even off the page, so the page box clips nothing.
            chars = [ch for ch in page.chars if ch["x0"] >= left and ch["top"] >= top]
            parts.append(extract_text(chars))
    return "\n".join(parts)


@pytest.mark.slow
def test_the_pdfs_show_the_payloads_as_text(built: Built, notices: Notices) -> None:
    plain = built.corpus.plain
    report = unspaced(pdf_text(notices.report))
    for where in ("rubric.title", "notice.number", "notice.addressee", "notice.copy_to", "notice.printer",
                  "decision.minutes", "decision.notice.number", "decision.reason", f"communities.{LAST}.secretary",
                  f"communities.{LAST}.staff.a", "awards.0", "awards.1", "measures.2", "safe.name",
                  *(f"communities.{cid}.name" for cid in COMMUNITIES)):  # fmt: skip
        assert unspaced(plain[where]) in report, where
    assert unspaced(VETO_NOTE) in report  # the 通报 quotes the veto's note as it was written
    sheet = unspaced(pdf_text(notices.sheet))
    for where in (f"communities.{LAST}.name", "rubric.title", "work.name", "money.name", "safe.name"):
        assert unspaced(plain[where]) in sheet, where
    column = unspaced(note_column(notices.sheet))
    rows = [row for table in notices.sheet_doc.attachments[0].tables for row in table.rows]
    shown = [plain_text(row.note) for row in rows if isinstance(row, EffectRow) and plain_text(row.note)]
    assert len(shown) > 10
    for note in shown:  # a right-to-left override reorders what follows it: only its characters are compared
        if BIDI_CONTROLS & set(note):
            assert set(unspaced(note)) <= set(column), note
        else:
            assert unspaced(note) in column, note
    assert "root:x:0:0" not in report + sheet  # file:///etc/passwd was never read


def pdf_objects(value: Any, seen: set[int]) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of every dictionary reachable from ``value``, each indirect object once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(value, IndirectObject):
        if value.idnum in seen:
            return
        seen.add(value.idnum)
        value = value.get_object()
    if isinstance(value, DictionaryObject):
        for key, item in value.items():
            yield str(key), item
            yield from pdf_objects(item, seen)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from pdf_objects(item, seen)


@pytest.mark.slow
def test_the_pdfs_link_nowhere_but_the_web_and_hold_no_script_or_file(notices: Notices) -> None:
    from pypdf import PdfReader

    for path in (notices.report, notices.sheet):
        reader = PdfReader(path)
        links: list[str] = []
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None:
                    action = action.get_object()
                    assert action.get("/S") in PDF_ACTIONS, action
                    if action.get("/S") == "/URI":
                        links.append(str(action["/URI"]))
        assert all(scheme_of(link) in WEB_SCHEMES for link in links), links
        keys = {key for key, _ in pdf_objects(reader.trailer, set())}  # the catalogue, pages, annotations, fonts…
        assert not keys & NEVER_IN_A_PDF, path.name
    sheet = PdfReader(notices.sheet)
    uris = [
        str(a.get_object()["/A"]["/URI"]) for page in sheet.pages for a in page.get("/Annots") or []
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]  # fmt: skip
    assert not any("javascript" in scheme_of(uri) or "xss" in uri for uri in uris)


# --- the DOCX copies of the notices ----------------------------------------------------------

DOCX_FORBIDDEN_PARTS = re.compile(r"vbaProject|activeX|embeddings/|oleObject|afchunk", re.IGNORECASE)
DOCX_FORBIDDEN_XML = re.compile(r"<w:altChunk|<w:attachedTemplate|<w:subDoc|<o:OLEObject|<w:object[ >]|<w:ddeLink")
FIELD_CODE = re.compile(r'<w:instrText[^>]*>([^<]*)</w:instrText>|<w:fldSimple [^>]*w:instr="([^"]*)"')
DOCX_FIELDS = {"PAGE"}  # the only field the notices use: the page number in the footer


@dataclass(frozen=True)
class DocxParts:
    parts: dict[str, bytes]  # every part of the package, by name

    def xml(self) -> dict[str, str]:
        return {name: data.decode("utf-8") for name, data in self.parts.items() if name.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def docx_packages(built: Built) -> dict[str, DocxParts]:
    from kaohe.render.docx import notice_docx

    docs = documents(built.results, EPOCH)
    sheet = docs[2 + [c.id for c in built.results.communities].index(LAST)]
    packages = {}
    for doc in (docs[0], docs[1], sheet):
        with zipfile.ZipFile(io.BytesIO(notice_docx(doc, EPOCH))) as archive:
            packages[doc.file_name] = DocxParts({name: archive.read(name) for name in archive.namelist()})
    return packages


def docx_text(package: DocxParts) -> str:
    """The text of the document body: every ``w:t``, unescaped, in order."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(package.parts["word/document.xml"])
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "".join(node.text or "" for node in root.iter(f"{namespace}t"))


def test_every_docx_part_is_well_formed_and_holds_nothing_active(docx_packages: dict[str, DocxParts]) -> None:
    from xml.etree import ElementTree

    for name, package in docx_packages.items():
        assert not [part for part in package.parts if DOCX_FORBIDDEN_PARTS.search(part)], name
        for part, xml in package.xml().items():
            ElementTree.fromstring(xml)  # a payload never breaks the XML it is written into
            assert not DOCX_FORBIDDEN_XML.search(xml), f"{name}: {part}"
            codes = ("".join(found) for found in FIELD_CODE.findall(xml))
            fields = {code.split()[0] for code in codes if code.strip()}
            assert fields <= DOCX_FIELDS, f"{name}: {part}: {fields}"
            for target, mode in re.findall(r'Target="([^"]*)"(?: TargetMode="([^"]*)")?', xml):
                if mode == "External":
                    assert scheme_of(target) in WEB_SCHEMES, f"{name}: {part}: {target}"
                else:  # a part of this package, relative to the folder the relationships are about
                    base = posixpath.dirname(posixpath.dirname(part))
                    inside = posixpath.normpath(posixpath.join(base, target)).lstrip("/")
                    assert inside in package.parts, f"{name}: {part}: {target}"


def test_the_docx_notices_show_the_payloads_as_text(built: Built, docx_packages: dict[str, DocxParts]) -> None:
    plain = built.corpus.plain
    report = unspaced(docx_text(next(p for n, p in docx_packages.items() if "通报" in n)))
    for where in ("rubric.title", "notice.number", "decision.minutes", "decision.reason", "awards.0",
                  f"communities.{LAST}.secretary", *(f"communities.{cid}.name" for cid in COMMUNITIES)):  # fmt: skip
        assert unspaced(plain[where]) in report, where
    assert unspaced(VETO_NOTE) in report  # the 通报 quotes the veto's note as written, as text
    for name, package in docx_packages.items():
        text = docx_text(package)
        assert "root:x:0:0" not in text, name  # file:///etc/passwd was never read
        for markup in ("<script", "onerror=", "javascript:window"):
            raw = package.parts["word/document.xml"].decode("utf-8")
            assert markup not in raw or markup in text, f"{name}: {markup} outside the text"


# --- the downloads ---------------------------------------------------------------------------------


def test_the_csv_defuses_formulas_and_keeps_every_name_as_text(built: Built) -> None:
    raw = (built.site / "downloads" / "results.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    names = {row[1]: row[2] for row in rows[1:]}
    for cid, name in COMMUNITIES.items():
        assert names[cid] == ("'" + name if name.startswith(FORMULA_STARTS) else name)
    assert names["c1"].startswith("'=HYPERLINK(") and names["c4"].startswith("'@SUM(")


def test_the_xlsx_holds_every_payload_as_a_string_never_a_formula(built: Built) -> None:
    from openpyxl import load_workbook

    path = built.site / "downloads" / "results.xlsx"
    with zipfile.ZipFile(path) as archive:
        sheets = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name.endswith(".xml")}
    assert not [name for name, xml in sheets.items() if re.search(r"<f[ >]|<hyperlink", xml)]
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert set(COMMUNITIES.values()) <= texts  # as written: Excel and WPS take a string cell as text
    notes = {plain_text(render_note_inline(note)) for where, note in built.corpus.markdown.items()
             if where.endswith(".note")}  # fmt: skip
    assert {note for note in notes if note} <= texts
    assert '=HYPERLINK("javascript:window.__xss=59","点")' in texts and "-2+3" in texts
