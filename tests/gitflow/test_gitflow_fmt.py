"""``build.py fmt``: one canonical form, comments kept, never a file that does not validate."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from gitflow_support import copy_content
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from support import small_project

from kaohe.actions.fmt import format_text
from kaohe.cli.main import main
from kaohe.content.canonical import canonical_text, reorder
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.scoring.results import results_dict

MESSY = """\
# 甲线日常考核台帐（测试）
entries:
    -   note: '两项制度不全'
        rule: "work.rules.each"
        count: 2
        community: c1   # 第一条
        date: 2008-03-01
        # 二季度

    -   {deduct: "0.5", note: 酌情扣分, date: 2008-04-02, community: 'c2', rule: work.rules.judge}
    -   date: 2008-05-03
        evidence: '**记录**'
        note: 'it''s: 违纪'
        community: c3
        rule: work.rules.none
review:
    date: 2009-01-05
    by: 审核人
year: 2008
line: a
"""

CANONICAL = """\
# 甲线日常考核台帐（测试）
line: a
year: 2008
review:
  by: 审核人
  date: 2009-01-05
entries:
  - date: 2008-03-01
    community: c1       # 第一条
    rule: work.rules.each
    count: 2
    note: 两项制度不全
  # 二季度

  - {date: 2008-04-02, community: c2, rule: work.rules.judge, deduct: "0.5", note: 酌情扣分}
  - date: 2008-05-03
    community: c3
    rule: work.rules.none
    note: "it's: 违纪"
    evidence: "**记录**"
"""

LEDGER = "content/ledgers/a.yaml"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A small valid project on disk whose ledger ``a`` is written messily."""
    for relpath, text in small_project().files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    (tmp_path / LEDGER).write_text(MESSY, encoding="utf-8")
    return tmp_path


