"""PDF tests: the sample year built once as final (approved) and once as a draft."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import copy_project, run_cli

REVIEW = "review: {by: 审核人, date: 2009-01-06}\n"


def review_every_ledger(project: Path) -> None:
    """Give every ledger of the copy a 审核 record (FORMAT.md §6)."""
    for ledger in sorted((project / "content" / "ledgers").glob("*.yaml")):
        text = ledger.read_text(encoding="utf-8")
        if re.search(r"^review:", text, re.MULTILINE):
            continue
        text = re.sub(r"^(year: .*\n)", lambda m: m.group(1) + REVIEW, text, count=1, flags=re.MULTILINE)
        ledger.write_text(text, encoding="utf-8")


def approve(project: Path) -> None:
    """Write decision.yaml approving the results the copy computes now."""
    review_every_ledger(project)
    (project / "content" / "decision.yaml").unlink(missing_ok=True)
    checked = run_cli(project, "check")
    assert checked.returncode == 0, checked.stderr
    digest = re.search(r"results_sha256: ([0-9a-f]{64})", checked.stdout)
    assert digest, checked.stdout
    (project / "content" / "decision.yaml").write_text(
        "meeting: 2009-01-09\n"
        "minutes: 城北街道党工委会议纪要〔2009〕1号\n"
        f"results_sha256: {digest.group(1)}\n"
        "notice: {number: 常武北委通〔2009〕1号, date: 2009-01-10, letter_number: 常武北委函〔2009〕1号}\n",
        encoding="utf-8",
    )


def is_final(project: Path) -> bool:
    data = json.loads((project / "output" / "results.json").read_text(encoding="utf-8"))
    return bool(data["final"])


@pytest.fixture(scope="session")
def final_project(built_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A built project whose results are final: the sample itself when approved, else an approved copy."""
    if is_final(built_sample):
        yield built_sample
        return
    project = copy_project(tmp_path_factory.mktemp("final") / "project")
    approve(project)
    done = run_cli(project)
    assert done.returncode == 0, done.stderr
    assert is_final(project)
    yield project


@pytest.fixture(scope="session")
def draft_project(built_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A built project whose results are a draft (no 班子会 decision)."""
    if not is_final(built_sample):
        yield built_sample
        return
    project = copy_project(tmp_path_factory.mktemp("draft") / "project")
    (project / "content" / "decision.yaml").unlink(missing_ok=True)
    done = run_cli(project)
    assert done.returncode == 0, done.stderr
    assert not is_final(project)
    yield project


@pytest.fixture(scope="session", params=["final", "draft"])
def either_project(request: pytest.FixtureRequest) -> Path:
    project: Path = request.getfixturevalue(f"{request.param}_project")
    return project
