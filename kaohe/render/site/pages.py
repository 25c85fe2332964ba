"""The site renderer: every page, the assets, the search index and the downloads under ``output/site/``.

The pages, the search index and the downloads are written as jobs (:mod:`.jobs`), by a fork
pool for a big site.

All links are relative, so the folder works opened from disk, on an intranet
server, or unpacked from a zip. ``output/index.html`` only points to the site.
"""

from __future__ import annotations

import shutil
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from jinja2 import TemplateError

from kaohe.render import RenderEnv, written_below
from kaohe.render.jinja import environment
from kaohe.render.progress import Progress
from kaohe.render.site.chrome import Chrome, chrome
from kaohe.render.site.context import gather
from kaohe.render.site.jobs import SitePages, write_pages
from kaohe.render.site.writer import TEMPLATES, SiteWriter, site_failure
from kaohe.scoring.results import Results

SITE_DIR = "site"
REDIRECT = "index.html"  # output/index.html points into the site
ASSETS = ("site.css", "site.js")
SITE_LABEL = "site"
CHINA_TIME = timezone(timedelta(hours=8))


def build_date(epoch: int | None) -> str:
    """The build's date from SOURCE_DATE_EPOCH, in China Standard Time; empty without it."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, tz=UTC).astimezone(CHINA_TIME).date().isoformat()


def copy_assets(env: RenderEnv, writer: SiteWriter) -> None:
    source = env.templates_dir / TEMPLATES / "assets"
    for name in ASSETS:
        writer.write_bytes(f"assets/{name}", (source / name).read_bytes())


def write_redirect(env: RenderEnv, out_dir: Path, site: Chrome) -> None:
    html = environment(env.templates_dir).get_template(f"{TEMPLATES}/redirect.html").render(site=site)
    (out_dir / REDIRECT).write_bytes(html.encode("utf-8"))


def render_site(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> tuple[str, ...]:
    """Renderer: the whole static site into ``out_dir/site`` and a pointer at ``out_dir/index.html``.

    The PDFs among ``earlier`` (written by the renderers before this one) are offered for download.
    """
    try:
        write_site(results, out_dir, env, earlier)
        return (*written_below(out_dir, out_dir / SITE_DIR), REDIRECT)
    except (TemplateError, OSError, BrokenProcessPool) as exc:
        raise site_failure(exc, env.templates_dir) from exc


def write_site(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> None:
    data = gather(results, out_dir, earlier, env.project_root, build_date(env.source_date_epoch), env.public)
    site = chrome(data)
    site_dir = out_dir / SITE_DIR
    if site_dir.exists():
        shutil.rmtree(site_dir)
    with closing(SiteWriter(env, site_dir, site)) as writer:
        copy_assets(env, writer)
        pages = SitePages(data, writer, out_dir, env.source_date_epoch)
        write_pages(pages, Progress(env.progress, 0, SITE_LABEL, "pages"))
    write_redirect(env, out_dir, site)
