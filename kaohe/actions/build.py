"""``build``: check, then render everything into a staging folder and swap it in for ``output/``.

Everything is gathered before anything is written, and a failed or interrupted
build leaves the previous ``output/`` exactly as it was:

- one build at a time: ``.output.lock`` beside ``output/`` (``flock``, which the
  kernel releases when a build dies, even by SIGKILL) makes a second build wait
  for the first, up to ``wait_ms`` milliseconds, and then refuse (:mod:`kaohe.actions.lock`);
  the lock is taken before the content is checked, so a build that waited checks
  the content as the first build left it;
- holding the lock, a build first removes what a killed build left behind
  (``.output.new-*`` staging folders, ``.output.old``; a build killed between the
  two renames of the swap gets its ``output/`` back from ``.output.old``);
- the staging folder is removed whatever stops the build (an error, SIGINT,
  SIGTERM), and the two renames of the swap are never cut in half by a signal:
  :class:`DeferredSignals` holds SIGINT and SIGTERM back and replays them after.
"""

from __future__ import annotations

import gc
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from kaohe.actions.asof import check_as_of, outside_message
from kaohe.actions.check import OUTPUT_DIR, CheckResult, check
from kaohe.actions.lock import LOCK_WAIT_MS, Notify, OutputBusy, output_lock
from kaohe.actions.stages import Stages, StageTiming, Unwatched, Watcher
from kaohe.collector import collected_once
from kaohe.render import RenderEnv, Renderer, RenderError, source_date_epoch
from kaohe.render.data import render_results_json
from kaohe.render.docx import render_docx
from kaohe.render.edition import PUBLIC_DIR, public_results
from kaohe.render.pdf import render_pdfs
from kaohe.render.site import render_site
from kaohe.scoring.results import Results

# the site comes last: it links the PDFs the renderers before it wrote
RENDERERS: tuple[Renderer, ...] = (render_results_json, render_pdfs, render_docx, render_site)
NOTICE_RENDERERS: tuple[Renderer, ...] = (render_pdfs, render_docx)  # left out of an --as-of build
REPLACED = "output/ already holds the new build"  # said of an interrupt that came once the swap was done

Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


@dataclass(frozen=True)
class BuildResult:
    checked: CheckResult
    output: Path
    written: tuple[str, ...] = ()  # every file written, relative to the output folder
    error: str = ""  # a renderer could not finish, or another build held output/: output/ was left as it was
    stages: tuple[StageTiming, ...] = ()  # what ran, in order, and how long each took
    as_of: date | None = None  # built with --as-of: the results from the entries up to this date
    bad_as_of: bool = False  # --as-of named a date outside the period: nothing was built (a usage error)
    public: Path | None = None  # built with --public: the public edition's folder (output-public/)
    public_written: tuple[str, ...] = ()  # every file of the public edition, relative to its folder
    removed: tuple[str, ...] = ()  # files the previous output/ held that this build no longer makes

    @property
    def ok(self) -> bool:
        return self.checked.ok and not self.error

    def as_json(self) -> dict[str, Any]:
        return self.checked.as_json() | {
            "output": str(self.output),
            "written": list(self.written),
            "removed": list(self.removed),
            "error": self.error,
            "stages": [timing.as_json() for timing in self.stages],
            **({"as_of": self.as_of.isoformat()} if self.as_of else {}),
            **({"public": str(self.public), "public_written": list(self.public_written)} if self.public else {}),
        }


def on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(
    root: Path,
    templates_dir: Path,
    progress: bool = False,
    wait_ms: int = LOCK_WAIT_MS,
    notify: Notify = on_stderr,
    watcher: Watcher | None = None,
    renderers: Sequence[Renderer] = RENDERERS,
    quiet: bool = False,
    as_of: date | None = None,
    public: bool = False,
    process_ends: bool = False,
) -> BuildResult:
    """Check the project at ``root`` and, when its content has no errors, build ``root/output``.

    ``notify`` is told when the build has to wait for another build of the same folder;
    ``watcher`` when each stage (``check``, then one per renderer, then ``swap``) starts and ends.
    ``renderers`` are all of them unless a caller wants fewer (the local preview leaves the PDFs out);
    ``quiet`` keeps the renderers from saying anything but problems (which fonts serve the notices).
    ``as_of``: results from the entries dated on or before it, marked so everywhere, and no notices.
    ``public``: also the public edition (:mod:`kaohe.render.edition`) into ``root/output-public``,
    under the same lock, swapped in together with ``output``; ``output`` is the same as without it.
    ``process_ends``: the caller exits once the build is done (``RenderEnv.process_ends``).
    """
    stages = Stages(watcher or Unwatched())
    output = root / OUTPUT_DIR
    try:
        with output_lock(output, wait_ms, notify):  # held from the check on: what is built is what was checked
            return checked_build(root, templates_dir, stages, renderers, progress, quiet, as_of, public, process_ends)
    except (OutputBusy, OSError) as exc:  # OSError: the lock file cannot be made (no such project folder)
        with stages.run("check"):
            checked = check(root)
        error = str(exc) if checked.results is not None else ""  # the content's own errors say enough
        return BuildResult(checked, output, error=error, stages=tuple(stages.timings), as_of=as_of)
    finally:
        gc.unfreeze()  # the model the check kept out of the collector's sight: collectable for a process that goes on


