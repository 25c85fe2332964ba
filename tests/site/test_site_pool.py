"""A big site's HTML pages written by a fork pool: the same bytes, the same messages, the same progress."""

from __future__ import annotations

import _thread
import multiprocessing
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from site_support import TEMPLATES, render
from support import results_of, small_project

from kaohe.render import RenderEnv, RenderError, pool
from kaohe.render.pool import WORKER_DIED, WORKERS
from kaohe.render.progress import Progress
from kaohe.render.site import jobs, render_site
from kaohe.scoring.results import Results


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every site rendered while this is in use is written by a pool of 2; the pools' sizes, as they start."""
    started: list[int] = []
    real = jobs.pooled

    def counted(pages: jobs.SitePages, page_jobs: tuple[jobs.PageJob, ...], workers: int) -> Iterator[tuple[str, ...]]:
        started.append(workers)
        return real(pages, page_jobs, workers)

    monkeypatch.setattr(jobs, "pool_size", lambda pages: 2)
    monkeypatch.setattr(jobs, "pooled", counted)
    return started


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_written_by_the_pool_is_byte_for_byte_the_site_written_in_one_process(
    pooled: list[int], site_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as alone_now:
        alone_now.setattr(jobs, "pool_size", lambda pages: 1)
        alone = files_of(render(site_results, tmp_path / "alone"))
    assert pooled == []
    monkeypatch.setattr(jobs, "COMMUNITIES_PER_JOB", 1)  # every page its own job: the two workers take turns
    shared = files_of(render(site_results, tmp_path / "pooled"))
    assert pooled == [2]
    assert sorted(shared) == sorted(alone)
    assert [name for name in alone if shared[name] != alone[name]] == []
    months = [name for name in alone if name.startswith("standings/")]
    assert len(months) >= 6 and len([n for n in alone if n.startswith("communities/")]) == len(site_results.communities)


def test_the_pool_counts_every_page_on_the_progress_line(
    pooled: list[int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = RenderEnv(project_root=tmp_path, templates_dir=TEMPLATES, source_date_epoch=None, progress=True)
    render_site(results_of(small_project()), tmp_path / "out", env, ())
    shown = capsys.readouterr().err
    # index, 3 communities, lines, 2 lines, rubric, history, downloads, search: 11, as in one process
    assert pooled == [2]
    assert "site 1/11: " in shown and "site 11/11: " in shown and shown.endswith("site: 11 pages written\n")


def broken_templates(tmp_path: Path) -> Path:
    """The tool's templates, with a community page that asks for a name no view has: it fails only when rendered."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    page = copy / "site" / "community.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("{{ view.", "{{ view.no_such_field }}{{ view.", 1), "utf-8"
    )
    return copy


def failure(results: Results, root: Path, templates: Path) -> str:
    env = RenderEnv(project_root=root, templates_dir=templates, source_date_epoch=None)
    with pytest.raises(RenderError) as raised:
        render_site(results, root / "out", env, ())
    return str(raised.value)


def test_a_page_failing_in_a_worker_stops_the_build_with_the_message_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results, templates = results_of(small_project()), broken_templates(tmp_path)
    alone = failure(results, tmp_path / "alone", templates)
    monkeypatch.setattr(jobs, "pool_size", lambda pages: 2)
    assert failure(results, tmp_path / "pooled", templates) == alone
    assert alone.startswith(f"the site's templates in {templates / 'site'} are broken: ") and "no_such_field" in alone


def test_only_a_big_site_on_linux_with_no_other_thread_is_shared_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for cgroup_file in ("CGROUP_ROOT", "CGROUP_V1_CPU"):  # no CPU quota, wherever this runs
        monkeypatch.setattr(pool, cgroup_file, tmp_path / "absent")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(pool, "threads", lambda: 1)
    assert [jobs.pool_size(n) for n in (jobs.POOL_FROM_PAGES - 1, jobs.POOL_FROM_PAGES)] == [1, WORKERS]
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3})  # one core for this process
    assert jobs.pool_size(jobs.POOL_FROM_PAGES) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(pool, "threads", lambda: 2)  # serve's watcher, or a library's thread, beside the build
    assert jobs.pool_size(jobs.POOL_FROM_PAGES) == 1
    monkeypatch.setattr(pool, "threads", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert jobs.pool_size(jobs.POOL_FROM_PAGES) == 1


def test_the_threads_counted_are_the_kernels_not_only_pythons() -> None:
    started, stop, ended = _thread.allocate_lock(), _thread.allocate_lock(), _thread.allocate_lock()
    for lock in (started, stop, ended):
        lock.acquire()

    def waiting() -> None:  # only _thread's locks: the threading module never hears of this thread
        started.release()
        stop.acquire()
        ended.release()

    _thread.start_new_thread(waiting, ())  # a thread as a library starts one
    started.acquire()
    try:
        # every thread Python knows is one of the kernel's, and this one is the kernel's only; other threads
        # of the test runner may come and go meanwhile, so the counts are compared, not taken before and after
        assert pool.threads() > threading.active_count()
    finally:
        stop.release()
        ended.acquire()


def dies_in_a_worker(build_pid: int) -> None:
    """SIGKILL the process calling it, if it is not the build's (a worker killed, as the kernel does out of memory)."""
    if os.getpid() != build_pid:
        os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_stops_the_build_with_a_message_not_a_traceback(
    pooled: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_pid, rubric = os.getpid(), jobs.SitePages.rubric

    def rubric_then_die(self: jobs.SitePages) -> tuple[str, ...]:
        dies_in_a_worker(build_pid)
        return rubric(self)

    monkeypatch.setattr(jobs.SitePages, "rubric", rubric_then_die)
    env = RenderEnv(project_root=tmp_path, templates_dir=TEMPLATES, source_date_epoch=None)
    with pytest.raises(RenderError) as raised:
        render_site(results_of(small_project()), tmp_path / "out", env, ())
    assert pooled == [2]
    assert str(raised.value) == f"could not write the site: {WORKER_DIED}"


class ProgressFailed(RuntimeError):
    """What the progress line raises in the test below (a closed terminal, say)."""


def test_an_error_while_the_pages_come_back_stops_the_workers_and_lets_the_signals_through(
    pooled: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_step(self: Progress, done: int, name: str) -> None:
        raise ProgressFailed(name)

    monkeypatch.setattr(Progress, "step", failing_step)
    env = RenderEnv(project_root=tmp_path, templates_dir=TEMPLATES, source_date_epoch=None, progress=True)
    with pytest.raises(ProgressFailed) as raised:
        render_site(results_of(small_project()), tmp_path / "out", env, ())
    # asked while the error (and with it the build's frames) is still held: nothing waits on a collection
    assert raised.value is not None and pooled == [2]
    assert multiprocessing.active_children() == []
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == set()  # SIGINT and SIGTERM no longer held back
