"""Writing into the site folder: pages from templates with the site-wide chrome, files, links.

One :class:`SiteWriter` per build; a fork pool's workers (:mod:`.jobs`) each use their copy.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from jinja2 import TemplateError

from kaohe.render import RenderEnv, RenderError
from kaohe.render.filenames import inside, is_plain_relpath, unsafe_path
from kaohe.render.jinja import environment
from kaohe.render.pool import WORKER_DIED
from kaohe.render.site.chrome import Chrome, Page

TEMPLATES = "site"  # below the tool's templates/


@dataclass(frozen=True)
class Download:
    href: str  # relative to the site root, percent-encoded
    path: str  # the same place as a reader reads it, for print
    name: str
    what: str
    size: str


class SiteWriter:
    """Renders templates into the site folder with the site-wide chrome."""

    def __init__(self, env: RenderEnv, site_dir: Path, site: Chrome) -> None:
        self.templates_dir = env.templates_dir
        self.jinja = environment(env.templates_dir)
        self.site_dir = site_dir
        self.site = site
        self.folders: dict[str, int] = {}  # an open descriptor of each folder written into, by its path below site_dir

    def page(
        self,
        template: str,
        relpath: str,
        title: str,
        nav_key: str,
        landscape: bool = False,
        as_of: tuple[str, str] = ("", ""),  # a month-end page: its 截至 mark and banner words
        **view: Any,
    ) -> str:
        """Write one page; its path, for the progress line."""
        depth = relpath.count("/")
        mark, note = as_of
        page = Page(
            title=title, base="../" * depth, nav_key=nav_key, landscape=landscape, as_of_mark=mark, as_of_note=note
        )
        html = self.jinja.get_template(f"{TEMPLATES}/{template}").render(site=self.site, page=page, **view)
        self.write_bytes(relpath, html.encode("utf-8"))
        return relpath

    def load_templates(self, names: Iterable[str]) -> None:
        """Compile these page templates now (a pool's workers then share them; a broken one fails here)."""
        for name in names:
            self.jinja.get_template(f"{TEMPLATES}/{name}")

    def write_bytes(self, relpath: str, payload: bytes) -> None:
        """Write a new file at ``relpath`` (:meth:`open_new`)."""
        with self.open_new(relpath) as file:
            file.write(payload)

    def open_new(self, relpath: str, flags: int = 0) -> BinaryIO:
        """``relpath`` opened to be written, in its folder as checked when first written into (:meth:`folder`).

        A file is opened in the folder itself (by its descriptor), not by its path: a folder moved or
        swapped for a link since it was checked is not followed, and neither is a link at the name.
        """
        folder, _, name = relpath.rpartition("/")
        if not is_plain_relpath(name):
            raise unsafe_path(self.site_dir, relpath)
        try:
            fd = os.open(name, NEW_FILE | flags, 0o666, dir_fd=self.folder(folder))
        except OSError as exc:  # named in full, for the build's message
            raise OSError(exc.errno, exc.strerror, str(self.site_dir / relpath)) from None
        return open(fd, "wb")

    def folder(self, relpath: str) -> int:
        """A descriptor of the site's folder ``relpath`` ("" for the site itself), checked and made once.

        It must stay inside the site (:func:`~kaohe.render.filenames.inside`). A city's site writes
        1,186 pages into a few folders: resolving and making the folder again for each page was a
        fortieth of its pages.
        """
        fd = self.folders.get(relpath)
        if fd is None:
            path = inside(self.site_dir, relpath) if relpath else self.site_dir
            path.mkdir(parents=True, exist_ok=True)
            fd = self.folders[relpath] = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        return fd

    def link(self, relpath: str, source: Path) -> None:
        """Put ``source`` into the site without a second copy on disk (a hard link), or copy it.

        Whatever already has the name is replaced, never written through (a link, or another name of a file).
        """
        folder, _, name = relpath.rpartition("/")
        if not is_plain_relpath(name):
            raise unsafe_path(self.site_dir, relpath)
        fd = self.folder(folder)
        with suppress(FileNotFoundError):
            os.unlink(name, dir_fd=fd)
        try:
            os.link(source, name, dst_dir_fd=fd)
        except OSError:  # another file system, or links not allowed: a copy, in a file made for it
            with source.open("rb") as original, self.open_new(relpath, os.O_EXCL) as copy:
                shutil.copyfileobj(original, copy)

    def close(self) -> None:
        """Close the folders' descriptors (a writer that is not closed keeps them until the process ends)."""
        for fd in self.folders.values():
            os.close(fd)
        self.folders.clear()


NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC  # a link at the name: refused


def site_failure(exc: TemplateError | OSError | BrokenProcessPool, templates_dir: Path) -> RenderError:
    """What the build says when the site's templates are broken, a page cannot be written or a worker died."""
    if isinstance(exc, TemplateError):
        return RenderError(f"the site's templates in {templates_dir / TEMPLATES} are broken: {exc}")
    if isinstance(exc, BrokenProcessPool):
        return RenderError(f"could not write the site: {WORKER_DIED}")
    return RenderError(f"could not write the site: {exc.strerror or exc}: {exc.filename or ''}")