def checked_build(
    root: Path,
    templates_dir: Path,
    stages: Stages,
    renderers: Sequence[Renderer],
    progress: bool,
    quiet: bool,
    as_of: date | None,
    public: bool,
    process_ends: bool = False,
) -> BuildResult:
    """:func:`build` once it holds the lock of ``root/output``: check, then render and swap each edition."""
    with stages.run("check"):
        checked = check(root, kept=True)  # lasts as long as the build (unfrozen when it ends)
        refused = outside_message(checked, as_of) if as_of is not None else ""
        if as_of is not None and not refused:
            checked, renderers = check_as_of(checked, as_of), without_notices(renderers)
    output = root / OUTPUT_DIR
    results = checked.results
    if results is None or refused:
        return BuildResult(checked, output, error=refused, stages=tuple(stages.timings), bad_as_of=bool(refused))
    env = RenderEnv(
        project_root=root,
        templates_dir=templates_dir,
        source_date_epoch=source_date_epoch(),
        progress=progress,
        quiet=quiet,
        process_ends=process_ends,
    )
    editions = [Edition(results, output, env)]
    if public:
        public_env = replace(env, public=True, quiet=True)  # the fonts were reported once already
        editions.append(Edition(public_results(results), root / PUBLIC_DIR, public_env, "public "))
    previous = files_below(output)
    try:
        written, *also = render_and_swap(editions, renderers, stages)
    except (RenderError, OSError) as exc:  # OSError: the staging folder or the swap
        return BuildResult(checked, output, error=str(exc), stages=tuple(stages.timings), as_of=as_of)
    removed = tuple(sorted(previous - set(written)))
    built = BuildResult(checked, output, written, stages=tuple(stages.timings), as_of=as_of, removed=removed)
    return replace(built, public=editions[1].output, public_written=also[0]) if public else built


def files_below(folder: Path) -> set[str]:
    """Every file below ``folder``, relative to it; none when there is no such folder."""
    if not folder.is_dir():
        return set()
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


def without_notices(renderers: Sequence[Renderer]) -> tuple[Renderer, ...]:
    """The renderers an ``--as-of`` build runs: no PDF or DOCX of the year's notices."""
    return tuple(render for render in renderers if render not in NOTICE_RENDERERS)


def build_output(
    results: Results,
    output: Path,
    renderers: Sequence[Renderer],
    env: RenderEnv,
    wait_ms: int = LOCK_WAIT_MS,
    notify: Notify = on_stderr,
    stages: Stages | None = None,
) -> tuple[str, ...]:
    """Run every renderer into a fresh folder beside ``output`` and swap it in atomically, one build at a time."""
    return build_editions([Edition(results, output, env)], renderers, wait_ms, notify, stages)[0]


@dataclass(frozen=True)
class Edition:
    """One folder a build writes: the results it shows, where it goes, how it is rendered; ``prefix`` names its stages."""

    results: Results
    output: Path
    env: RenderEnv
    prefix: str = ""  # "public " for the public edition's stages: "public pdfs"


