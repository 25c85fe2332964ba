"""A renderer's small process pool (the PDFs', the site's) that no signal or error leaves behind.

Whatever stops the build (an error, SIGINT, SIGTERM, even SIGKILL), no worker outlives it and no
half-finished result is read. SIGINT and SIGTERM stay blocked in the build's thread while the pool
is used, so the workers and the pool's threads start with them blocked: they come to the build's
thread only, between two waits (:func:`as_finished`), never while it holds one of the pool's locks.
Each worker ignores SIGINT (a Ctrl-C reaches the whole group; stopping the workers is the build's
job), takes SIGTERM's default action and dies with the build (:func:`start_worker`).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

WORKERS = 2  # a small pool: about twice as fast on 2 cores
WORKER_DIED = "a worker process stopped before it finished (killed, or out of memory?)"
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
SIGNAL_POLL = 0.1  # seconds between two looks for a held-back SIGINT or SIGTERM while the pool works

T = TypeVar("T")
S = TypeVar("S")
J = TypeVar("J")


def start_worker(build_pid: int) -> None:
    """In each worker, first: SIGINT is the build's to handle, SIGTERM kills, and the worker dies with the build.

    A SIGTERM that whoever started the build ignores stays ignored (as in the build itself).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if signal.getsignal(signal.SIGTERM) != signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherited the build's handler
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked since the start; a pending SIGINT is dropped
    _die_with(build_pid)


def _die_with(build_pid: int) -> None:
    """Linux: SIGKILL this worker when the build dies, even by SIGKILL, so that no worker outlives it."""
    if sys.platform.startswith("linux"):
        with suppress(AttributeError, OSError):  # no prctl: the check below still catches a build gone already
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != build_pid:  # the build died while this worker was starting
        os._exit(1)


