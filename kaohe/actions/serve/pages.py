"""The preview's own pages, rendered from ``templates/serve/``: errors, the 记一笔 forms, a content file.

Every page carries the reload script (it polls the preview's generation, allowed by a
``script-src 'self'`` policy) and the preview's words (:data:`kaohe.render.vocab.PREVIEW_WORDS`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kaohe.actions.serve.form import FIELDS, FormOutcome, LineForm
from kaohe.content.model import Line
from kaohe.content.source import WorkingTree
from kaohe.content.yamlnodes import text_lines
from kaohe.errors import Diagnostic
from kaohe.render.jinja import environment
from kaohe.render.site.context import line_href, line_month_href
from kaohe.render.vocab import PREVIEW_WORDS, preview_needs

PREFIX = "/_kaohe/"  # every URL of the preview itself; the rest are files of output/
RELOAD_JS, FORM_JS, STYLESHEET, GENERATION_JS = (
    f"{PREFIX}{name}" for name in ("reload.js", "form.js", "serve.css", "generation.js")
)
NEW_ENTRY = f"{PREFIX}new"
SOURCE = f"{PREFIX}source"
SITE_HOME = "/site/index.html"


def form_url(line_id: str) -> str:
    return f"{NEW_ENTRY}/{quote(line_id)}"


def source_url(path: str, line: int | None = None) -> str:
    return f"{SOURCE}?file={quote(path)}" + (f"#L{line}" if line else "")


def line_page_url(line_id: str) -> str:
    """The site's page of a line's ledger (kaohe.render.site writes ``lines/<id>.html``)."""
    return f"/site/{quote(line_href(line_id))}"


def ledger_page_url(line_id: str, day: str, files: Collection[str]) -> str:
    """The page of the last build that lists the line's entry of ``day`` (``YYYY-MM-DD``): the month's page of a
    ledger shown a month a page, else the line's page."""
    try:
        month_page = f"site/{line_month_href(line_id, date.fromisoformat(day))}"
    except ValueError:
        return line_page_url(line_id)
    return f"/{quote(month_page)}" if month_page in files else line_page_url(line_id)


@dataclass(frozen=True)
class Shell:
    """What every preview page carries."""

    title: str
    generation: int
    words: Mapping[str, str]
    urls: Mapping[str, str]


def shell(title: str, generation: int) -> Shell:
    urls = {"reload": RELOAD_JS, "form_js": FORM_JS, "css": STYLESHEET, "new": NEW_ENTRY, "home": SITE_HOME}
    return Shell(title, generation, PREVIEW_WORDS, urls)


def render(templates_dir: Path, name: str, **context: Any) -> bytes:
    return environment(templates_dir).get_template(f"serve/{name}").render(**context).encode("utf-8")


# --- errors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemView:
    where: str  # path:line:col
    severity: str
    message: str
    source: str  # the line of the file the problem is on
    href: str  # the file, opened at that line


def problem_views(root: Path, diagnostics: Sequence[Diagnostic]) -> list[ProblemView]:
    tree = WorkingTree(root)
    lines: dict[str, list[str]] = {}
    views = []
    for diagnostic in diagnostics:
        pos = diagnostic.pos
        if pos.path not in lines:
            lines[pos.path] = file_lines(tree, pos.path)
        text = lines[pos.path]
        source = text[pos.line - 1] if 0 < pos.line <= len(text) else ""
        views.append(
            ProblemView(str(pos), diagnostic.severity.value, diagnostic.message, source, source_url(pos.path, pos.line))
        )
    return views


def file_lines(tree: WorkingTree, relpath: str) -> list[str]:
    try:
        text = tree.read_text(relpath)
    except ValueError:  # not UTF-8, too large: the diagnostic says so
        return []
    return text_lines(text) if text else []


def errors_page(
    templates_dir: Path, root: Path, generation: int, diagnostics: Sequence[Diagnostic], error: str
) -> bytes:
    title = PREVIEW_WORDS["errors_title"] if diagnostics else PREVIEW_WORDS["build_failed"]
    problems = problem_views(root, [d for d in diagnostics if d.is_error] + [d for d in diagnostics if not d.is_error])
    return render(templates_dir, "errors.html", page=shell(title, generation), problems=problems, error=error)


# --- a content file ---------------------------------------------------------------------


def source_page(templates_dir: Path, root: Path, generation: int, relpath: str) -> bytes:
    lines = file_lines(WorkingTree(root), relpath)
    numbered = list(enumerate(lines, start=1))
    return render(templates_dir, "source.html", page=shell(relpath, generation), path=relpath, lines=numbered)


def message_page(templates_dir: Path, generation: int, title: str) -> bytes:
    return render(templates_dir, "message.html", page=shell(title, generation))


# --- the forms --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    id: str
    label: str  # the id and the rule's text, as the list offers it
    needs: str


def choice_label(ident: str, text: str, needs: str) -> str:
    """``party.org.democracy.system 民主集中制：制度不健全每项扣0.1分（次数）``."""
    asked = preview_needs(needs)
    return f"{ident} {text}" + (f"（{asked}）" if asked else "")


def lines_page(templates_dir: Path, generation: int, lines: Sequence[Line]) -> bytes:
    links = [(line.name, form_url(line.id)) for line in lines]
    return render(templates_dir, "lines.html", page=shell(PREVIEW_WORDS["new_entry"], generation), links=links)


def form_page(
    templates_dir: Path,
    generation: int,
    form: LineForm,
    token: str,
    outcome: FormOutcome | None = None,
    ledger_url: str = "",  # the page listing what was just written (ledger_page_url); the line's page if not given
) -> bytes:
    choices = [ChoiceView(c.id, choice_label(c.id, c.text, c.needs), c.needs) for c in form.choices]
    values = dict(outcome.values) if outcome is not None and not outcome.written else dict.fromkeys(FIELDS, "")
    title = f"{form.line.name} · {PREVIEW_WORDS['new_entry']}"
    return render(
        templates_dir,
        "form.html",
        page=shell(title, generation),
        form=form,
        action=form_url(form.line.id),
        choices=choices,
        values=values,
        outcome=outcome,
        token=token,
        ledger_url=ledger_url or line_page_url(form.line.id),
    )
