"""Helpers for tests that build small content trees in memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from kaohe.errors import Diagnostic
from kaohe.pipeline import Outcome, run
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = TOOL_ROOT / "content"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's (scripts/setup.sh --dev installs it)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIXED_EPOCH = "1231718400"  # 2009-01-12, a fixed SOURCE_DATE_EPOCH for reproducible builds


def copy_project(target: Path, content: Path = SAMPLE_CONTENT) -> Path:
    """A project folder at ``target`` holding a copy of ``content``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(content, target / "content")
    return target


def run_cli(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``build.py`` as a user would, against the project at ``root``."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        env=full_env,
        check=False,
    )


class MemorySource:
    """A content source held in a dict of relative path → YAML text."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {path: textwrap.dedent(text) for path, text in files.items()}

    def read_text(self, relpath: str) -> str | None:
        return self.files.get(relpath)

    def list_files(self, reldir: str, suffix: str = ".yaml") -> list[str]:
        return sorted(p for p in self.files if str(PurePosixPath(p).parent) == reldir and p.endswith(suffix))


SMALL_RUBRIC = """\
year: 2008
title: 测试细则
period: {from: 2008-01-01, to: 2008-12-31}
lines:
  - {id: a, name: 甲线}
  - {id: b, name: 乙线}
awards:
  - {name: 红旗, from_rank: 1, to_rank: 1, reward: 3000}
  - {name: 先进, from_rank: 2, to_rank: 3, reward: 1000}
measures: [警示谈话, 诫勉, 降职降级]
indicators:
  - id: work
    name: 工作
    points: 60
    line: a
    children:
      - id: rules
        goal: 扣分项
        points: 2
        rules:
          - {id: each, text: 每项扣0.3分, per: 0.3}
          - {id: judge, text: 酌情扣分, discretionary: true}
          - {id: none, text: 不得分, zero: true}
      - id: other
        goal: 其他
        points: 58
        rules:
          - {id: each, text: 每项扣1分, per: 1}
  - id: money
    name: 经济
    points: 30
    line: b
    bonus_allowed: true
    children:
      - id: invest
        name: 招商引资
        points: 20
        method: ratio
        unit: 万元
        targets: {default: 100, c2: 200}
        zero_below: 0.5
        bonus: {step: 0.1, add: 1, max: 3}
      - id: extra
        goal: 加分项
        points: 10
        rules:
          - {id: plus, text: 每项加0.5分, add: 0.5}
  - id: safe
    name: 安全
    points: 10
    line: b
    veto_allowed: true
    children:
      - id: accident
        goal: 无事故
        points: 10
        rules:
          - {id: death, text: 死亡事故一票否决, veto: true}
          - {id: minor, text: 一般事故每起扣1分, per: 1, veto: false}
"""


def communities_yaml(*ids: str) -> str:
    rows = "\n".join(
        f"  - {{id: {cid}, name: {cid}社区, secretary: 书记{cid}, staff: {{a: 甲{cid}, b: 乙{cid}}}}}" for cid in ids
    )
    return f"communities:\n{rows}\n"


def ledger_yaml(line: str, entries: str, review: bool = True) -> str:
    head = f"line: {line}\nyear: 2008\n"
    if review:
        head += "review: {by: 审核人, date: 2009-01-05}\n"
    body = textwrap.indent(textwrap.dedent(entries).strip("\n"), "  ") if entries.strip() else ""
    return head + ("entries:\n" + body + "\n" if body else "entries: []\n")


# ``ids`` is a Sequence, not a tuple: to mypy, ``**{"content/x.yaml": text}`` may fill any parameter.
def small_project(
    entries_a: str = "", entries_b: str = "", ids: Sequence[str] = ("c1", "c2", "c3"), **extra: str
) -> MemorySource:
    files = {
        "content/rubric.yaml": SMALL_RUBRIC,
        "content/communities.yaml": communities_yaml(*ids),
        "content/ledgers/a.yaml": ledger_yaml("a", entries_a),
        "content/ledgers/b.yaml": ledger_yaml("b", entries_b),
    }
    files.update(extra)
    return MemorySource(files)


def run_ok(source: MemorySource) -> Outcome:
    outcome = run(source)
    errors = [str(d) for d in outcome.diagnostics if d.is_error]
    assert not errors, "\n".join(errors)
    assert outcome.results is not None
    return outcome


def results_of(source: MemorySource) -> Results:
    """The results of a year that loads and checks without an error."""
    results = run_ok(source).results
    assert results is not None
    return results


# an objection to small_project's entry of c1 on 2008-12-20 (work.rules.each), without its 复核
OBJECTION = """\
objections:
  - id: c1-december
    by: 张某某
    community: c1
    entry: a/2008-12-20/c1/work.rules.each
    received: 2009-01-07
    says: 12月20日检查时已整改，不应扣分。