@contextmanager
def worker_pool(
    workers: int, start_method: str, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes started by ``start_method`` ("spawn", or "fork" to share the build's memory).

    ``initializer`` must call :func:`start_worker` with the build's pid (the last of ``initargs``) first.
    """
    context = multiprocessing.get_context(start_method)
    # Made first: for spawn, making it starts multiprocessing's resource tracker, which unblocks both signals after.
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs)
    with _signals_blocked():
        try:
            yield pool
        except BaseException:
            with _signals_blocked():  # blocked again (as_finished unblocks to raise): a second Ctrl-C waits
                _stop(pool)
            raise
        pool.shutdown()


def as_finished(futures: Iterable[Future[T]]) -> Iterator[T]:
    """Each result as its work finishes; a signal held back meanwhile is raised between two waits, before any is read."""
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=SIGNAL_POLL, return_when=FIRST_COMPLETED)
        _raise_held_signals()  # a SIGTERM to the whole group also kills workers: say "interrupted", not "broken"
        for future in finished:
            yield future.result()


def _raise_held_signals() -> None:
    if signal.sigpending() & STOP_SIGNALS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # the handler runs, and raises, right here


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers (they hold nothing but half-written files in the staging folder) and reap them."""
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
    for process in processes:
        process.join()


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread (processes and threads started meanwhile inherit the mask)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a signal that came meanwhile is raised here


def fork_workers(jobs: int, least: int) -> int:
    """Workers for a fork pool: 1 (no pool) for fewer than ``least`` jobs, off Linux, on one core, or beside a thread.

    Forking is safe only where no other thread runs (``serve``'s watcher would, or a library's own
    thread): the kernel's count of this process's threads is asked, not only Python's. Forked workers
    read what the build has gathered where it is; a page of it is copied only when a worker writes to
    it (reference counts do), so the pool costs memory as well as saving time.
    """
    if jobs < least or not sys.platform.startswith("linux") or threads() > 1:
        return 1
    return min(WORKERS, usable_cores())


CGROUP_ROOT = Path("/sys/fs/cgroup")  # cgroup v2: each group's cpu.max, "max 100000" or "150000 100000" (1.5 cores)
PROC_CGROUP = Path("/proc/self/cgroup")  # "0::/system.slice/kaohe.service": this process's group under the root
# cgroup v1's cpu controller: each group's cpu.cfs_quota_us (-1: no limit) and cpu.cfs_period_us
CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")


def usable_cores() -> int:
    """The cores this process may use: those it may run on, and no more than its CPU quota.

    A container started with ``docker run --cpus=1`` may run on every core of the host, a share of
    one at a time: its cgroup's quota says so (``cpu.max`` of its group or of any group above it, such
    as a systemd unit's ``CPUQuota``, in cgroup v2; the CFS quota and period of its cpu group or one
    above it in v1). A quota of 1.5 cores counts as 2: two workers still get more done than one there.
    """
    try:
        allowed = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        allowed = os.cpu_count() or 1
    quota = cgroup_v2_cores() or cgroup_v1_cores()
    return min(allowed, quota) if quota else allowed


def cgroup_v2_cores() -> int | None:
    """The tightest ``cpu.max`` from this process's cgroup up to the root, in whole cores; None for no limit."""
    return tightest_limit(CGROUP_ROOT, own_group(""), lambda folder: _read(folder / "cpu.max"))


def cgroup_v1_cores() -> int | None:
    """The tightest CFS quota from this process's v1 cpu group up to the controller's root; None for no limit."""
    return tightest_limit(
        CGROUP_V1_CPU,
        own_group("cpu"),
        lambda folder: f"{_read(folder / 'cpu.cfs_quota_us')} {_read(folder / 'cpu.cfs_period_us')}",
    )


def own_group(controller: str) -> str:
    """This process's group in ``/proc/self/cgroup``: v2's (``0::/path``) for ``""``, else v1's with ``controller``."""
    for line in _read(PROC_CGROUP).splitlines():
        fields = line.split(":", 2)
        if len(fields) == 3 and (controller in fields[1].split(",") if controller else fields[:2] == ["0", ""]):
            return fields[2]
    return "/"


def tightest_limit(root: Path, group: str, limit_of: Callable[[Path], str]) -> int | None:
    """The fewest cores a limit allows from ``group``'s folder below ``root`` up to ``root``; None for none.

    Inside a container the mount shows the container's own group as the root, while the path in
    ``/proc/self/cgroup`` may be the host's: when that path is not there, the root's limit counts.
    """
    folder = root.joinpath(*PurePosixPath(group).parts[1:])
    if not folder.is_dir():
        folder = root
    limits = []
    while True:
        cores = cgroup_cores(limit_of(folder))
        if cores is not None:
            limits.append(cores)
        if folder == root or root not in folder.parents:
            return min(limits, default=None)
        folder = folder.parent


def cgroup_cores(limit: str) -> int | None:
    """The whole cores (rounded up) of a cgroup CPU limit written as ``"<quota> <period>"``; None for no limit."""
    parts = limit.split()
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or int(parts[1]) == 0:
        return None  # "max 100000" (v2), "-1 100000" (v1), or not there
    quota, period = int(parts[0]), int(parts[1])
    return max(1, -(-quota // period))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def threads() -> int:
    """The threads of this process (Linux: every one, not only Python's)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc: Python's own threads, which may miss a library's
        return threading.active_count()


_forked_from: tuple[Any, Callable[[Any, Any], Any]] | None = None  # what a forked worker works from


def forked(shared: S, work: Callable[[S, J], T], jobs: Sequence[J], workers: int) -> Generator[T, None, None]:
    """``work(shared, job)`` for each job by a fork pool of ``workers``, each result as its job finishes.

    ``shared`` and ``work`` are never sent: set before the fork, every worker has them; only the
    jobs and the results cross between processes. A worker that dies (killed, out of memory) ends it
    with :class:`~concurrent.futures.process.BrokenProcessPool`.

    Use it in a ``with contextlib.closing(...)``: stopping early (an error while the results are read)
    then stops the workers at once.
    """
    global _forked_from
    _forked_from = (shared, work)
    try:
        with worker_pool(workers, "fork", start_worker, (os.getpid(),)) as pool:
            yield from as_finished([pool.submit(_work_forked, job) for job in jobs])
    finally:
        _forked_from = None


def _work_forked(job: Any) -> Any:
    assert _forked_from is not None, "worker not forked from a build"
    shared, work = _forked_from
    return work(shared, job)
