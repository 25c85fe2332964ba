"""Every command: documented in the README and in FORMAT.md, and printing one JSON object with --json.

Commands are thin: each calls one library function that returns a result object
and prints it. So ``--json`` is the same object whatever the outcome.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import TOOL_ROOT, copy_project, run_cli

from kaohe.cli.main import COMMANDS

README = (TOOL_ROOT / "README.md").read_text(encoding="utf-8")
FORMAT = (TOOL_ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
NAMES = [command.name for command in COMMANDS]


@pytest.mark.parametrize("name", NAMES)
def test_every_command_is_documented_in_the_readme_and_in_format(name: str) -> None:
    assert re.search(rf"`python build\.py {name}\b", README) or (name == "build" and "`python build.py`" in README)
    assert f"build.py {name}" in FORMAT or (name == "build" and "python build.py`" in FORMAT), name


def test_every_command_has_its_own_help() -> None:
    for command in COMMANDS:
        done = run_cli(TOOL_ROOT, command.name, "--help")
        assert done.returncode == 0
        assert command.description.split()[0] in done.stdout


def json_of(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = run_cli(root, *args, "--json")
    payload = json.loads(done.stdout)  # exactly one JSON document on stdout
    assert isinstance(payload, dict), done.stdout
    return done.returncode, payload


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_check_json_carries_the_status_with_the_diagnostics(project: Path) -> None:
    code, payload = json_of(project, "check")
    assert code == 0
    assert payload["errors"] == 0 and payload["final"] is True
    assert re.fullmatch(r"[0-9a-f]{64}", payload["results_sha256"])
    assert payload["draft_reasons"] == [] and payload["changed_after_approval"] == []


def test_check_json_on_broken_content_lists_every_error(project: Path) -> None:
    (project / "content" / "ledgers" / "party.yaml").write_text("line: party\nyear: 2008\nentries: [\n", "utf-8")
    code, payload = json_of(project, "check")
    assert code == 1
    assert payload["errors"] >= 1 and "final" not in payload
    assert payload["diagnostics"][0]["path"] == "content/ledgers/party.yaml"


def test_fmt_json_says_what_it_checked_and_what_it_would_rewrite(project: Path) -> None:
    code, payload = json_of(project, "fmt", "--check")
    assert (code, payload["check"], payload["not_canonical"], payload["diagnostics"]) == (0, True, [], [])
    ledger = project / "content" / "ledgers" / "party.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("line: party", "line:   party"), "utf-8")
    code, payload = json_of(project, "fmt", "--check")
    assert (code, payload["not_canonical"]) == (1, ["content/ledgers/party.yaml"])
    code, payload = json_of(project, "fmt")
    assert (code, payload["rewritten"], payload["refusal"]) == (0, ["content/ledgers/party.yaml"], "")


def test_fmt_json_reports_a_file_outside_content_as_a_usage_error(project: Path) -> None:
    (project / "notes.yaml").write_text("a: 1\n", "utf-8")
    code, payload = json_of(project, "fmt", str(project / "notes.yaml"))
    assert code == 2
    assert payload["error"].startswith("fmt: ")


def test_archive_json_explains_a_draft(project: Path) -> None:
    (project / "content" / "decision.yaml").unlink()
    code, payload = json_of(project, "archive")
    assert code == 1
    assert payload["status"] == "draft"
    assert payload["draft_reasons"] == ["no 班子会 decision yet (content/decision.yaml)"]


def test_diff_json_outside_git_is_a_usage_error(project: Path) -> None:
    code, payload = json_of(project, "diff")
    assert code == 2
    assert "not inside a git repository" in payload["error"]


def test_build_json_names_every_file_it_wrote(project: Path) -> None:
    (project / "content" / "ledgers" / "party.yaml").write_text("line: party\nyear: 2008\nentries: [\n", "utf-8")
    code, payload = json_of(project, "build")
    assert code == 1
    assert payload["written"] == [] and payload["errors"] >= 1
    assert not (project / "output").exists()


def test_build_json_lists_exactly_the_files_in_output(built_sample: Path) -> None:
    payload = json.loads((built_sample / "build.json").read_text(encoding="utf-8"))
    output = built_sample / "output"
    on_disk = sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file())
    assert sorted(payload["written"]) == on_disk
    assert payload["final"] is True and payload["error"] == ""
    pdfs = [p for p in on_disk if p.startswith("pdf/") and p.endswith(".pdf")]
    # the rubric notice, the 通报, one sheet for each of the 10 communities, one 处理告知书 for each of the
    # 10 people given a measure (results.json lists 10 measures, each for another person), the 公示 notice
    # and one 复核结果告知书 for each of the 2 objections of content/publicity.yaml: 2 + 10 + 10 + 1 + 2
    assert len(pdfs) == 25
    docxs = [p for p in on_disk if p.startswith("pdf/") and p.endswith(".docx")]
    assert [p.removesuffix(".docx") for p in docxs] == [p.removesuffix(".pdf") for p in pdfs]  # one beside each
    offered = [p for p in on_disk if p.startswith("site/downloads/pdf/")]
    assert sorted(p.removeprefix("site/downloads/") for p in offered) == sorted(pdfs + docxs), (
        "the site offers every PDF and DOCX the build wrote"
    )


def test_a_build_names_the_files_of_the_previous_output_it_no_longer_makes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kaohe.actions.build import build
    from kaohe.cli.build import removed_text
    from kaohe.render.data import render_results_json

    (project / "output" / "pdf").mkdir(parents=True)
    for name in ("处理告知书-甲.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf"):
        (project / "output" / "pdf" / name).write_bytes(b"%PDF")  # as a final build left them
    built = build(project, TOOL_ROOT / "templates", renderers=(render_results_json,), quiet=True)
    assert built.ok and built.written == ("results.json", "results.sha256")
    assert built.removed == tuple(
        f"pdf/{n}" for n in ("b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf", "处理告知书-甲.pdf")
    )
    assert built.as_json()["removed"] == list(built.removed)
    assert removed_text(built.removed) == (
        "removed 6 files of the previous output/ that this build does not make: "
        "pdf/b.pdf, pdf/c.pdf, pdf/d.pdf, pdf/e.pdf, pdf/f.pdf and 1 more"
    )
    again = build(project, TOOL_ROOT / "templates", renderers=(render_results_json,), quiet=True)
    assert again.removed == ()  # the same files as the last build: nothing to say
