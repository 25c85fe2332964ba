"""``build.py archive``: the history file of final results, refused while the results are a draft."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gitflow_support import copy_content

from kaohe.cli.main import main
from kaohe.content.canonical import canonical_text
from kaohe.content.load import load_history
from kaohe.content.model import HistoryYear
from kaohe.content.source import WorkingTree
from kaohe.errors import Diagnostic
from kaohe.pipeline import run
from kaohe.scoring.measures import was_last
from kaohe.scoring.results import Results

TOOL_ROOT = Path(__file__).resolve().parents[2]


def results_of(root: Path) -> Results:
    outcome = run(WorkingTree(root))
    assert outcome.ok and outcome.results is not None, [str(d) for d in outcome.diagnostics if d.is_error]
    return outcome.results


def make_final(root: Path) -> Results:
    """Review every ledger and record the results' hash in decision.yaml, as the office does."""
    results = results_of(root)
    review_day = results.rubric.period_to.replace(year=results.year + 1, month=1, day=5).isoformat()
    for ledger in results.content.ledgers:
        if ledger.review is None:
            path = root / ledger.path
            text = path.read_text(encoding="utf-8")
            path.write_text(
                re.sub(r"(?m)^year: .*$", rf"\g<0>\nreview: {{by: 审核人, date: {review_day}}}", text, count=1)
            )
    decision = root / "content/decision.yaml"
    if not decision.is_file():
        decision.write_text(
            f"meeting: {review_day}\nminutes: 会议纪要\nnotice: {{number: 文号, date: {review_day}}}\n",
            encoding="utf-8",
        )
    text = decision.read_text(encoding="utf-8")
    digest = results_of(root).sha256
    if re.search(r"(?m)^results_sha256:", text):
        text = re.sub(r"(?m)^results_sha256: .*$", f"results_sha256: {digest}", text)
    else:
        text += f"results_sha256: {digest}\n"
    decision.write_text(text, encoding="utf-8")
    final = results_of(root)
    assert final.final, final.finality.drafts
    return final


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_content(TOOL_ROOT, tmp_path / "project")


def archive(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--root", str(root), "archive", *args])
    out, err = capsys.readouterr()
    return code, out, err


def history_file(root: Path, year: int) -> HistoryYear:
    problems: list[Diagnostic] = []
    history = load_history(WorkingTree(root), f"content/history/{year}.yaml", problems)
    assert not problems and history is not None, [str(p) for p in problems]
    return history


@pytest.mark.slow
def test_final_results_are_archived_with_every_score_rank_and_person(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = make_final(project)
    code, out, _err = archive(capsys, project)
    assert code == 0
    assert f"wrote content/history/{results.year}.yaml" in out

    history = history_file(project, results.year)
    assert history.year == results.year
    assert [row.id for row in history.communities] == [c.id for c in results.communities]
    for row, community in zip(history.communities, results.communities, strict=True):
        person = community.score.community
        assert (row.total, row.rank, row.vetoed, row.secretary) == (
            community.total,
            community.rank,
            community.vetoed,
            person.secretary,
        )
        for top in results.rubric.indicators:
            category = row.categories[top.id]
            expected = community.categories[top.id]
            assert (category.score, category.rank) == (expected.score, expected.rank)
            assert category.staff == person.staff.get(top.line, "")


@pytest.mark.slow
def test_the_archive_names_everyone_in_last_place_so_next_year_can_count_streaks(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = make_final(project)
    archive(capsys, project)
    history = history_file(project, results.year)
    assert results.measures
    for measure in results.measures:
        assert was_last(history, measure.person, measure.role, measure.scope), measure


@pytest.mark.slow
def test_the_archive_is_in_canonical_form_and_says_where_it_came_from(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = make_final(project)
    archive(capsys, project)
    relpath = f"content/history/{results.year}.yaml"
    text = (project / relpath).read_text(encoding="utf-8")
    assert canonical_text(relpath, text) == text
    assert f"results_sha256: {results.sha256}" in text.splitlines()[1]


@pytest.mark.slow
def test_draft_results_are_not_archived(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content/decision.yaml").unlink(missing_ok=True)
    results = results_of(project)
    code, _out, err = archive(capsys, project)
    assert code == 1
    assert f"the {results.year} results are not final (草稿)" in err
    assert "no 班子会 decision yet (content/decision.yaml)" in err
    assert not (project / f"content/history/{results.year}.yaml").exists()


@pytest.mark.slow
def test_a_different_archive_is_replaced_only_with_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = make_final(project)
    archive(capsys, project)
    path = project / f"content/history/{results.year}.yaml"
    written = path.read_text(encoding="utf-8")
    assert archive(capsys, project)[1] == f"content/history/{results.year}.yaml is already up to date\n"

    path.write_text(written.replace("rank: 1", "rank: 2", 1), encoding="utf-8")
    code, _out, err = archive(capsys, project)
    assert code == 1
    assert "already exists and differs from the final results; nothing written. Use --force" in err
    assert path.read_text(encoding="utf-8") != written

    assert archive(capsys, project, "--force")[0] == 0
    assert path.read_text(encoding="utf-8") == written


@pytest.mark.slow
def test_archive_json_says_what_it_did_and_check_still_passes_after_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = make_final(project)
    code, out, _err = archive(capsys, project, "--json")
    assert code == 0
    path = f"content/history/{results.year}.yaml"
    quiet = {"diagnostics": [], "draft_reasons": [], "problem": ""}
    assert json.loads(out) == {"path": path, "status": "written", "year": results.year, **quiet}
    code, out, _err = archive(capsys, project, "--json")
    assert json.loads(out) == {"path": path, "status": "unchanged", "year": results.year, **quiet}
    capsys.readouterr()
    assert main(["--root", str(project), "check"]) == 0
