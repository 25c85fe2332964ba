"""The DOCX notices written by a fork pool: the same bytes as in one process, the same message when one fails."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from support import FIXED_EPOCH, TOOL_ROOT

import kaohe.render.docx as docx
from kaohe.content.source import WorkingTree
from kaohe.pipeline import run
from kaohe.render import RenderEnv, RenderError
from kaohe.render.pdf import documents
from kaohe.render.pdf.views import Document
from kaohe.render.pool import WORKER_DIED
from kaohe.scoring.results import Results


@pytest.fixture(scope="module")
def sample_results() -> Results:
    results = run(WorkingTree(TOOL_ROOT)).results  # the sample year, as the build scores it
    assert results is not None
    return results


def written(results: Results, root: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every DOCX of ``results`` written into a fresh ``root`` (its own cache) by ``workers`` processes."""
    started: list[int] = []

    def workers_for(jobs: int, least: int) -> int:
        started.append(workers)
        return workers

    monkeypatch.setattr(docx, "fork_workers", workers_for)
    env = RenderEnv(root, TOOL_ROOT / "templates", source_date_epoch=int(FIXED_EPOCH))
    names = docx.render_docx(results, root / "out", env, ())
    assert started == [workers]
    return {name: (root / "out" / name).read_bytes() for name in names}


def test_the_docx_written_by_the_pool_are_byte_for_byte_those_written_in_one_process(
    sample_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = written(sample_results, tmp_path / "alone", 1, monkeypatch)
    shared = written(sample_results, tmp_path / "pooled", 2, monkeypatch)
    assert len(alone) == len(documents(sample_results, int(FIXED_EPOCH))) >= docx.POOL_FROM_NOTICES
    assert list(shared) == list(alone)  # in the notices' order, whichever worker finished first
    assert [name for name in alone if shared[name] != alone[name]] == []


def failure(results: Results, root: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """Render with a folder standing where the last notice's DOCX goes: writing it fails."""
    doc = documents(results, int(FIXED_EPOCH))[-1]
    (root / "out" / "pdf" / docx.docx_name(doc)).mkdir(parents=True)
    with pytest.raises(RenderError) as raised:
        written(results, root, workers, monkeypatch)
    return str(raised.value)


def test_a_notice_failing_in_a_worker_stops_the_build_with_the_message_of_one_process(
    sample_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = failure(sample_results, tmp_path / "alone", 1, monkeypatch)
    assert alone.startswith("could not write the DOCX notices: [Errno 21] Is a directory: ")
    assert failure(sample_results, tmp_path / "pooled", 2, monkeypatch) == alone.replace("alone", "pooled")


def test_a_worker_killed_stops_the_build_with_a_message_not_a_traceback(
    sample_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_pid, notice_docx = os.getpid(), docx.notice_docx

    def written_then_die(doc: Document, epoch: int | None) -> bytes:
        if os.getpid() != build_pid:  # in a worker: killed, as the kernel kills a process out of memory
            os.kill(os.getpid(), signal.SIGKILL)
        return notice_docx(doc, epoch)

    monkeypatch.setattr(docx, "notice_docx", written_then_die)
    with pytest.raises(RenderError) as raised:
        written(sample_results, tmp_path, 2, monkeypatch)
    assert str(raised.value) == f"could not write the DOCX notices: {WORKER_DIED}"


def test_the_notices_written_before_one_fails_are_kept_for_the_next_build(
    sample_results: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failure(sample_results, tmp_path, 1, monkeypatch)  # the last notice fails, after all the others
    last = documents(sample_results, int(FIXED_EPOCH))[-1]
    (tmp_path / "out" / "pdf" / docx.docx_name(last)).rmdir()
    made: list[str] = []
    notice_docx = docx.notice_docx

    def counted(doc: Document, epoch: int | None) -> bytes:
        made.append(doc.file_name)
        return notice_docx(doc, epoch)

    monkeypatch.setattr(docx, "notice_docx", counted)
    written(sample_results, tmp_path, 1, monkeypatch)
    assert made == [last.file_name]  # the others came from the cache
