"""Builds cut short: SIGINT or SIGTERM at any moment, SIGKILL, and two builds of one folder at once.

Most tests run ``build.py`` as a subprocess on a copy of the sample project that
already has an ``output/``, change a ledger so that a finished build would differ,
stop the build at one moment and look at what is left: exit code 130 (SIGINT) or
143 (SIGTERM), one line on stderr and no traceback, ``output/`` byte for byte as
it was, no staging folder, and none of the build's child processes alive.

The moments are found from outside the build: the end of the import of
``kaohe.actions.build`` (``-X importtime``: the check comes next), the PDF workers
among the build's children (``/proc``), the staging folder's ``pdf/`` and ``site/``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from support import FIXED_EPOCH, TOOL_ROOT, copy_project, run_cli, run_ok, small_project, write_project

from kaohe.actions.build import BuildResult, DeferredSignals, build, build_output
from kaohe.actions.lock import OutputBusy, lock_path
from kaohe.render import RenderEnv
from kaohe.render.vocab import PDF_FONTS
from kaohe.scoring.results import Results

EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}
LEDGER = Path("content") / "ledgers" / "party.yaml"
NEW_ENTRY = (
    "  - {date: 2008-06-30, community: ziqiao, rule: party.culture.sports.discretionary, deduct: 0.5, note: 补记}\n"
)
STOPS_WITHIN = 12.0  # seconds from the signal to the end: the PDFs left to render would take longer
BIG_LEDGER = 3000  # entries that make the check take a while, so that a signal lands inside it

Child = tuple[int, str]  # a process: its pid and its start time, which tells a reused pid apart
STARTED: list[Build] = []  # every build a test started, ended by no_build_left_running if still running


# --- what a build leaves behind -------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every path below ``folder``: a file's SHA-256, a folder's ``/``."""
    return {
        p.relative_to(folder).as_posix(): "/" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
    }


def files_of(folder: Path) -> list[str]:
    return sorted(path for path, digest in snapshot(folder).items() if digest != "/")


def staging(root: Path) -> list[Path]:
    return sorted(root.glob(".output.new-*"))


def change_ledger(root: Path, entries: int = 1) -> None:
    """One more entry (or many), so that a build that got to the end would write a different output/."""
    extra = [NEW_ENTRY] + [
        f"  - {{date: 2008-05-{1 + i % 28:02d}, community: beimen, rule: party.culture.sports.discretionary, "
        f"deduct: 0.01, note: 第{i}次抽查}}\n"
        for i in range(entries - 1)
    ]
    with (root / LEDGER).open("a", encoding="utf-8") as ledger:
        ledger.writelines(extra)


def fake_output(root: Path) -> Path:
    """A small previous output/ (enough to see whether it is touched) for tests that never reach the swap."""
    output = root / "output"
    (output / "site").mkdir(parents=True)
    (output / "results.json").write_text("{}\n", encoding="utf-8")
    (output / "site" / "index.html").write_text("<p>上次构建</p>\n", encoding="utf-8")
    return root


# --- processes -------------------------------------------------------------------------------------


def children_of(pid: int) -> set[Child]:
    """The live child processes of ``pid``, from ``/proc/<pid>/task/*/children``."""
    found: set[Child] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        found.update((int(child), start) for child in pids if (start := start_time(int(child))))
    return found