def build_editions(
    editions: Sequence[Edition],
    renderers: Sequence[Renderer],
    wait_ms: int = LOCK_WAIT_MS,
    notify: Notify = on_stderr,
    stages: Stages | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Render each edition into a fresh folder beside its output, then swap them all in, holding the first's lock.

    Nothing is swapped before every edition is rendered, and SIGINT or SIGTERM wait until the last swap
    is done: a failed or interrupted build leaves every folder as it was, or (once swapping) all new.
    Returns the files written into each edition's folder, in the order of ``editions``.
    """
    first = editions[0].output
    first.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(first, wait_ms, notify):
        return render_and_swap(editions, renderers, stages or Stages())


def render_and_swap(
    editions: Sequence[Edition], renderers: Sequence[Renderer], stages: Stages
) -> tuple[tuple[str, ...], ...]:
    """:func:`build_editions` for a caller that already holds the lock of the first edition's output."""
    with ExitStack() as stack:
        for edition in editions:
            remove_stale(edition.output)
        staged = [(edition, stack.enter_context(staging_folder(edition.output))) for edition in editions]
        written = tuple(render_edition(edition, staging, renderers, stages) for edition, staging in staged)
        with stages.run("swap"):
            swap_all([(staging, edition.output) for edition, staging in staged])
    return written


def render_edition(edition: Edition, staging: Path, renderers: Sequence[Renderer], stages: Stages) -> tuple[str, ...]:
    """Every renderer, in order, into ``staging``, with the cycle collector paused (:mod:`kaohe.collector`)."""
    written: tuple[str, ...] = ()
    with model_frozen():
        for render in renderers:
            with stages.run(edition.prefix + stage_name(render)) as wrote:
                with collected_once():  # and the few cycles the stage left are freed after it
                    files = render(edition.results, staging, edition.env, written)
                wrote(len(files))
            written += files
    staging.chmod(0o755)
    return written


@contextmanager
def model_frozen() -> Iterator[None]:
    """The content and results out of the cycle collector's sight while the renderers run.

    They live as long as the build; without this, every full collection while the site is
    written walks the whole model again. Unfrozen after, for a process that goes on (``serve``).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def swap_all(pairs: Sequence[tuple[Path, Path]]) -> None:
    """:func:`swap` each staging folder in for its output; a signal waits until the last one is done."""
    if len(pairs) == 1:
        swap(*pairs[0])
        return
    with DeferredSignals() as held:
        for staging, output in pairs:
            swap(staging, output)
    try:
        held.deliver()
    except KeyboardInterrupt as stop:
        stop.add_note(REPLACED)
        raise


def stage_name(render: Renderer) -> str:
    """``render_pdfs`` → ``pdfs``: what the stage of a renderer is called in progress and timings."""
    name = getattr(render, "__name__", "render")
    return name.removeprefix("render_")


def remove_stale(output: Path) -> None:
    """Clear what a killed build left beside ``output`` (only ever called holding the lock)."""
    retired = output.parent / f".{output.name}.old"
    if retired.is_dir() and not output.exists():
        retired.rename(output)  # killed between the two renames of the swap: the previous output comes back
    for stale in output.parent.glob(f".{output.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def staging_folder(output: Path) -> Iterator[Path]:
    """A fresh folder beside ``output``, removed whole if anything (an error, a signal) stops the build."""
    with DeferredSignals() as held:
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        held.deliver()
        yield staging
    except BaseException:
        with DeferredSignals() as again:
            shutil.rmtree(staging, ignore_errors=True)
        again.deliver()
        raise


def swap(staging: Path, output: Path) -> None:
    """Put ``staging`` in the place of ``output``: two renames that no signal cuts in half."""
    retired = output.parent / f".{output.name}.old"
    shutil.rmtree(retired, ignore_errors=True)
    with DeferredSignals() as held:
        if output.exists():
            output.rename(retired)
        try:
            staging.rename(output)
        except OSError:
            if retired.exists() and not output.exists():
                retired.rename(output)
            raise
    try:
        held.deliver()
        shutil.rmtree(retired, ignore_errors=True)
    except KeyboardInterrupt as stop:
        stop.add_note(REPLACED)
        raise


class DeferredSignals:
    """Hold SIGINT and SIGTERM back for a few steps that must not be cut in half.

    Signals that arrive meanwhile are recorded; :meth:`deliver` raises them afterwards, each
    through the handler it had before (KeyboardInterrupt, the CLI's SIGTERM exception, or the
    default action). Python runs signal handlers only in the main thread, so elsewhere nothing
    needs holding back.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.caught: list[int] = []
        self.previous: dict[int, Handler] = {}

    def __enter__(self) -> DeferredSignals:
        handlers = {signum: signal.getsignal(signum) for signum in self.SIGNALS}
        if threading.current_thread() is threading.main_thread() and None not in handlers.values():
            for signum in handlers:
                self.previous[signum] = signal.signal(signum, self.record)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous.clear()

    def record(self, signum: int, frame: FrameType | None) -> None:
        self.caught.append(signum)

    def deliver(self) -> None:
        """Raise the signals held back, in the order they first came."""
        caught, self.caught = dict.fromkeys(self.caught), []
        for signum in caught:
            signal.raise_signal(signum)
