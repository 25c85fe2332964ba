"""Hostile content within and beyond the bounds of kaohe/content/limits.py: one positioned error, quickly.

Each case of the security review is pinned here: alias bombs (in a ledger, in the rubric, under a
memory cap), an alias cycle, 10,000-deep flow lists and maps, a 2,000-deep block list, a file over
the size limit, 5,001-digit numbers, an amount of 10^28 through a whole run and build, a 30,000-character
note; and every truncation of a sample ledger gives diagnostics that point inside what is left.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TypeVar

import pytest
from support import (
    SAMPLE_CONTENT,
    TOOL_ROOT,
    MemorySource,
    ledger_yaml,
    run_cli,
    run_ok,
    small_project,
    write_project,
)

from kaohe.content import yamlnodes
from kaohe.content.limits import (
    MAX_ALIASES,
    MAX_AMOUNT,
    MAX_DEPTH,
    MAX_DIGITS,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_PLACES,
    MAX_REPEATED,
    MAX_TEXT_CHARS,
    PRECOUNT_BYTES,
    SCORING_PRECISION,
)
from kaohe.content.load import load_ledger
from kaohe.content.model import Content, Rubric
from kaohe.content.source import FileTooLarge, GitRevision, WorkingTree
from kaohe.content.yamlnodes import parse_yaml
from kaohe.errors import Diagnostic
from kaohe.pipeline import Outcome, run
from kaohe.render.vocab import percent
from kaohe.scoring.score import CommunityScore, exact, ratio_bonus, score_all

T = TypeVar("T")

LEDGER = "content/ledgers/party.yaml"
RUBRIC = "content/rubric.yaml"
SECONDS = 5.0  # generous: each case takes well under a second on its own
CLI_SECONDS = 30.0  # a whole interpreter start and the sample year's check, on a busy machine
MEMORY_CAP = 1 << 30  # 1 GiB of address space for the CLI under an alias bomb


# --- helpers ----------------------------------------------------------------------------


def quickly(action: Callable[[], T], seconds: float = SECONDS) -> T:
    start = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    return result


def errors(outcome: Outcome) -> list[str]:
    return [str(d) for d in outcome.diagnostics if d.is_error]


def where(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    offset = text.index(needle)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def prepend(root: Path, relpath: str, text: str) -> None:
    """``text`` (top-level keys) before the file's own text: positions inside it do not depend on the sample."""
    path = root / relpath
    path.write_text(text + path.read_text(encoding="utf-8"), encoding="utf-8")


def checked(root: Path) -> list[str]:
    return quickly(lambda: errors(run(WorkingTree(root))))


def bomb(levels: int = 9, fan: int = 9) -> str:
    """Billion laughs: each level a list of ``fan`` aliases of the level before (9^9 texts, in 1 KB)."""
    rows = [f"a0: &a0 [{', '.join(['lol'] * fan)}]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]" for i in range(1, levels + 1)]
    return "\n".join(rows) + "\n"


def bomb_crossing(levels: int = 9, fan: int = 9) -> tuple[int, int]:
    """Where :func:`bomb`, at the top of a file, crosses MAX_NODES: the alias that takes the count past it."""
    count = 1 + 1 + 1 + fan  # the file's mapping, key a0, its list and texts
    weight = 1 + fan  # what an alias of the level before stands for
    for level in range(1, levels + 1):
        count += 2  # the key and the list
        for nth in range(fan):
            count += weight
            if count > MAX_NODES:
                return level + 1, len(f"a{level}: &a{level} [") + nth * len(f"*a{level - 1}, ") + 1
        weight = 1 + fan * weight
    raise AssertionError("the bomb stays within MAX_NODES")  # pragma: no cover


NODES_MESSAGE = f"more than {MAX_NODES:,} values in one file (an alias counts as a copy of what it stands for)"
DEPTH_MESSAGE = f"lists and mappings nested more than {MAX_DEPTH} deep"


