"""Progress and loudness: a line on a terminal, a line per stage with --verbose, nothing with --quiet or off a tty."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from support import copy_project, results_of, run_cli, small_project

from kaohe.actions.build import build_output
from kaohe.actions.check import check
from kaohe.actions.stages import Stages, StageTiming, Unwatched
from kaohe.cli.build import TEMPLATES_DIR
from kaohe.cli.progress import StageLines, TerminalLine, duration, shows_progress, watcher_for
from kaohe.render import RenderEnv
from kaohe.render.docx import render_docx
from kaohe.render.progress import Progress
from kaohe.render.site.pages import render_site
from kaohe.scoring.results import Results


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def options(**given: bool) -> argparse.Namespace:
    return argparse.Namespace(**({"json": False, "quiet": False, "verbose": False} | given))


def test_durations_read_as_people_say_them() -> None:
    shown = [duration(ms) for ms in (0, 87, 999, 1000, 1234, 1950, 61_949)]
    assert shown == ["0 ms", "87 ms", "999 ms", "1.0 s", "1.2 s", "2.0 s", "61.9 s"]  # tenths, half-up


def test_the_watcher_follows_the_options_and_the_terminal() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    assert isinstance(watcher_for("build", options(), terminal), TerminalLine)
    assert isinstance(watcher_for("build", options(), pipe), Unwatched)  # a log or CI: quiet
    assert isinstance(watcher_for("build", options(verbose=True), pipe), StageLines)
    assert isinstance(watcher_for("build", options(quiet=True), terminal), Unwatched)
    assert isinstance(watcher_for("build", options(json=True, verbose=True), terminal), Unwatched)
    assert shows_progress(options(), terminal) and not shows_progress(options(), pipe)
    assert not shows_progress(options(quiet=True), terminal)


def test_a_terminal_line_is_rewritten_in_place_and_cleared_at_the_end() -> None:
    terminal = Terminal()
    line = TerminalLine("build", terminal)
    line.started("pdfs")
    line.finished(StageTiming("pdfs", 1500, 12))
    assert terminal.getvalue() == "\r\x1b[Kbuild: pdfs…\r\x1b[K"


def test_verbose_says_each_stage_with_its_time_and_files(tmp_path: Path) -> None:
    """Stages run in order (renderers, then the swap), each timed by the clock it is given."""
    root = copy_project(tmp_path / "project")
    results = check(root).results
    assert results is not None
    ticks = iter(range(0, 10**10, 250_000_000))  # each look at the clock: 250 ms later

    def render_one(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
        (out_dir / "one.txt").write_text("1", encoding="utf-8")
        return ("one.txt",)

    said = io.StringIO()
    stages = Stages(StageLines("build", said), clock=lambda: next(ticks))
    env = RenderEnv(project_root=root, templates_dir=tmp_path, source_date_epoch=None)
    build_output(results, root / "output", [render_one], env, stages=stages)
    assert said.getvalue().splitlines() == ["build: one: 250 ms, 1 file", "build: swap: 250 ms"]
    assert [(t.name, t.ms, t.files) for t in stages.timings] == [("one", 250, 1), ("swap", 250, 0)]


def test_build_json_lists_the_stages_that_ran(built_sample: Path) -> None:
    stages = json.loads((built_sample / "build.json").read_text(encoding="utf-8"))["stages"]
    assert [stage["name"] for stage in stages][:2] == ["check", "results_json"]
    assert stages[-1]["name"] == "swap"
    assert all(isinstance(stage["ms"], int) and stage["ms"] >= 0 for stage in stages)
    assert sum(stage["files"] for stage in stages) == len(
        json.loads((built_sample / "build.json").read_text())["written"]
    )


def test_quiet_check_prints_problems_only(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    loud, quiet = run_cli(root, "check"), run_cli(root, "check", "--quiet")
    assert loud.returncode == quiet.returncode == 0
    assert "communities, results" in loud.stdout
    assert quiet.stdout == ""
    assert quiet.stderr == loud.stderr.split("!!!!")[0]  # the diagnostics; not the banner that explains them


def test_quiet_and_verbose_exclude_each_other(tmp_path: Path) -> None:
    done = run_cli(copy_project(tmp_path / "project"), "check", "-q", "-v")
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr


def test_a_renderers_progress_counts_its_files_in_place_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress(True, 2, "DOCX")
    progress.step(1, "a.docx")
    progress.step(2, "b.docx")
    progress.close()
    assert capsys.readouterr().err == (
        "\r\x1b[KDOCX 1/2: a.docx\r\x1b[KDOCX 2/2: b.docx\r\x1b[KDOCX: 2 notices written\n"
    )
    Progress(False, 2, "DOCX").step(1, "a.docx")  # not on a terminal: nothing
    assert capsys.readouterr().err == ""


def test_the_docx_stage_shows_its_progress_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = results_of(small_project())  # no rubric notice: the 通报 and the 3 communities' sheets
    env = RenderEnv(project_root=tmp_path, templates_dir=TEMPLATES_DIR, source_date_epoch=None, progress=True)
    written = render_docx(results, tmp_path / "out", env, ())
    assert len(written) == 4
    shown = capsys.readouterr().err
    assert "DOCX 1/4: " in shown and "DOCX 4/4: " in shown and shown.endswith("DOCX: 4 notices written\n")


def test_the_site_stage_counts_its_pages_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = results_of(small_project())
    env = RenderEnv(project_root=tmp_path, templates_dir=TEMPLATES_DIR, source_date_epoch=None, progress=True)
    written = render_site(results, tmp_path / "out", env, ())
    pages = [path for path in written if path.startswith("site/") and path.endswith(".html")]
    # index, 3 communities, lines, 2 lines, rubric, history, downloads, search (no month ends: no entries)
    assert len(pages) == 1 + 3 + 1 + 2 + 4
    shown = capsys.readouterr().err
    assert "site 1/11: index.html" in shown and "site 11/11: search.html" in shown
    assert shown.endswith("site: 11 pages written\n")
