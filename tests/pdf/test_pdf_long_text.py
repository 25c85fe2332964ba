"""Long text never hangs a build: long titles break in linear time, long notes are cut in the PDF."""

from __future__ import annotations

import math
import random
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import combinations, pairwise
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from pdf_support import flat, read_pdf
from support import MemorySource, run_ok, small_project

from kaohe.content.limits import MAX_TEXT_CHARS
from kaohe.pipeline import run
from kaohe.render.pdf import documents
from kaohe.render.pdf import typeset as typeset_module
from kaohe.render.pdf.renderer import PdfRenderer
from kaohe.render.pdf.typeset import (
    NOTE_CHARS,
    NOTE_MORE,
    balanced_title_lines,
    cells,
    clip_html,
    clip_text,
    title_lines,
    title_tokens,
)

TOOL_ROOT = Path(__file__).resolve().parents[2]
PLACES = "紫桥东风幸福和平建设胜利光明团结友谊新华人民解放长江黄河泰山华山衡山嵩山恒山"


def community_name(length: int) -> str:
    """A community name of ``length`` characters (no title vocabulary in it: one word a character)."""
    return (PLACES * (length // len(PLACES) + 1))[: length - 2] + "社区"


def sheet_title(name: str) -> str:
    return f"{name}二〇〇八年度考核得分及扣分明细"


class Overran(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the test run) when the block is still running after ``seconds``."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Overran(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def exhaustive_title_lines(title: str, max_cells: int) -> list[str]:
    """The former breaker: every combination of breaks (exponential, only for short titles)."""
    tokens = title_tokens(title)
    if cells(title) <= max_cells or len(tokens) < 2:
        return [title]
    for count in range(2, len(tokens) + 1):
        best: tuple[Decimal, list[str]] | None = None
        for cuts in combinations(range(1, len(tokens)), count - 1):
            lines = ["".join(tokens[a:b]) for a, b in pairwise((0, *cuts, len(tokens)))]
            widths = [cells(line) for line in lines]
            if max(widths) > max_cells:
                continue
            if best is None or max(widths) - min(widths) < best[0]:
                best = (max(widths) - min(widths), lines)
        if best is not None:
            return best[1]
    return [title]


def test_titles_break_where_the_exhaustive_search_broke_them() -> None:
    words = ["关于", "印发", "年度", "社区", "工作", "目标", "管理", "考核", "细则", "的通知", "明细", "一览表"]
    words += ["《", "》", "（", "）", "，", "、", "紫", "桥", "A1", "Excel", "二〇〇八年", "及", "x y"]
    titles = [
        "关于印发《二〇〇八年社区工作目标管理量化考核细则》的通知",
        "关于二〇〇八年度社区工作目标管理考核结果的通报",
        "二〇〇八年度社区工作目标管理考核得分及排名表",
        sheet_title("紫桥社区"),
    ]
    rng = random.Random(20090110)
    titles += ["".join(rng.choice(words) for _ in range(rng.randint(3, 11))) for _ in range(300)]
    for title in titles:
        for max_cells in (20, 12, 7):
            assert balanced_title_lines(title, max_cells) == exhaustive_title_lines(title, max_cells), (
                title,
                max_cells,
            )


@pytest.mark.parametrize("length", [90, 300])
def test_a_long_title_breaks_at_once_into_the_fewest_full_lines(length: int) -> None:
    title = sheet_title(community_name(length))
    started = time.perf_counter()
    with deadline(10):
        lines = title_lines(title, 20)
    assert time.perf_counter() - started < 1
    assert "".join(lines) == title
    assert all(cells(line) <= 20 for line in lines)
    assert len(lines) == math.ceil(cells(title) / 20)  # as few lines as the width allows
    assert max(map(cells, lines)) - min(map(cells, lines)) <= 3


def test_a_very_long_title_of_words_and_marks_still_breaks_at_once() -> None:
    unit = "关于印发《二〇〇八年社区工作目标管理量化考核细则》的通知，Excel表格（附件）"
    title = unit * 300  # about 12,000 characters
    started = time.perf_counter()
    with deadline(30):
        lines = title_lines(title, 20)
    assert time.perf_counter() - started < 5
    assert "".join(lines) == title and all(cells(line) <= 20 for line in lines)
    assert not any(line.startswith(("》", "）", "，")) for line in lines)


def typeset_steps(title: str) -> int:
    """Lines of kaohe/render/pdf/typeset.py executed by title_lines: the work, independent of the machine."""
    steps = 0
    source = typeset_module.__file__

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal steps
        if frame.f_code.co_filename != source:
            return None
        if event == "line":
            steps += 1
        return trace

    sys.settrace(trace)
    try:
        with deadline(30):
            title_lines(title, 20)
    finally:
        sys.settrace(None)
    return steps


def test_breaking_a_title_twice_as_long_takes_about_twice_the_work() -> None:
    short = typeset_steps(sheet_title(community_name(300)))
    long = typeset_steps(sheet_title(community_name(600)))
    assert long < 2.5 * short, (short, long)


def test_long_notes_are_cut_with_a_pointer_to_the_ledger() -> None:
    assert clip_text("短说明") == "短说明"
    long = "社区未按要求开展三项制度建设。" * 1000
    assert clip_text(long) == long[:NOTE_CHARS] + NOTE_MORE
    html = "<strong>重要</strong>" + "<em>" + "甲&amp;乙" * 2000 + "</em>"
    assert clip_html("<strong>重要</strong>说明") == "<strong>重要</strong>说明"
    cut = str(clip_html(html))
    assert cut.endswith("</em>" + NOTE_MORE)
    assert cut.count("<em>") == cut.count("</em>") == 1
    assert len(typeset_module.plain_text(cut)) == NOTE_CHARS + len(NOTE_MORE)


def long_text_project(name: str, note: str) -> MemorySource:
    communities = (
        "communities:\n"
        f"  - {{id: c1, name: {name}, secretary: 书记甲, staff: {{a: 甲, b: 乙}}}}\n"
        "  - {id: c2, name: 乙社区, secretary: 书记乙, staff: {a: 甲, b: 乙}}\n"
    )
    entries = f'- {{date: 2008-03-01, community: c1, rule: work.rules.each, note: "{note}"}}'
    veto = f'- {{date: 2008-05-01, community: c1, rule: safe.accident.death, note: "{note}"}}'
    return small_project(entries, veto, ids=("c1", "c2"), **{"content/communities.yaml": communities})


def test_a_note_longer_than_content_allows_is_refused_with_a_clear_message() -> None:
    note = "社区未按要求开展三项制度建设。" * 7000  # 100,000 characters
    outcome = run(long_text_project(community_name(90), note))
    errors = [str(d) for d in outcome.diagnostics if d.is_error]
    assert errors and all(f"at most {MAX_TEXT_CHARS:,}" in e for e in errors), errors


@pytest.mark.slow
def test_a_90_character_name_and_the_longest_note_render_in_time(tmp_path: Path) -> None:
    name = community_name(90)
    sentence = "社区未按要求开展三项制度建设，台帐记载不全，经核实扣分。"
    note = (sentence * (MAX_TEXT_CHARS // len(sentence) + 1))[:MAX_TEXT_CHARS]  # 60 KB of UTF-8
    started = time.perf_counter()
    with deadline(120):
        results = run_ok(long_text_project(name, note)).results
        assert results is not None
        docs = documents(results, 0)
        renderer = PdfRenderer(TOOL_ROOT / "templates")
        for number, doc in enumerate(docs):
            renderer.render(doc, tmp_path / f"{number}.pdf")
    assert time.perf_counter() - started < 60
    sheet = next(n for n, doc in enumerate(docs) if name in doc.meta_title)
    text = flat(read_pdf(tmp_path / f"{sheet}.pdf").text)
    assert f"{name}党总支、居委会" in text
    assert sheet_title(name) in text
    assert note[:40] in text and flat(NOTE_MORE) in text
    report = flat(read_pdf(tmp_path / "0.pdf").text)
    assert name in report and NOTE_MORE in report