@pytest.fixture(params=["libyaml", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both of ruamel's parsers: libyaml (the usual one) and the pure-Python fallback."""
    if request.param == "libyaml" and not yamlnodes.HAVE_LIBYAML:
        pytest.skip("ruamel.yaml.clib is not installed")
    monkeypatch.setattr(yamlnodes, "HAVE_LIBYAML", request.param == "libyaml")
    yield request.param


# --- aliases ----------------------------------------------------------------------------


def test_an_alias_bomb_in_a_ledger_is_one_error_where_it_crosses_the_bound(sample_project: Path) -> None:
    prepend(sample_project, LEDGER, bomb())
    line, col = bomb_crossing()
    assert f"{LEDGER}:{line}:{col}: error: {NODES_MESSAGE}" in checked(sample_project)


def test_an_alias_bomb_in_the_rubric_is_one_error_where_it_crosses_the_bound(sample_project: Path) -> None:
    prepend(sample_project, RUBRIC, bomb())
    line, col = bomb_crossing()
    assert f"{RUBRIC}:{line}:{col}: error: {NODES_MESSAGE}" in checked(sample_project)


def capped_memory() -> None:  # pragma: no cover - runs in the child, before build.py
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def test_check_of_an_alias_bomb_exits_1_with_the_message_under_a_1_gib_cap(sample_project: Path) -> None:
    prepend(sample_project, LEDGER, bomb())
    line, col = bomb_crossing()
    command = [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(sample_project), "check"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, preexec_fn=capped_memory, check=False)
    assert time.perf_counter() - start < CLI_SECONDS
    assert done.returncode == 1, done.stderr
    assert f"{LEDGER}:{line}:{col}: error: {NODES_MESSAGE}" in done.stderr.splitlines()
    assert "Traceback" not in done.stderr


def test_an_alias_cycle_is_an_error_at_the_alias(sample_project: Path) -> None:
    prepend(sample_project, LEDGER, "extra: &a [*a]\n")
    assert f"{LEDGER}:1:12: error: alias *a stands inside its own anchor &a (a cycle)" in checked(sample_project)


def test_a_few_aliases_are_read_as_what_they_stand_for() -> None:
    communities = "communities:\n" + "".join(
        f"  - {{id: {cid}, name: {cid}社区, secretary: 书记{cid}, staff: {'&s {a: 甲, b: 乙}' if cid == 'c1' else '*s'}}}\n"
        for cid in ("c1", "c2", "c3")
    )
    outcome = run_ok(small_project(**{"content/communities.yaml": communities}))
    assert outcome.content is not None
    assert [c.staff for c in outcome.content.communities] == [{"a": "甲", "b": "乙"}] * 3


def test_more_aliases_than_the_bound_is_an_error_at_the_one_too_many() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    _root, problems = parse_yaml("x.yaml", text)
    col = len("b: [") + MAX_ALIASES * len("*a, ") + 1
    assert [str(p) for p in problems] == [f"x.yaml:2:{col}: error: more than {MAX_ALIASES} aliases (*a) in one file"]


def test_an_alias_may_not_nest_deeper_than_the_bound() -> None:
    half = MAX_DEPTH // 2 + 1
    text = f"a: &a {'[' * half}{']' * half}\nb: {'[' * half}*a{']' * half}\n"
    _root, problems = parse_yaml("x.yaml", text)
    col = len("b: ") + half + 1
    assert [str(p) for p in problems] == [
        f"x.yaml:2:{col}: error: alias *a nests lists and mappings more than {MAX_DEPTH} deep"
    ]


# --- nesting ----------------------------------------------------------------------------

DEEP = {
    "flow list": ("extra: " + "[" * 10_000 + "]" * 10_000 + "\n", (1, len("extra: ") + MAX_DEPTH)),
    "flow map": ("extra: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", (1, len("extra: ") + 4 * MAX_DEPTH - 3)),
    "block list": ("extra:\n" + "".join(" " * (2 * i + 2) + "-\n" for i in range(2000)), (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)),
}  # fmt: skip


@pytest.mark.parametrize("kind", DEEP)
def test_deep_nesting_in_a_ledger_is_an_error_at_the_first_level_too_deep(sample_project: Path, kind: str) -> None:
    text, (line, col) = DEEP[kind]
    prepend(sample_project, LEDGER, text)
    assert f"{LEDGER}:{line}:{col}: error: {DEPTH_MESSAGE}" in checked(sample_project)


@pytest.mark.parametrize("kind", DEEP)
def test_deep_nesting_is_the_same_error_with_either_parser(parser: str, kind: str) -> None:
    text, (line, col) = DEEP[kind]
    root, problems = quickly(lambda: parse_yaml("x.yaml", text))
    assert root is None
    assert [str(p) for p in problems] == [f"x.yaml:{line}:{col}: error: {DEPTH_MESSAGE}"]


def test_nesting_up_to_the_bound_is_read() -> None:
    depth = MAX_DEPTH - 1  # and the file's own mapping
    root, problems = parse_yaml("x.yaml", "a: " + "[" * depth + "1" + "]" * depth + "\n")
    assert problems == [] and root is not None


# --- size -------------------------------------------------------------------------------


def too_large(size: int) -> str:
    return (
        f"the file is {size:,} bytes; a content file may have at most {MAX_FILE_BYTES:,} bytes "
        f"({MAX_FILE_BYTES // (1024 * 1024)} MiB): split it or remove what does not belong"
    )


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(sample_project: Path) -> None:
    with (sample_project / LEDGER).open("ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: the bytes past the text are never written
    assert errors(quickly(lambda: run(WorkingTree(sample_project)))) == [
        f"{LEDGER}:1:1: error: {too_large(MAX_FILE_BYTES + 1)}"
    ]


def test_text_over_the_size_limit_is_refused_by_the_parser_too() -> None:
    text = "#" * (MAX_FILE_BYTES + 1)
    assert [str(p) for p in quickly(lambda: parse_yaml("x.yaml", text))[1]] == [
        f"x.yaml:1:1: error: {too_large(MAX_FILE_BYTES + 1)}"
    ]
    wide = "中" * (MAX_FILE_BYTES // 3 + 1)  # fewer characters than the limit, more bytes
    assert [str(p) for p in parse_yaml("x.yaml", wide)[1]] == [f"x.yaml:1:1: error: {too_large(len(wide) * 3)}"]


def test_a_committed_file_over_the_size_limit_is_refused_before_git_hands_it_over(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (tmp_path / "content").mkdir()
    with (tmp_path / "content" / "big.yaml").open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "big"], check=True)
    with pytest.raises(FileTooLarge) as raised:
        GitRevision(tmp_path, "HEAD").read_text("content/big.yaml")
    assert str(raised.value) == too_large(MAX_FILE_BYTES + 1)
    assert GitRevision(tmp_path, "HEAD").read_text("content/none.yaml") is None


# --- numbers ----------------------------------------------------------------------------

HUGE = "1" + "0" * 5000  # 10**5000: 5,001 digits, past int()'s 4,300


def test_a_count_of_5001_digits_is_an_error_at_the_count() -> None:
    entry = f"- {{date: 2008-03-01, community: c1, rule: work.rules.each, count: {HUGE}, note: 检查发现}}"
    source = small_project(entry)
    line, col = where(source.files["content/ledgers/a.yaml"], HUGE)
    assert errors(quickly(lambda: run(source))) == [
        f"content/ledgers/a.yaml:{line}:{col}: error: 'count' has 5,001 digits: a number may have at most {MAX_DIGITS}"
    ]


def test_a_year_of_5001_digits_is_an_error_at_the_year() -> None:
    source = small_project(**{"content/ledgers/a.yaml": ledger_yaml("a", "").replace("year: 2008", f"year: {HUGE}")})
    found = errors(quickly(lambda: run(source)))
    assert (
        f"content/ledgers/a.yaml:2:7: error: 'year' has 5,001 digits: a number may have at most {MAX_DIGITS}" in found
    )


def test_a_rubric_year_of_5001_digits_is_an_error_at_the_year() -> None:
    rubric = small_project().files["content/rubric.yaml"].replace("year: 2008", f"year: {HUGE}")
    found = errors(quickly(lambda: run(small_project(**{"content/rubric.yaml": rubric}))))
    assert f"content/rubric.yaml:1:7: error: 'year' has 5,001 digits: a number may have at most {MAX_DIGITS}" in found


AMOUNT_28 = "1" + "0" * 28  # 10**28


def amount_entry(amount: str) -> str:
    return f"- {{date: 2008-03-01, community: c1, indicator: money.invest, amount: {amount}, note: 到位资金}}"


def test_an_amount_of_10_to_the_28_is_an_error_through_a_whole_run() -> None:
    source = small_project(entries_b=amount_entry(AMOUNT_28))
    line, col = where(source.files["content/ledgers/b.yaml"], AMOUNT_28)
    outcome = quickly(lambda: run(source))
    assert errors(outcome) == [
        f"content/ledgers/b.yaml:{line}:{col}: error: 'amount' {AMOUNT_28} is too large: "
        f"a number may be at most {MAX_AMOUNT:,}"
    ]
    assert outcome.results is None


def test_build_with_an_amount_of_10_to_the_28_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project", small_project(entries_b=amount_entry(AMOUNT_28)))
    done = quickly(lambda: run_cli(root, "build"), CLI_SECONDS)
    assert done.returncode == 1, done.stderr
    assert f"'amount' {AMOUNT_28} is too large: a number may be at most {MAX_AMOUNT:,}" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "output").exists()


def test_more_decimal_places_than_the_bound_is_an_error() -> None:
    source = small_project(entries_b=amount_entry("0.0000001"))
    line, col = where(source.files["content/ledgers/b.yaml"], "0.0000001")
    assert errors(run(source)) == [
        f"content/ledgers/b.yaml:{line}:{col}: error: 'amount' 0.0000001 has 7 decimal places: "
        f"at most {MAX_PLACES} are allowed"
    ]
    run_ok(small_project(entries_b=amount_entry("0.10000000")))  # trailing zeros carry no digit


def loaded(source: MemorySource) -> tuple[Rubric, Content]:
    content = run_ok(source).content
    assert content is not None and content.rubric is not None
    return content.rubric, content


def scored(rubric: Rubric, content: Content) -> list[CommunityScore]:
    return score_all(rubric, content.communities, content.entries())


def test_numbers_at_the_bounds_score_and_show_without_raising() -> None:
    largest = "999999999999.999999"
    rubric = (
        small_project()
        .files["content/rubric.yaml"]
        .replace("targets: {default: 100, c2: 200}", "targets: {default: 0.000001}")
    )
    source = small_project(entries_b="\n".join([amount_entry(largest)] * 3), **{"content/rubric.yaml": rubric})
    invest = scored(*loaded(source))[0].leaves["money.invest"]
    assert invest.amount == Decimal("2999999999999.999997")
    assert invest.ratio == Decimal("2999999999999999997")  # the largest ratio one entry can make, times 3
    assert percent(invest.ratio) == "299999999999999999700.00%"  # shown within Decimal's default 28 digits
    assert invest.score == Decimal("23.00")  # 20 points and the bonus's max of 3


def test_scoring_is_exact_whatever_the_callers_decimal_context() -> None:
    source = small_project(entries_b=amount_entry("133.3345"))
    rubric, content = loaded(source)
    expected = scored(rubric, content)
    with localcontext() as narrow:
        narrow.prec = 3
        assert scored(rubric, content) == expected
    leaf = next(leaf for leaf in rubric.leaves() if leaf.full_id == "money.invest")
    assert leaf.bonus is not None
    assert ratio_bonus(leaf, Decimal("1.3")) == Decimal(3)  # exactly 3 steps of 0.1


def test_a_scoring_call_made_under_a_narrower_context_inside_another_is_still_exact() -> None:
    @exact
    def third() -> Decimal:
        return Decimal(1) / Decimal(3)

    @exact
    def outer() -> tuple[Decimal, Decimal]:
        inside = third()  # runs on in the outer call's context
        with localcontext() as narrow:
            narrow.prec = 3
            switched = third()  # a context of the caller's own in between: entered afresh
        return inside, switched

    inside, switched = outer()
    # 1/3 at SCORING_PRECISION digits, both times: "0." and that many 3s (at 3 digits it would be 0.333)
    assert str(inside) == str(switched) == "0." + "3" * SCORING_PRECISION


# --- text and repeated problems -------------------------------------------------------------


def test_a_note_of_30000_characters_is_an_error_at_the_note() -> None:
    note = "长" * 30_000
    source = small_project(f"- {{date: 2008-03-01, community: c1, rule: work.rules.each, count: 1, note: {note}}}")
    line, col = where(source.files["content/ledgers/a.yaml"], note)
    assert errors(quickly(lambda: run(source))) == [
        f"content/ledgers/a.yaml:{line}:{col}: error: a text of 30,000 characters: "
        f"at most {MAX_TEXT_CHARS:,} are allowed"
    ]


def dense_list(padding: int) -> str:
    """A comment of ``padding`` characters, then ``entries: [0,0,…]`` with one value more than the bound allows."""
    return "#" + "x" * padding + "\nentries: [" + "0," * MAX_NODES + "0]\n"


# The values, in order: the mapping (1), the key `entries` (2), the list (3), then its items; the
# (MAX_NODES + 1)-th value crosses the bound: item index MAX_NODES - 3, at column 11 + 2 × index.
DENSE_CROSSING = f"x.yaml:2:{11 + 2 * (MAX_NODES - 3)}: error: {NODES_MESSAGE}"


def test_a_file_too_large_for_a_real_ledger_has_its_values_counted_first_and_is_refused_at_the_same_value() -> None:
    text = dense_list(PRECOUNT_BYTES)  # over PRECOUNT_BYTES: counted before anything is built
    _tree, found = quickly(lambda: parse_yaml("x.yaml", text), 6)
    assert [str(d) for d in found] == [DENSE_CROSSING]


def test_a_file_of_too_many_values_below_the_precount_size_is_refused_by_the_builder_at_that_value() -> None:
    text = dense_list(0)  # 2.4 MB: built as usual, and counted as it grows
    assert len(text.encode()) < PRECOUNT_BYTES
    _tree, found = parse_yaml("x.yaml", text)
    assert [str(d) for d in found] == [DENSE_CROSSING]


def test_the_same_problem_in_one_list_is_listed_up_to_the_bound_then_counted() -> None:
    items = 3 * MAX_REPEATED
    text = "line: a\nyear: 2008\nentries: [" + ", ".join(["0"] * items) + "]\n"
    problems: list[Diagnostic] = []
    quickly(lambda: load_ledger(MemorySource({LEDGER: text}), LEDGER, problems))
    col = len("entries: [") + 1
    listed = [
        f"{LEDGER}:3:{col + 3 * n}: error: each item of entries must be a mapping, not '0'" for n in range(MAX_REPEATED)
    ]
    rest = f"{items - MAX_REPEATED:,} more items of entries that are not mappings here and after (the first {MAX_REPEATED} are listed)"
    assert [str(p) for p in problems] == [*listed, f"{LEDGER}:3:{col + 3 * MAX_REPEATED}: error: {rest}"]


def test_the_same_key_over_and_over_is_listed_up_to_the_bound_then_counted() -> None:
    text = "a: 1\n" * (2 * MAX_REPEATED + 1)
    _root, problems = parse_yaml("x.yaml", text)
    assert len(problems) == MAX_REPEATED + 1
    assert str(problems[0]) == "x.yaml:2:1: error: duplicate key 'a' (first at line 1)"
    assert str(problems[-1]) == (
        f"x.yaml:{MAX_REPEATED + 2}:1: error: {MAX_REPEATED:,} more duplicate keys here and after "
        f"(the first {MAX_REPEATED} are listed)"
    )


# --- every position inside its file ---------------------------------------------------------

BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks


def outside(diagnostics: list[Diagnostic], path: str, text: str) -> list[str]:
    """The diagnostics on ``path`` whose line or column does not exist in ``text`` (a final break starts no line)."""
    lines = BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return [
        str(d)
        for d in diagnostics
        if d.pos.path == path
        and not (1 <= d.pos.line <= len(lines) and 1 <= d.pos.col <= len(lines[d.pos.line - 1]) + 1)
    ]


def test_a_yaml_error_at_the_end_of_a_truncated_file_is_on_its_last_line() -> None:
    assert [str(p) for p in parse_yaml("x.yaml", "a: [1,\n")[1]] == [
        "x.yaml:1:7: error: malformed YAML: did not find expected node content (while parsing a flow node)"
    ]


SAMPLE_LEDGERS = sorted(p.name for p in (SAMPLE_CONTENT / "ledgers").glob("*.yaml"))


@pytest.mark.parametrize("name", SAMPLE_LEDGERS[:4])
def test_every_line_prefix_of_a_sample_ledger_is_diagnosed_inside_what_is_left(name: str) -> None:
    path = f"content/ledgers/{name}"
    text = (SAMPLE_CONTENT / "ledgers" / name).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    wrong: list[str] = []
    for count in range(len(lines) + 1):
        for prefix in ("".join(lines[:count]), "".join(lines[:count]).rstrip("\n")):
            problems: list[Diagnostic] = []
            load_ledger(MemorySource({path: prefix}), path, problems)
            wrong += outside(problems, path, prefix)
    assert wrong == []


def test_byte_prefixes_of_a_sample_ledger_are_diagnosed_inside_what_is_left(tmp_path: Path) -> None:
    data = (SAMPLE_CONTENT / "ledgers" / "party.yaml").read_bytes()
    wrong: list[str] = []
    for cut in sorted({*range(0, len(data), 97), *[n + 1 for n in range(len(data)) if data[n] >= 0xE0][::40]}):
        root = tmp_path / str(cut)
        (root / "content" / "ledgers").mkdir(parents=True)
        (root / LEDGER).write_bytes(data[:cut])
        problems: list[Diagnostic] = []
        load_ledger(WorkingTree(root), LEDGER, problems)
        wrong += outside(problems, LEDGER, data[:cut].decode("utf-8", "replace"))
    assert wrong == []


@pytest.mark.parametrize("fraction", [0.1, 0.37, 0.5, 0.83])
def test_a_truncated_ledger_in_a_whole_run_is_diagnosed_inside_what_is_left(
    sample_project: Path, fraction: float
) -> None:
    text = (sample_project / LEDGER).read_text(encoding="utf-8")
    cut = text[: int(len(text) * fraction)]
    (sample_project / LEDGER).write_text(cut, encoding="utf-8")
    outcome = run(WorkingTree(sample_project))
    assert outside(outcome.diagnostics, LEDGER, cut) == []


def test_fmt_reports_a_file_nested_too_deep_like_check(tmp_path: Path) -> None:
    from kaohe.actions.fmt import format_text

    deep = "line: party\nyear: 2008\nentries: " + "[" * 10_000 + "]" * 10_000 + "\n"
    formatted = format_text("content/ledgers/party.yaml", deep)
    assert formatted.after is None and formatted.problem is not None
    assert "nested more than" in formatted.problem.message
