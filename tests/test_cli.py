"""The build.py command line: commands, help, exit codes, results.json and finality."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import TOOL_ROOT, run_cli, small_project, with_decision, write_project

GOLDEN = TOOL_ROOT / "tests" / "golden" / "results-2008.json"


def test_check_on_the_sample_year_passes_and_prints_the_results_hash(sample_project: Path) -> None:
    done = run_cli(sample_project, "check")
    assert done.returncode == 0, done.stderr
    assert "results final" in done.stdout
    assert "results_sha256: " in done.stdout
    assert not (sample_project / "output").exists()


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    done = run_cli(tmp_path, *command, "--help")
    assert done.returncode == 0
    assert "usage: build.py" in done.stdout


def test_unknown_command_is_a_usage_error(sample_project: Path) -> None:
    done = run_cli(sample_project, "publish")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_a_folder_without_content_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "check")
    assert done.returncode == 2
    assert "no content/ folder" in done.stderr


def test_build_writes_results_json_as_the_contract_says(built_sample: Path, sample_results: dict[str, Any]) -> None:
    raw = (built_sample / "output" / "results.json").read_bytes()
    assert raw == (json.dumps(sample_results, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")
    keys = {"year", "final", "content_sha256", "communities", "measures", "stage", "publicity"}
    assert set(sample_results) == keys  # the sample year has a 公示 (content/publicity.yaml)
    # 2009-01-04 is the Sunday worked for 元旦 2009, then Mon 5 … Thu 8: five working days
    assert sample_results["publicity"] == {"from": "2009-01-04", "to": "2009-01-08", "working_days": 5}
    assert sample_results["stage"] in {"draft", "publicity", "review", "final"}
    assert (sample_results["stage"] == "final") is sample_results["final"]
    assert len(sample_results["content_sha256"]) == 64
    for community in sample_results["communities"]:
        assert set(community) == {
            "id", "name", "total", "rank", "vetoed", "vetoes", "award_rank", "award", "reward", "categories",
        }  # fmt: skip
        assert isinstance(community["total"], str) and community["total"].count(".") == 1
        assert len(community["total"].split(".")[1]) == 2
        for category in community["categories"].values():
            assert set(category) == {"points", "score", "rank"}
        if community["vetoed"]:
            assert community["award_rank"] is None and community["award"] is None and community["reward"] == 0
            assert all(set(v) == {"line", "rule", "date", "note"} for v in community["vetoes"])
    ranks = [(c["rank"], c["id"]) for c in sample_results["communities"]]
    assert ranks == sorted(ranks)
    for measure in sample_results["measures"]:
        assert set(measure) == {"community", "person", "role", "scope", "streak", "measure", "exempt"}


def test_sample_year_matches_the_golden_results(sample_results: dict[str, Any], request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-golden"):
        GOLDEN.write_text(json.dumps(sample_results, ensure_ascii=False, sort_keys=True, indent=2) + "\n", "utf-8")
    assert sample_results == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_sample_year_exercises_every_rule(sample_results: dict[str, Any]) -> None:
    communities = sample_results["communities"]
    top_three = [c for c in communities if c["rank"] <= 3]
    assert any(c["vetoed"] for c in top_three), "a veto in the top three, so awards back-fill"
    totals = [c["total"] for c in communities]
    assert len(set(totals)) < len(totals), "a tie"
    awarded = [c for c in communities if c["award"]]
    assert max(c["rank"] for c in awarded) > 3, "an award back-filled past a vetoed community"
    streaks = {m["streak"] for m in sample_results["measures"]}
    assert {1, 2, 3} <= streaks, "every measure level"
    assert any(m["exempt"] for m in sample_results["measures"]), "one exemption"


def test_results_hash_is_the_sha256_of_the_file_with_final_false_and_no_stage(
    built_sample: Path, sample_results: dict[str, Any]
) -> None:
    import hashlib

    draft = {key: value for key, value in sample_results.items() if key != "stage"} | {"final": False}
    text = json.dumps(draft, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    recorded = (built_sample / "output" / "results.sha256").read_text().strip()
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == recorded


def test_sample_year_is_final_with_its_decision(sample_results: dict[str, Any]) -> None:
    assert sample_results["final"] is True


def append_entry(project: Path, line: str, entry: str) -> None:
    ledger = project / "content" / "ledgers" / f"{line}.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry + "\n", encoding="utf-8")


EXTRA_DEDUCTION = "  - {date: 2008-12-20, community: ziqiao, rule: center.tasks.late, count: 2, note: 年底补记}"


SMALL_ENTRIES = """\
- {date: 2008-03-01, community: c1, rule: work.rules.each, note: 制度不全}
- {date: 2008-06-30, community: c2, rule: work.other.each, note: 未按时上报}
"""
LATE_DEDUCTION = "  - {date: 2008-12-20, community: c2, rule: work.other.each, count: 2, note: 年底补记}"


def approved_small_year(root: Path) -> Path:
    """A small project on disk (SMALL_RUBRIC, two communities) whose decision.yaml approves its results."""
    return write_project(root, with_decision(small_project(SMALL_ENTRIES, ids=("c1", "c2"))))


@pytest.mark.slow
def test_a_ledger_edited_after_approval_turns_results_draft_and_says_what_changed(tmp_path: Path) -> None:
    project = approved_small_year(tmp_path / "project")
    built = run_cli(project)
    assert built.returncode == 0, built.stderr
    assert json.loads((project / "output" / "results.json").read_text(encoding="utf-8"))["final"] is True
    append_entry(project, "a", LATE_DEDUCTION)
    done = run_cli(project)
    assert done.returncode == 0, done.stderr
    assert "审定后结果已变动" in done.stderr
    assert "c2社区: total" in done.stderr
    results = json.loads((project / "output" / "results.json").read_text(encoding="utf-8"))
    assert results["final"] is False


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_after_approval_the_changed_files_are_named_from_git(sample_project: Path) -> None:
    git(sample_project, "init", "-q")
    git(sample_project, "-c", "user.name=办公室", "-c", "user.email=office@example.cn", "add", "content")
    git(sample_project, "-c", "user.name=办公室", "-c", "user.email=office@example.cn", "commit", "-qm", "审定")
    append_entry(sample_project, "center", EXTRA_DEDUCTION)
    done = run_cli(sample_project, "check")
    assert done.returncode == 0
    assert "changed file: content/ledgers/center.yaml" in done.stderr
    assert "紫桥社区: total" in done.stderr