def start_time(pid: int) -> str:
    """The start time of a live (not zombie) process, or ``""``."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat[stat.rindex(")") + 2 :].split()
    return "" if fields[0] in "ZX" else fields[19]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def still_alive(children: set[Child], grace: float = 15.0) -> set[Child]:
    """Those of ``children`` still running after ``grace`` seconds (the resource tracker needs a moment)."""
    deadline = time.monotonic() + grace
    alive = {child for child in children if start_time(child[0]) == child[1]}
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {child for child in alive if start_time(child[0]) == child[1]}
    return alive


@pytest.fixture(autouse=True)
def no_build_left_running() -> Iterator[None]:
    """A test that fails half-way still ends the builds it started."""
    yield
    while STARTED:
        build = STARTED.pop()
        if build.process.poll() is None:
            build.process.kill()
            build.finish()


class Build:
    """``build.py`` running in the background; its stderr and its children are collected as it goes."""

    def __init__(
        self, root: Path, *args: str, importtime: bool = False, prelude: str = "", sigterm_ignored: bool = False
    ) -> None:
        self.root = root
        flags = ["-X", "importtime"] if importtime else []
        if prelude:  # Python run first, in the build's process, then build.py as its main module
            flags += [
                "-c",
                f"{prelude}\nimport runpy, sys\nsys.argv[:] = sys.argv[1:]\nrunpy.run_path(sys.argv[0], run_name='__main__')",
            ]
        command = [sys.executable, *flags, str(TOOL_ROOT / "build.py"), "--root", str(root), *args]
        env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH}
        # SIGINT handled in the build even where these tests run with it ignored (``pytest &``): an ignored
        # signal stays ignored in a child, a handled one is back at its default there.
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        term = signal.signal(signal.SIGTERM, signal.SIG_IGN) if sigterm_ignored else None  # inherited, ignored
        try:
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
            )  # its own process group, as a terminal gives a command: Ctrl-C reaches the build and its workers
        finally:
            signal.signal(signal.SIGINT, previous)
            if term is not None:
                signal.signal(signal.SIGTERM, term)
        self.children: set[Child] = set()
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self.readers = [self.reader(self.process.stderr, self.stderr), self.reader(self.process.stdout, self.stdout)]
        STARTED.append(self)

    @staticmethod
    def reader(stream: IO[str] | None, lines: list[str]) -> threading.Thread:
        """Collect ``stream``'s lines as they come, then close it."""
        assert stream is not None

        def read() -> None:
            with stream:
                lines.extend(iter(stream.readline, ""))

        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        return thread

    def wait_for(self, moment: Callable[[Build], bool], timeout: float = 300.0) -> None:
        """Watch the build until ``moment`` has come; fail if it ends first."""
        deadline = time.monotonic() + timeout
        while not moment(self):
            assert self.process.poll() is None, f"the build ended first: {self.messages()}"
            assert time.monotonic() < deadline, "the moment never came"
            self.children |= children_of(self.process.pid)
            time.sleep(0.005)
        self.children |= children_of(self.process.pid)

    def finish(self, timeout: float = 300.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            self.children |= children_of(self.process.pid)
            if time.monotonic() > deadline:
                self.process.kill()
                pytest.fail("the build did not end")
            time.sleep(0.01)
        for thread in self.readers:
            thread.join(timeout=60)
        return self.process.returncode

    def messages(self) -> list[str]:
        """What the build said on stderr, without ``-X importtime``'s lines."""
        return [line.rstrip("\n") for line in self.stderr if not line.startswith("import time:")]


# --- moments ---------------------------------------------------------------------------------------


def imported(module: str) -> Callable[[Build], bool]:
    """``module`` has been imported (its ``-X importtime`` line was printed)."""
    return lambda build: any(line.rsplit("|", 1)[-1].strip() == module for line in list(build.stderr))


def workers_started(build: Build) -> bool:
    return any("spawn_main" in cmdline(pid) for pid, _ in children_of(build.process.pid))


def pdf_written(build: Build) -> bool:
    return any(any((folder / "pdf").glob("*.pdf")) for folder in staging(build.root))


def site_started(build: Build) -> bool:
    return any((folder / "site").is_dir() for folder in staging(build.root))


def fork_pool_writing(folder: str, pattern: str) -> Callable[[Build], bool]:
    """A fork pool is writing: a file matching ``pattern`` below the staging folder's ``folder``, and copies of
    the build (forked, not started) among its children."""

    def moment(build: Build) -> bool:
        mine = cmdline(build.process.pid)
        try:
            written = any(any((staged / folder).rglob(pattern)) for staged in staging(build.root))
        except OSError:  # the staging folder went while it was looked at
            return False
        return written and any(cmdline(pid) == mine for pid, _ in children_of(build.process.pid))

    return moment


site_workers_started = fork_pool_writing("site", "*.html")
docx_workers_started = fork_pool_writing("pdf", "*.docx")


def holding_lock(build: Build) -> bool:
    path = lock_path(build.root / "output")
    return path.exists() and path.read_text(encoding="ascii").strip() == str(build.process.pid)


def waiting(build: Build) -> bool:
    return any("waiting" in line for line in build.messages())


# --- the checks after an interrupt -----------------------------------------------------------------


def interrupt(build: Build, signum: signal.Signals, command: str = "build", group: bool = False) -> list[str]:
    """Send ``signum`` (to the build, or its whole process group as Ctrl-C does); returns its other stderr lines
    (but the report of the PDF fonts, which every build prints when it starts on the notices).

    The build ends promptly with 130/143 and one last line saying so, and output/ is the same folder.
    """
    output = build.root / "output"
    before = output.stat().st_ino if output.exists() else None
    sent = time.monotonic()
    if group:
        os.killpg(build.process.pid, signum)
    else:
        build.process.send_signal(signum)
    assert build.finish() == EXIT[signum], build.messages()
    assert time.monotonic() - sent < STOPS_WITHIN, "the build went on after the signal"
    *others, last = build.messages()
    assert last.startswith(f"{command} interrupted by {signum.name}"), build.messages()
    assert not any("Traceback" in line or "interrupted" in line for line in others), build.messages()
    assert (output.stat().st_ino if output.exists() else None) == before  # the same folder, not a copy
    return [line for line in others if not line.startswith(PDF_FONTS)]  # the one line a build says before the PDFs


def assert_left_as_it_was(build: Build, before: dict[str, str]) -> None:
    assert snapshot(build.root / "output") == before
    assert not staging(build.root)
    assert not still_alive(build.children), [cmdline(pid) for pid, _ in build.children]


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample year built once: the output/ the slow tests start from."""
    root = copy_project(tmp_path_factory.mktemp("interrupts") / "project")
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    return root


def files_but_final_only(output: Path) -> list[str]:
    """The files of a build, less the 处理告知书 written only once results are final (a changed ledger makes them draft)."""
    return [name for name in files_of(output) if "处理告知书-" not in name]


def copy_of(previous: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(previous, root, symlinks=True)
    change_ledger(root)
    return root


# --- interrupts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_check_leaves_output_as_it_was(signum: signal.Signals, tmp_path: Path) -> None:
    root = fake_output(copy_project(tmp_path / "project"))
    change_ledger(root, BIG_LEDGER)
    before = snapshot(root / "output")
    build = Build(root, importtime=True)
    build.wait_for(imported("kaohe.actions.build"))  # build() and its check come next
    time.sleep(0.05)
    assert interrupt(build, signum) == []
    assert_left_as_it_was(build, before)
    assert lock_path(root / "output").read_text(encoding="ascii") == "", "the lock was not given back"


def test_any_command_interrupted_says_so_in_one_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    change_ledger(root, BIG_LEDGER)
    check = Build(root, "check", importtime=True)
    check.wait_for(imported("kaohe.cli"))
    time.sleep(0.05)
    assert interrupt(check, signal.SIGTERM, command="check") == []
    assert check.stdout == []


def test_an_interrupt_while_waiting_for_another_build_leaves_output_as_it_was(tmp_path: Path) -> None:
    root = fake_output(copy_project(tmp_path / "project"))
    before = snapshot(root / "output")
    with holding_the_lock(root / "output", pid=4242):
        build = Build(root, "build", "--wait", "300")
        build.wait_for(waiting)
        others = interrupt(build, signal.SIGINT)
    assert others == [f"build: waiting up to 300 s for another build of {root / 'output'} to finish (pid 4242)"]
    assert_left_as_it_was(build, before)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("moment", "signum", "group"),
    [
        (workers_started, signal.SIGINT, True),  # Ctrl-C in a terminal: the workers get it too
        (pdf_written, signal.SIGTERM, False),  # kill PID
        (pdf_written, signal.SIGTERM, True),  # a service manager or CI stopping the job
        (site_started, signal.SIGINT, False),
    ],
    ids=["ctrl-c-as-pdf-workers-start", "sigterm-after-a-pdf", "sigterm-to-the-group-after-a-pdf", "sigint-in-site"],
)
def test_an_interrupt_while_rendering_leaves_output_as_it_was(
    moment: Callable[[Build], bool], signum: signal.Signals, group: bool, previous: Path, tmp_path: Path
) -> None:
    root = copy_of(previous, tmp_path)
    before = snapshot(root / "output")
    build = Build(root)
    build.wait_for(moment)
    assert staging(root), "the moment came before the build had a staging folder"
    if group and signum == signal.SIGINT:
        workers_shrug_off_sigint(build)
    assert interrupt(build, signum, group=group) == []
    assert_left_as_it_was(build, before)


def workers_shrug_off_sigint(build: Build) -> None:
    """A SIGINT that reaches the PDF workers first leaves them running: stopping them is the build's job."""
    workers = [pid for pid, _ in children_of(build.process.pid) if "spawn_main" in cmdline(pid)]
    for pid in workers:
        os.kill(pid, signal.SIGINT)
    time.sleep(0.5)
    assert all(start_time(pid) for pid in workers), "a PDF worker died of SIGINT"


def always_pooled(module: str, least: str) -> str:
    """Python run before build.py: ``module``'s pool used whatever the size (its ``least`` set to 0)."""
    return f"import sys\nsys.path.insert(0, {str(TOOL_ROOT)!r})\nimport {module} as pooled\npooled.{least} = 0"


SITE_POOL_ALWAYS = always_pooled("kaohe.render.site.jobs", "POOL_FROM_PAGES")
POOLED_STAGES = {  # how a build is made to use a stage's fork pool at the sample year's size; extra entries
    "site": (SITE_POOL_ALWAYS, ["--as-of", "2008-11-30"], site_workers_started, BIG_LEDGER),  # no notices
    "docx": (always_pooled("kaohe.render.docx", "POOL_FROM_NOTICES"), [], docx_workers_started, 0),
}


@pytest.mark.slow
@pytest.mark.parametrize("stage", list(POOLED_STAGES))
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm-to-the-group"])
def test_an_interrupt_while_a_fork_pool_writes_leaves_output_as_it_was(
    signum: signal.Signals, stage: str, previous: Path, tmp_path: Path
) -> None:
    prelude, args, moment, extra = POOLED_STAGES[stage]
    root = copy_of(previous, tmp_path)
    if extra:
        change_ledger(root, extra)  # a site that takes a while: the signal lands while the workers write
    shutil.rmtree(root / ".cache" / "render" / "docx")  # every DOCX to write, by the pool
    before = snapshot(root / "output")
    build = Build(root, "build", *args, prelude=prelude)
    build.wait_for(moment)
    assert interrupt(build, signum, group=True) == []
    assert_left_as_it_was(build, before)


@pytest.mark.slow
def test_a_build_started_with_sigterm_ignored_writes_on_through_a_sigterm_to_its_group(
    previous: Path, tmp_path: Path
) -> None:
    root = copy_of(previous, tmp_path)
    change_ledger(root, BIG_LEDGER)
    build = Build(root, "build", "--as-of", "2008-11-30", prelude=SITE_POOL_ALWAYS, sigterm_ignored=True)
    build.wait_for(site_workers_started)
    os.killpg(build.process.pid, signal.SIGTERM)  # ignored by the build, and by its workers
    assert build.finish() == 0, build.messages()
    assert not staging(root) and (root / "output" / "site" / "index.html").is_file()
    assert not still_alive(build.children)


@pytest.mark.slow
def test_a_build_killed_by_sigkill_is_cleaned_up_by_the_next(previous: Path, tmp_path: Path) -> None:
    root = copy_of(previous, tmp_path)
    before = snapshot(root / "output")
    build = Build(root)
    build.wait_for(pdf_written)
    build.process.kill()
    assert build.finish() == -signal.SIGKILL
    assert snapshot(root / "output") == before
    assert staging(root), "SIGKILL leaves the staging folder"
    assert not still_alive(build.children), "the PDF workers die with the build"
    done = run_cli(root, "build")
    assert done.returncode == 0, done.stderr
    assert not staging(root) and not (root / ".output.old").exists()
    assert files_but_final_only(root / "output") == files_but_final_only(previous / "output")
    assert snapshot(root / "output") != before


@pytest.mark.slow
def test_two_builds_at_once_run_one_after_the_other(previous: Path, tmp_path: Path) -> None:
    root = copy_of(previous, tmp_path)
    first = Build(root)
    first.wait_for(holding_lock)
    second = Build(root)
    assert (first.finish(), second.finish()) == (0, 0), (first.messages(), second.messages())
    assert any(line.startswith("build: waiting up to 600 s for another build") for line in second.messages())
    assert not staging(root) and not (root / ".output.old").exists()
    assert files_but_final_only(root / "output") == files_but_final_only(previous / "output")
    assert lock_path(root / "output").read_text(encoding="ascii") == ""  # nobody holds it


# --- the lock ----------------------------------------------------------------------------------------


@contextmanager
def holding_the_lock(output: Path, pid: int) -> Iterator[None]:
    """Hold ``output``'s lock as a build would, naming ``pid`` as its holder."""
    with lock_path(output).open("w", encoding="ascii") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write(f"{pid}\n")
        lock.flush()
        yield


def test_a_build_refuses_when_another_build_holds_the_folder_too_long(tmp_path: Path) -> None:
    root = fake_output(copy_project(tmp_path / "project"))
    before = snapshot(root / "output")
    with holding_the_lock(root / "output", pid=4242):
        done = run_cli(root, "build", "--wait", "0.3")
    assert done.returncode == 1
    output = root / "output"
    assert done.stderr.splitlines()[-2:] == [
        f"build: waiting up to 0.3 s for another build of {output} to finish (pid 4242)",
        f"error: another build of {output} is running (pid 4242) and did not finish within 0.3 s; "
        "output/ left as it was",
    ]
    assert snapshot(output) == before and not staging(root)


def test_wait_must_be_a_number_of_seconds(tmp_path: Path) -> None:
    done = run_cli(copy_project(tmp_path / "project"), "build", "--wait", "-1")
    assert done.returncode == 2
    assert "invalid seconds value: '-1'" in done.stderr


# --- the same, in this process, with quick renderers -----------------------------------------------


def results() -> Results:
    outcome = run_ok(small_project())
    assert outcome.results is not None
    return outcome.results


def env(root: Path) -> RenderEnv:
    return RenderEnv(project_root=root, templates_dir=TOOL_ROOT / "templates", source_date_epoch=None)


def one_file(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    (out_dir / "new.txt").write_text("new\n", encoding="utf-8")
    return ("new.txt",)


def ctrl_c(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    (out_dir / "half.txt").write_text("half\n", encoding="utf-8")
    raise KeyboardInterrupt


def test_a_build_removes_what_a_killed_build_left_behind(tmp_path: Path) -> None:
    fake_output(tmp_path)
    for stale in (".output.new-abcd1234/pdf", ".output.old/site"):
        (tmp_path / stale).mkdir(parents=True)
        (tmp_path / stale / "x.txt").write_text("stale\n", encoding="utf-8")
    assert build_output(results(), tmp_path / "output", [one_file], env(tmp_path)) == ("new.txt",)
    assert files_of(tmp_path / "output") == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output"]


def test_a_build_killed_between_the_two_renames_gets_its_output_back(tmp_path: Path) -> None:
    fake_output(tmp_path)
    before = snapshot(tmp_path / "output")
    (tmp_path / "output").rename(tmp_path / ".output.old")
    with pytest.raises(KeyboardInterrupt):
        build_output(results(), tmp_path / "output", [ctrl_c], env(tmp_path))
    assert snapshot(tmp_path / "output") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.lock", "output"]


def test_an_interrupted_renderer_leaves_no_staging_folder(tmp_path: Path) -> None:
    fake_output(tmp_path)
    before = snapshot(tmp_path / "output")
    with pytest.raises(KeyboardInterrupt):
        build_output(results(), tmp_path / "output", [one_file, ctrl_c], env(tmp_path))
    assert snapshot(tmp_path / "output") == before and not staging(tmp_path)


def test_a_waiting_build_says_so_and_refuses_after_its_time(tmp_path: Path) -> None:
    said: list[str] = []
    with holding_the_lock(tmp_path / "output", pid=77), pytest.raises(OutputBusy, match=r"\(pid 77\) and did not"):
        build_output(results(), tmp_path / "output", [one_file], env(tmp_path), wait_ms=200, notify=said.append)
    assert said == [f"build: waiting up to 0.2 s for another build of {tmp_path / 'output'} to finish (pid 77)"]
    assert not (tmp_path / "output").exists() and not staging(tmp_path)


def test_signals_held_back_come_after_the_steps_that_must_not_be_cut() -> None:
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C's usual handler, even under `pytest &`
    steps: list[str] = []
    try:
        with pytest.raises(KeyboardInterrupt):
            with DeferredSignals() as held:
                os.kill(os.getpid(), signal.SIGINT)
                steps.append("first rename")
                steps.append("second rename")
            steps.append("handlers back")
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
            held.deliver()
            steps.append("never")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert steps == ["first rename", "second rename", "handlers back"]


def test_a_build_that_waited_checks_the_content_as_the_other_build_left_it(tmp_path: Path) -> None:
    """The lock comes before the check: content broken while a build waits is what that build checks."""
    entry = "  - {date: 2008-03-01, community: c1, rule: work.rules.each, count: 1}"
    root = write_project(tmp_path / "project", small_project(entry))
    waiting = threading.Event()
    outcome: list[BuildResult] = []

    def notify(message: str) -> None:
        waiting.set()

    def second_build() -> None:
        outcome.append(build(root, TOOL_ROOT / "templates", wait_ms=20_000, notify=notify, renderers=[one_file]))

    with holding_the_lock(root / "output", pid=4242):
        thread = threading.Thread(target=second_build)
        thread.start()
        assert waiting.wait(10), "the second build did not wait for the lock"
        ledger = root / "content" / "ledgers" / "a.yaml"
        ledger.write_text(ledger.read_text(encoding="utf-8").replace("rule: work.rules.each", "rule: no.such"))
    thread.join(30)
    (result,) = outcome
    assert not result.ok and result.checked.results is None  # it saw the broken ledger, so it built nothing
    assert any("no.such" in d.message for d in result.checked.diagnostics)
    assert not (root / "output").exists() and not staging(root)