def fmt(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "fmt", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_messy_ledger_is_rewritten_in_the_canonical_form(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = run(WorkingTree(small))
    code, out, _err = fmt(capsys, small)
    assert code == 0
    assert (small / LEDGER).read_text(encoding="utf-8") == CANONICAL
    assert f"formatted {LEDGER}" in out
    after = run(WorkingTree(small))
    assert before.results is not None and after.results is not None
    assert results_dict(after.results) == results_dict(before.results)


def test_formatting_twice_changes_nothing(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fmt(capsys, small)
    code, out, _err = fmt(capsys, small)
    assert code == 0
    assert "0 rewritten" in out
    assert canonical_text(LEDGER, CANONICAL) == CANONICAL


def test_check_names_the_files_that_are_not_canonical(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = fmt(capsys, small, "--check")
    assert code == 1
    assert out == f"{LEDGER}: not in canonical form\n"
    assert (small / LEDGER).read_text(encoding="utf-8") == MESSY, "--check writes nothing"
    fmt(capsys, small)
    assert fmt(capsys, small, "--check")[0] == 0


def test_check_of_named_files_looks_only_at_them(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = fmt(capsys, small, "--check", str(small / "content/ledgers/b.yaml"))
    assert code == 0
    assert out == "1 file in canonical form\n"


def test_a_file_that_does_not_validate_is_never_written(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = MESSY.replace("community: c3", "community: c9")
    (small / LEDGER).write_text(broken, encoding="utf-8")
    code, _out, err = fmt(capsys, small)
    assert code == 1
    assert "unknown community 'c9'" in err
    assert "nothing rewritten" in err
    assert (small / LEDGER).read_text(encoding="utf-8") == broken


def test_malformed_yaml_is_reported_at_its_position(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small / LEDGER).write_text("line: a\nentries:\n  - date: [2008\n", encoding="utf-8")
    code, _out, err = fmt(capsys, small, "--check")
    assert code == 1
    assert err.startswith(f"{LEDGER}:3:16: error: malformed YAML")


def test_a_file_outside_content_is_a_usage_error(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    code, _out, err = fmt(capsys, small, str(small / "notes.yaml"))
    assert code == 2
    assert "is not a content file" in err


def test_windows_line_ends_and_a_byte_order_mark_are_normalised() -> None:
    formatted = format_text(LEDGER, "\ufeffyear: 2008\r\nline: a\r\n# 备注\r\n")
    assert formatted.problem is None
    assert formatted.after == "line: a\nyear: 2008\n# 备注\n"


def test_a_hash_line_inside_a_text_block_is_text_not_a_comment() -> None:
    text = "line: a\nnote: |\n  第一行\n  # 这不是注释\n     缩进保留\nyear: 2008\n"
    formatted = format_text(LEDGER, text)
    assert formatted.after == "line: a\nyear: 2008\nnote: |\n  第一行\n  # 这不是注释\n     缩进保留\n"


@pytest.mark.slow
def test_the_sample_year_is_canonical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_content(Path(__file__).resolve().parents[2], tmp_path / "sample")
    code, out, _err = fmt(capsys, root, "--check")
    assert code == 0, out


ID_MAPS = {"staff", "targets", "categories"}  # maps keyed by ids keep their order


def scramble(text: str) -> str:
    """The same content with the keys of every list item reversed and every text single-quoted."""
    yaml = YAML(typ="rt")
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)

    def walk(node: object, top: bool, head: tuple[CommentedMap, object] | None = None) -> None:
        if isinstance(node, CommentedMap):
            for key, value in node.items():
                if key not in ID_MAPS:
                    walk(value, False, (node, key))
                if type(value) is str:
                    node[key] = SingleQuotedScalarString(value)
            if not top:
                reorder(node, list(reversed(list(node.keys()))), head)  # comments above a key go with it
        elif isinstance(node, CommentedSeq):
            for item in node:
                walk(item, False)

    walk(data, True)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("relpath", ["content/communities.yaml", "content/rubric.yaml", "content/decision.yaml"])
def test_scrambled_sample_files_come_back_exactly(relpath: str) -> None:
    original = (Path(__file__).resolve().parents[2] / relpath).read_text(encoding="utf-8")
    scrambled = scramble(original)
    assert scrambled != original
    assert canonical_text(relpath, scrambled) == original


@pytest.mark.slow
def test_every_scrambled_sample_ledger_comes_back_exactly() -> None:
    for path in sorted((Path(__file__).resolve().parents[2] / "content/ledgers").glob("*.yaml")):
        relpath = f"content/ledgers/{path.name}"
        original = path.read_text(encoding="utf-8")
        formatted = format_text(relpath, scramble(original))
        assert formatted.problem is None, formatted.problem
        assert formatted.after == original, relpath


def formatted(text: str) -> str:
    """``text`` as fmt writes it, which must format it, and format it again to the same."""
    first = format_text(LEDGER, text)
    assert first.problem is None and first.after is not None, first.problem
    assert format_text(LEDGER, first.after).after == first.after
    return first.after


def test_a_comment_above_a_key_moves_with_the_key() -> None:
    text = (
        "# 甲线台帐\n"
        "year: 2008\n"
        "# 线的编号\n"
        "line: a\n"
        "entries:\n"
        "  - community: c1\n"
        "    # 三月\n"
        "    date: 2008-03-01\n"
        "    note: 两项制度不全\n"
        "    # 两项各扣一次\n"
        "    count: 2\n"
        "    rule: work.rules.each\n"
        "# 审核\n"
        "review:\n"
        "  date: 2009-01-05\n"
        "  # 线负责人\n"
        "  by: 审核人\n"
    )
    assert formatted(text) == (
        "# 甲线台帐\n"
        "# 线的编号\n"  # line goes first: below the file's own heading
        "line: a\n"
        "year: 2008\n"
        "# 审核\n"
        "review:\n"
        "  # 线负责人\n"  # by goes first in review: still above it
        "  by: 审核人\n"
        "  date: 2009-01-05\n"
        "entries:\n"
        "  - date: 2008-03-01\n"
        "    # 三月\n"  # a list item has no line above its first key: just below it
        "    community: c1\n"
        "    rule: work.rules.each\n"
        "    # 两项各扣一次\n"
        "    count: 2\n"
        "    note: 两项制度不全\n"
    )


def test_a_comment_after_a_text_block_moves_with_the_key_below_it() -> None:
    text = (
        "line: a\nyear: 2008\nentries:\n"
        "  - date: 2008-03-01\n    community: c1\n"
        "    evidence: |\n      督查通报\n"
        "    # 说明：逾期\n"  # above note, below the block (whose text ends at the line before)
        "    note: 逾期上报\n"
        "    rule: work.rules.each\n"
    )
    assert formatted(text) == (
        "line: a\nyear: 2008\nentries:\n"
        "  - date: 2008-03-01\n    community: c1\n    rule: work.rules.each\n"
        "    # 说明：逾期\n    note: 逾期上报\n"
        "    evidence: |\n      督查通报\n"
    )


def test_a_comment_indented_under_the_value_above_stays_with_that_value() -> None:
    text = (
        "entries:\n"
        "  - date: 2008-03-01\n    community: c1\n    rule: work.rules.each\n    note: 甲\n"
        "  # 以上为全年记录\n"  # indented into the list: it closes the list, it is not about line
        "line: a\nyear: 2008\n"
    )
    assert formatted(text) == (
        "line: a\nyear: 2008\nentries:\n"
        "  - date: 2008-03-01\n    community: c1\n    rule: work.rules.each\n    note: 甲\n"
        "# 以上为全年记录\n"  # the end of the file: column 0, as every comment there
    )


def test_a_key_with_a_brace_value_moved_from_the_front_leaves_no_bare_dash() -> None:
    # after a {…} value ruamel keeps the comment with the key below: moved to the front, it wrote "-" alone
    text = "line: a\nyear: 2008\nvisits:\n  - consent: {by: 书记, date: 2008-12-15}\n    # 年底核实\n    date: 2008-12-20\n"
    assert formatted(text + "    note: 核实\n") == (
        "line: a\nyear: 2008\nvisits:\n  - date: 2008-12-20\n    # 年底核实\n"
        "    consent: {by: 书记, date: 2008-12-15}\n    note: 核实\n"
    )


def test_a_tab_before_a_comment_is_written_as_a_space() -> None:
    # libyaml (check) reads a tab before "#" as a space; the round trip refused the file ("malformed YAML")
    text = "line: a\nyear: 2008\nentries:\n  - date: 2008-03-01\t# 补录\n    community: c1\n    rule: work.rules.each\n"
    assert formatted(text + "    note: |\n      甲\t# 是正文\n") == (
        "line: a\nyear: 2008\nentries:\n  - date: 2008-03-01 # 补录\n    community: c1\n    rule: work.rules.each\n"
        "    note: |\n      甲\t# 是正文\n"
    )
