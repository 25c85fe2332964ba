"""Notes and evidence are Markdown from the ledgers: nothing active in them may reach the site."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment, nodes
from site_support import TEMPLATES, html_pages, parse_html, render
from support import SMALL_RUBRIC, results_of, small_project

from kaohe.render.jinja import environment
from kaohe.render.site.community import TreeRow
from kaohe.render.site.entries import EntryCells

HOSTILE_NOTE = (
    '<script>alert("n1")</script>正常说明 <img src="file:///etc/passwd" onerror="alert(\'n2\')"> '
    "[点我](javascript:alert('n3')) <a href=\"JaVaScRiPt:alert('n4')\">链</a>"
)
HOSTILE_EVIDENCE = """\
![证据](file:///etc/hosts)

<a href="javascript:alert('e1')" onclick="alert('e2')">链接</a>

<div onmouseover="alert('e3')">悬停</div>

[本地文件](file:///C:/secret.doc) [相对](../../../etc/passwd)

<iframe src="javascript:alert('e4')"></iframe><svg onload="alert('e5')"></svg>

<img src=x onerror=alert('e6')>

正常依据文字
"""

OUR_SCRIPTS = {"assets/site.js", "assets/fold.js", "assets/search-index.js"}


def hostile_site(tmp_path: Path) -> Path:
    evidence = json.dumps(HOSTILE_EVIDENCE, ensure_ascii=False)
    entries = (
        f"- {{date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, "
        f"note: {json.dumps(HOSTILE_NOTE, ensure_ascii=False)}, evidence: {evidence}}}"
    )
    return render(results_of(small_project(entries)), tmp_path / "out")


def every_text(site: Path) -> dict[str, str]:
    """Every file of the site as text; the members of zip files (XLSX) one by one."""
    texts: dict[str, str] = {}
    for path in sorted(p for p in site.parent.rglob("*") if p.is_file()):
        name = str(path.relative_to(site.parent))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    texts[f"{name}:{member}"] = archive.read(member).decode("utf-8", errors="replace")
        else:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


ACTIVE = ("<script>alert", "javascript:", "vbscript:", "file:", "<iframe", "<svg onload")


def test_no_script_or_dangerous_url_from_a_ledger_reaches_any_output_file(tmp_path: Path) -> None:
    site = hostile_site(tmp_path)
    leaked = {
        f"{name}: {marker}" for name, text in every_text(site).items() for marker in ACTIVE if marker in text.lower()
    }
    assert not leaked


def test_html_that_markdown_keeps_as_text_is_shown_escaped(tmp_path: Path) -> None:
    html = (hostile_site(tmp_path) / "communities" / "c1.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(&#39;e6&#39;)&gt;" in html or "&lt;img src=x onerror=alert('e6')&gt;" in html
    assert "<img src=x" not in html


def test_no_page_has_inline_scripts_event_attributes_or_dangerous_urls(tmp_path: Path) -> None:
    site = hostile_site(tmp_path)
    problems: list[str] = []
    for page_path in html_pages(site):
        page = parse_html(page_path)
        name = str(page_path.relative_to(site))
        base = "../" * name.count("/")
        for tag in page.tags:
            if tag.name == "script" and tag.attrs.get("src", "").removeprefix(base) not in OUR_SCRIPTS:
                problems.append(f"{name}: script {tag.attrs}")
            if tag.name in ("iframe", "object", "embed", "svg") and page_path.name != "index.html":
                problems.append(f"{name}: <{tag.name}>")
            problems += [f"{name}: {tag.name} {key}" for key in tag.attrs if key.startswith("on")]
            for key in ("href", "src"):
                url = tag.attrs.get(key, "").strip().lower()
                if url.startswith(("javascript:", "file:", "vbscript:")) or (tag.name == "img" and url):
                    problems.append(f"{name}: {tag.name} {key}={url}")
        problems += [f"{name}: inline script" for _ in page.script_bodies]
    assert not problems


def test_the_harmless_text_of_a_hostile_entry_is_still_shown(tmp_path: Path) -> None:
    site = hostile_site(tmp_path)
    page = parse_html(site / "communities" / "c1.html")
    assert "正常说明" in page.text
    assert "正常依据文字" in page.text
    assert "悬停" in page.text and "链接" in page.text


def unescaped_blocks(jinja: Environment) -> list[tuple[str, nodes.ScopedEvalContextModifier]]:
    """Every ``{% autoescape false %}`` block of the tool's templates, by template."""
    found = []
    for name in jinja.list_templates(filter_func=lambda name: name.endswith(".html")):
        tree = jinja.parse(jinja.loader.get_source(jinja, name)[0])  # type: ignore[union-attr]
        for block in tree.find_all(nodes.ScopedEvalContextModifier):
            options = [o.value for o in block.options if o.key == "autoescape"]
            assert all(isinstance(o, nodes.Const) for o in options), f"{name}: autoescape set by a variable"
            if any(not o.value for o in options):  # type: ignore[attr-defined]
                found.append((name, block))
    return found


def rows_iterated(loop: nodes.For) -> str:
    """What a loop goes over, as its template says it: ``rows``, ``view.tree``."""
    if isinstance(loop.iter, nodes.Getattr) and isinstance(loop.iter.node, nodes.Name):
        return f"{loop.iter.node.name}.{loop.iter.attr}"
    if isinstance(loop.iter, nodes.Name):
        return loop.iter.name
    return "something else"


def block_rows(block: nodes.ScopedEvalContextModifier) -> str:
    return next((rows_iterated(loop) for loop in block.find_all(nodes.For)), "no loop")


# each block written unescaped, by template and the rows it goes over: the values each row unpacks into, and any
# other name it writes; the Python side makes these rows of Escaped values only (mypy holds it to their types)
UNESCAPED = {
    ("site/_macros.html", "rows"): (EntryCells._fields, {"base"}),  # the entries tables (entries.rows_of)
    ("site/_macros.html", "options"): (("value", "text"), set()),  # a filter's options (context.filter_options)
    ("site/community.html", "view.tree"): (TreeRow._fields, set()),  # the indicator tree
}


@pytest.mark.parametrize(("template", "rows"), sorted(UNESCAPED))
def test_a_block_written_unescaped_writes_only_values_escaped_beforehand(template: str, rows: str) -> None:
    """A table's rows written as they are: only the values of a row escaped once (EntryCells, TreeRow), and base."""
    blocks = unescaped_blocks(environment(TEMPLATES))
    assert sorted((name, block_rows(block)) for name, block in blocks) == sorted(UNESCAPED)  # no other block anywhere
    (block,) = [block for name, block in blocks if (name, block_rows(block)) == (template, rows)]
    fields, besides = UNESCAPED[template, rows]
    (loop,) = block.find_all(nodes.For)  # one loop, over the rows, each unpacked in its fields' order
    assert isinstance(loop.target, nodes.Tuple)
    assert [item.name for item in loop.target.items] == list(fields)  # type: ignore[attr-defined]
    rebinding = (nodes.Assign, nodes.AssignBlock, nodes.With, nodes.Macro, nodes.CallBlock, nodes.FilterBlock)
    assert not [node for node in block.find_all(rebinding)]  # no name in the block means anything else
    written = [value for output in block.find_all(nodes.Output) for value in output.nodes]
    shown = [value for value in written if not isinstance(value, nodes.TemplateData)]
    assert shown and all(isinstance(value, nodes.Name) for value in shown)  # no filter, call or attribute: a name
    assert {value.name for value in shown} - set(fields) == besides  # type: ignore[attr-defined]


def test_markup_in_the_rubrics_names_is_shown_escaped_in_the_indicator_tree(tmp_path: Path) -> None:
    rubric = SMALL_RUBRIC.replace("name: 招商引资", "name: \"招商<b>引资</b> & 'x'\"").replace(
        "name: 甲线", 'name: "甲<i>线</i>"'
    )
    entries = "- {date: 2008-03-01, community: c1, rule: work.rules.judge, deduct: 0.5, note: 迟报}"
    site = render(results_of(small_project(entries, **{"content/rubric.yaml": rubric})), tmp_path / "out")
    page = (site / "communities" / "c1.html").read_text(encoding="utf-8")
    tree = page[page.index('<table id="tree"') : page.index("</table>", page.index('<table id="tree"'))]
    assert "招商&lt;b&gt;引资&lt;/b&gt; &amp; &#39;x&#39;" in tree and "<b>" not in tree
    assert "甲&lt;i&gt;线&lt;/i&gt;" in tree and "<i>" not in tree