"""


DECISION = """\
meeting: 2009-01-09
minutes: 党工委会议纪要〔2009〕1号
results_sha256: {digest}
notice: {{number: 街通〔2009〕1号, date: 2009-01-10}}
"""


TEST_DECISION = DECISION.replace("党工委会议纪要〔2009〕1号", "纪要").replace("街通〔2009〕1号", "测试通〔2009〕2号")


def with_decision(source: MemorySource, decision: str = DECISION) -> MemorySource:
    """``source`` with a decision.yaml (``decision``, its ``{digest}`` filled) approving the results it computes now."""
    source.files["content/decision.yaml"] = decision.format(digest=results_of(source).sha256)
    return source


def messages(diagnostics: list[Diagnostic]) -> list[str]:
    return [str(d) for d in diagnostics]


def write_project(root: Path, source: MemorySource) -> Path:
    """The files of ``source`` written below ``root`` (a project folder for the CLI); returns ``root``."""
    for relpath, text in source.files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    return root


def parse_differences(markup: str) -> list[str]:
    """Where the notices' parser (lxml) and WeasyPrint's own (tinyhtml5) read ``markup`` differently.

    Element by element in document order: the tag, the attributes, the text and the tail, exactly;
    only the text around ``<body>`` (the root's text, the body's tail, its last child's tail), which
    is whitespace that lays out to nothing, is compared stripped.
    """
    import tinyhtml5
    from weasyprint.urls import URLFetcher

    from kaohe.render.pdf.parsing import parsed_html

    ours = element_facts(parsed_html(markup, "file:///notice/", URLFetcher()).etree_element)
    theirs = element_facts(tinyhtml5.parse(markup, namespace_html_elements=False))
    found = [
        f"element {n}: lxml {a!r}, tinyhtml5 {b!r}"
        for n, (a, b) in enumerate(zip(ours, theirs, strict=False))
        if a != b
    ]
    if len(ours) != len(theirs):
        found.append(f"lxml gives {len(ours)} elements, tinyhtml5 {len(theirs)}")
    return found[:10]


Facts = tuple[str, tuple[tuple[str, str], ...], str, str]


def element_facts(root: ET.Element) -> list[Facts]:
    """(tag, attributes, text, tail) of every element in document order.

    A comment's tail is text where it stands (WeasyPrint lays it out so): it is part of the text of
    its parent when no element comes before it, else of the tail of the element before it. The text
    around <body> is stripped.
    """
    facts: list[Facts] = []

    def walk(element: ET.Element, strip_text: bool, strip_tail: bool, tail: str) -> None:
        text = element.text or ""
        children = [child for child in element if is_element(child)]
        tails: dict[int, str] = {}
        previous: ET.Element | None = None
        for child in element:
            if is_element(child):
                previous = child
                tails[id(child)] = child.tail or ""
            elif previous is None:
                text += child.tail or ""
            else:
                tails[id(previous)] += child.tail or ""
        attributes = tuple(sorted(element.attrib.items()))
        facts.append(
            (element.tag, attributes, text.strip() if strip_text else text, tail.strip() if strip_tail else tail)
        )
        for child in children:
            around_body = (child.tag == "body" and element is root) or (element.tag == "body" and child is children[-1])
            walk(child, False, around_body, tails[id(child)])

    walk(root, True, True, root.tail or "")
    return facts


def is_element(node: ET.Element) -> bool:
    """An element, not a comment or a processing instruction (whose ``tag`` is a function)."""
    tag: object = node.tag
    return isinstance(tag, str)
