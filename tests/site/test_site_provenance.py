"""Provenance: each entry shows the commit, author and date that last changed its lines, when git knows."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from site_support import parse_html, project_results, render
from support import TOOL_ROOT

from kaohe.content.model import Entry
from kaohe.render.site.provenance import UNCOMMITTED, parse_porcelain, provenance

FIRST = {"GIT_AUTHOR_NAME": "王会计", "GIT_AUTHOR_DATE": "2008-04-01T10:00:00+08:00"}
SECOND = {"GIT_AUTHOR_NAME": "李审核", "GIT_AUTHOR_DATE": "2008-09-30T23:30:00+08:00"}


def git(root: Path, *args: str, who: dict[str, str] | None = None) -> str:
    people = who or FIRST
    env = {
        **os.environ,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": people["GIT_AUTHOR_NAME"],
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_COMMITTER_DATE": people["GIT_AUTHOR_DATE"],
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **people,
    }
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def rewrite_note(project: Path, entry: Entry, text: str) -> None:
    path = project / entry.pos.path
    lines = path.read_text(encoding="utf-8").split("\n")
    number = entry.at("note").line - 1
    key = lines[number].split("note:", 1)[0]
    lines[number] = f"{key}note: {text}"
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def repo_with_history(sample_project: Path) -> tuple[Path, Entry, Entry]:
    """The sample in git: one commit of everything, a second changing one note, one uncommitted change."""
    git(sample_project, "init", "-q", "-b", "main")
    git(sample_project, "add", "content")
    git(sample_project, "commit", "-q", "-m", "台帐初稿")
    ledger = project_results(sample_project).content.ledgers[0]
    changed, pending = ledger.entries[1], ledger.entries[3]
    rewrite_note(sample_project, changed, "复核后改写的说明")
    git(sample_project, "commit", "-q", "-am", "复核：改写说明", who=SECOND)
    rewrite_note(sample_project, pending, "尚在修改的说明")
    return sample_project, changed, pending


def entry_cell(site: Path, entry: Entry) -> list[str]:
    table = parse_html(site / "lines" / f"{entry.line}.html").tables["ledger"]
    return next(
        row
        for attrs, row in zip(table.row_attrs, table.rows, strict=True)
        if attrs["id"] == f"e-{entry.line}-{entry.pos.line}"
    )


def test_each_entry_shows_the_commit_that_last_changed_it(
    repo_with_history: tuple[Path, Entry, Entry], tmp_path: Path
) -> None:
    project, changed, pending = repo_with_history
    results = project_results(project)
    site = render(results, tmp_path / "out", project_root=project)
    head = git(project, "rev-parse", "HEAD").strip()
    first = git(project, "rev-parse", "HEAD~1").strip()
    ledger = next(lg for lg in results.content.ledgers if lg.line == changed.line)
    by_line = {e.pos.line: e for e in ledger.entries}
    assert entry_cell(site, by_line[changed.pos.line])[-1] == "李审核，2008年9月30日"
    assert entry_cell(site, by_line[pending.pos.line])[-1] == "尚未提交的修改"
    untouched = by_line[ledger.entries[0].pos.line]
    assert entry_cell(site, untouched)[-1] == "王会计，2008年4月1日"
    titles = {t.attrs["title"] for t in parse_html(site / "lines" / f"{changed.line}.html").tags if "title" in t.attrs}
    assert (
        f"提交 {head[:8]}：复核：改写说明" in titles and f"提交 {first[:8]}：台帐初稿" in titles
    )  # the commit on hover


HOSTILE_AUTHOR = {
    "GIT_AUTHOR_NAME": "王\"><img src=x onerror=alert(1)>&'",
    "GIT_AUTHOR_DATE": "2008-09-30T23:30:00+08:00",
}
HOSTILE_MESSAGE = '复核"><script>alert("commit")</script> & \'x\''


def test_an_author_and_a_commit_message_holding_markup_show_as_text(sample_project: Path, tmp_path: Path) -> None:
    git(sample_project, "init", "-q", "-b", "main")
    git(sample_project, "add", "content")
    git(sample_project, "commit", "-q", "-m", HOSTILE_MESSAGE, who=HOSTILE_AUTHOR)
    results = project_results(sample_project)
    site = render(results, tmp_path / "out", project_root=sample_project)
    entry = results.content.ledgers[0].entries[0]
    page = parse_html(site / "lines" / f"{entry.line}.html")
    author = git(sample_project, "log", "-1", "--format=%an").strip()  # as git keeps it (it drops < and >)
    assert '"' in author and "&" in author and entry_cell(site, entry)[-1] == f"{author}，2008年9月30日"
    titles = {t.attrs["title"] for t in page.tags if "title" in t.attrs}
    assert any(title.endswith(HOSTILE_MESSAGE) for title in titles)  # the whole message, in the attribute
    assert not [t for t in page.tags if t.name in ("img", "script") and "alert" in str(t.attrs)]
    source = (site / "lines" / f"{entry.line}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in source and "<img src=x" not in source


def test_the_readable_diff_driver_does_not_move_provenance_to_other_entries(
    repo_with_history: tuple[Path, Entry, Entry], tmp_path: Path
) -> None:
    project, changed, pending = repo_with_history  # the README's git set-up: one line per entry in `git diff`
    shutil.copy(TOOL_ROOT / ".gitattributes", project / ".gitattributes")
    git(project, "config", "diff.kaohe.textconv", str(TOOL_ROOT / "scripts" / "yaml-textconv"))
    results = project_results(project)
    site = render(results, tmp_path / "out", project_root=project)
    ledger = next(lg for lg in results.content.ledgers if lg.line == changed.line)
    shown = {e.pos.line: entry_cell(site, e)[-1] for e in ledger.entries}
    assert shown[changed.pos.line] == "李审核，2008年9月30日"
    assert shown[pending.pos.line] == "尚未提交的修改"
    others = {text for line, text in shown.items() if line not in (changed.pos.line, pending.pos.line)}
    assert others == {"王会计，2008年4月1日"}  # by the driver's line numbers, some would show 李审核, many nothing


def test_provenance_is_left_out_quietly_outside_git(sample_site: Path) -> None:
    page = parse_html(sample_site / "lines" / "party.html")
    assert "最后修改" not in page.tables["ledger"].head[0]


def test_provenance_is_left_out_when_git_is_missing(
    repo_with_history: tuple[Path, Entry, Entry], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = repo_with_history[0]
    ledgers = project_results(project).content.ledgers
    monkeypatch.setenv("PATH", str(tmp_path))
    assert provenance(project, ledgers) == {}


def test_porcelain_lines_map_to_their_commits() -> None:
    sha_a, sha_b = "a" * 40, "b" * 40
    text = "\n".join(
        [
            f"{sha_a} 1 1 2",
            "author 甲",
            "author-time 1207015200",
            "author-tz +0800",
            "committer-time 1207015200",
            "summary first",
            "filename content/ledgers/a.yaml",
            "\tline: a",
            f"{sha_a} 2 2",
            "\tyear: 2008",
            f"{UNCOMMITTED} 3 3 1",
            "author Not Committed Yet",
            "author-time 1999999999",
            "author-tz +0000",
            "committer-time 1999999999",
            "summary Version of content/ledgers/a.yaml from content/ledgers/a.yaml",
            "filename content/ledgers/a.yaml",
            "\tentries: []",
            f"{sha_b} 4 4 1",
            "author 乙",
            "author-time 1222790400",
            "author-tz -0500",
            "committer-time 1222790400",
            "summary second",
            "filename content/ledgers/a.yaml",
            "\t# 注释",
            "",
        ]
    )
    lines = parse_porcelain(text)
    assert [lines[n].commit.author for n in (1, 2, 4)] == ["甲", "甲", "乙"]
    assert lines[1].commit.date == "2008-04-01"
    assert lines[4].commit.date == "2008-09-30"  # 2008-10-01 00:00 UTC is still Sept 30 at −05:00
    assert not lines[3].commit.committed and lines[3].commit.date == ""
    assert lines[2].text == "year: 2008"


def test_a_shallow_clone_says_unknown_instead_of_crediting_the_cut_off_commit(
    repo_with_history: tuple[Path, Entry, Entry], tmp_path: Path
) -> None:
    project, changed, _pending = repo_with_history
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", project.as_uri(), str(clone))
    results = project_results(clone)
    ledger = next(lg for lg in results.content.ledgers if lg.line == changed.line)
    found = provenance(clone, results.content.ledgers)
    # depth 1 keeps only 李审核's commit, which git blame would credit with every line of the ledger
    assert {found[e].known for e in ledger.entries} == {False}
    site = render(results, tmp_path / "out", project_root=clone)
    assert entry_cell(site, ledger.entries[0])[-1] == "不详（git 历史不完整）"
    assert "李审核" not in parse_html(site / "lines" / f"{changed.line}.html").text


def test_boundary_commits_are_unknown_only_in_a_shallow_clone() -> None:
    text = "\n".join(
        [f"{'c' * 40} 1 1 1", "author 丙", "author-time 1207015200", "author-tz +0800", "boundary", "\tline: a", ""]
    )
    assert parse_porcelain(text)[1].commit.known  # a real root commit: its author wrote the line
    assert not parse_porcelain(text, shallow=True)[1].commit.known
