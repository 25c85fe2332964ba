"""Writing into the site folder: pages from templates with the site-wide chrome, files, links.

One :class:`SiteWriter` per build; a fork pool's workers (:mod:`.jobs`) each use their copy.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from kaohe.render import RenderEnv, RenderError
from kaohe.render.filenames import inside, is_plain, unsafe_path
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
        self.folders: dict[str, Path] = {}  # each folder written into (relative to site_dir), checked and made once

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
        """Write a new file; a link already at its name is refused (``O_NOFOLLOW``), never written through."""
        fd = os.open(self.target(relpath), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        with open(fd, "wb") as file:
            file.write(payload)

    def target(self, relpath: str) -> Path:
        """Where ``relpath`` goes, a plain name in a folder checked (:func:`~kaohe.render.filenames.inside`) and made once.

        Ids and names are checked before; this refuses any escape but a link at the name itself, which
        :meth:`write_bytes` refuses to write through. A city's site writes 1,186 pages into a few
        folders: resolving and making the folder again for every page was a fortieth of its pages.
        """
        folder, _, name = relpath.rpartition("/")
        if not is_plain(name):
            raise unsafe_path(self.site_dir, relpath)
        placed = self.folders.get(folder)
        if placed is None:
            placed = inside(self.site_dir, folder) if folder else self.site_dir
            placed.mkdir(parents=True, exist_ok=True)
            self.folders[folder] = placed
        return placed / name

    def link(self, relpath: str, source: Path) -> None:
        """Put ``source`` into the site without a second copy on disk (a hard link), or copy it."""
        self.target(relpath)  # its folder made
        target = inside(self.site_dir, relpath)  # and no link at its name to copy through
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def site_failure(exc: TemplateError | OSError | BrokenProcessPool, templates_dir: Path) -> RenderError:
    """What the build says when the site's templates are broken, a page cannot be written or a worker died."""
    if isinstance(exc, TemplateError):
        return RenderError(f"the site's templates in {templates_dir / TEMPLATES} are broken: {exc}")
    if isinstance(exc, BrokenProcessPool):
        return RenderError(f"could not write the site: {WORKER_DIED}")
    return RenderError(f"could not write the site: {exc.strerror or exc}: {exc.filename or ''}")
