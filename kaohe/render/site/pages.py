"""The site renderer: every page, the assets, the search index and the downloads under ``output/site/``.

All links are relative, so the folder works opened from disk, on an intranet
server, or unpacked from a zip. ``output/index.html`` only points to the site.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from kaohe.render import RenderEnv, RenderError, written_below
from kaohe.render.edition import results_bytes
from kaohe.render.filenames import inside
from kaohe.render.jinja import environment
from kaohe.render.progress import Progress
from kaohe.render.site import export
from kaohe.render.site.charts import PHONE_PLOT_WIDTH, bar_chart, heat_map
from kaohe.render.site.chrome import Chrome, Page, chrome
from kaohe.render.site.community import community_page
from kaohe.render.site.context import PDF_DIR, SiteData, gather
from kaohe.render.site.history import history_page
from kaohe.render.site.ledger import line_page, line_summary
from kaohe.render.site.ranking import ranking_page
from kaohe.render.site.rubric import rubric_page
from kaohe.render.site.search import search_files
from kaohe.render.site.through_year import through_year_view
from kaohe.scoring.results import Results

SITE_DIR = "site"
REDIRECT = "index.html"  # output/index.html points into the site
TEMPLATES = "site"  # below the tool's templates/
ASSETS = ("site.css", "site.js")
SINGLE_PAGES = ("index.html", "lines.html", "rubric.html", "history.html", "downloads.html", "search.html")
SITE_LABEL = "site"
CHINA_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Download:
    href: str  # relative to the site root, percent-encoded
    path: str  # the same place as a reader reads it, for print
    name: str
    what: str
    size: str


def build_date(epoch: int | None) -> str:
    """The build's date from SOURCE_DATE_EPOCH, in China Standard Time; empty without it."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, tz=UTC).astimezone(CHINA_TIME).date().isoformat()


def human_size(size: int) -> str:
    return f"{size} 字节" if size < 1024 else f"{(size + 512) // 1024} KB"


class SiteWriter:
    """Renders templates into the site folder with the site-wide chrome; counts the pages on a terminal."""

    def __init__(self, env: RenderEnv, site_dir: Path, site: Chrome) -> None:
        self.jinja = environment(env.templates_dir)
        self.site_dir = site_dir
        self.site = site
        self.progress = Progress(env.progress, 0, SITE_LABEL, "pages")  # its total set by write_pages
        self.pages = 0

    def page(
        self,
        template: str,
        relpath: str,
        title: str,
        nav_key: str,
        landscape: bool = False,
        as_of: tuple[str, str] = ("", ""),  # a month-end page: its 截至 mark and banner words
        **view: Any,
    ) -> None:
        depth = relpath.count("/")
        mark, note = as_of
        page = Page(
            title=title, base="../" * depth, nav_key=nav_key, landscape=landscape, as_of_mark=mark, as_of_note=note
        )
        html = self.jinja.get_template(f"{TEMPLATES}/{template}").render(site=self.site, page=page, **view)
        self.write_bytes(relpath, html.encode("utf-8"))
        self.pages += 1
        self.progress.step(self.pages, relpath)

    def write_bytes(self, relpath: str, payload: bytes) -> None:
        target = inside(self.site_dir, relpath)  # ids and names are checked; this refuses any escape
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(payload)

    def link(self, relpath: str, source: Path) -> None:
        """Put ``source`` into the site without a second copy on disk (a hard link), or copy it."""
        target = inside(self.site_dir, relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def copy_assets(env: RenderEnv, writer: SiteWriter) -> None:
    source = env.templates_dir / TEMPLATES / "assets"
    for name in ASSETS:
        writer.write_bytes(f"assets/{name}", (source / name).read_bytes())


def write_downloads(data: SiteData, writer: SiteWriter, out_dir: Path, epoch: int | None) -> tuple[Download, ...]:
    files = {
        "results.json": (results_bytes(data.results, data.public), "考核结果（JSON，供其他程序读取）"),
        "results.csv": (export.results_csv(data), "总排名表（CSV，Excel／WPS 可直接打开）"),
        "results.xlsx": (
            export.results_xlsx(data, epoch),
            "总排名、台帐明细（Excel 工作簿）" if data.public else "总排名、台帐明细、末位措施（Excel 工作簿）",
        ),
    }
    downloads = []
    for name, (payload, what) in files.items():
        writer.write_bytes(f"downloads/{name}", payload)
        downloads.append(Download(f"downloads/{name}", f"downloads/{name}", name, what, human_size(len(payload))))
    for pdf in data.pdfs:
        writer.link(pdf.path, out_dir / PDF_DIR / pdf.relpath)
        downloads.append(Download(pdf.href, pdf.path, pdf.name, pdf.what, human_size(pdf.size)))
    return tuple(downloads)


def write_pages(data: SiteData, writer: SiteWriter, downloads: tuple[Download, ...]) -> None:
    year = data.results.year
    ranking = ranking_page(data)
    through = through_year_view(data)
    months = through.pages if through is not None else ()
    lines, communities = data.rubric.lines, data.results.communities
    writer.progress.total = len(months) + len(communities) + len(lines) + len(SINGLE_PAGES)
    writer.page(
        "index.html",
        "index.html",
        f"{year}年度考核总排名",
        "ranking",
        ranking.wide,
        view=ranking,
        through=through,
        **charts(data),
    )
    for month in months:
        writer.page("standings.html", month.relpath, month.title, "ranking", as_of=(month.mark, month.note), view=month)
    for community in communities:
        view = community_page(data, community)
        writer.page("community.html", f"communities/{community.id}.html", community.name, "ranking", view=view)
    writer.page(
        "lines.html", "lines.html", "各线台帐", "lines", lines=tuple(line_summary(data, line) for line in lines)
    )
    for line in lines:
        writer.page("line.html", f"lines/{line.id}.html", f"{line.name}台帐", "lines", view=line_page(data, line))
    writer.page("rubric.html", "rubric.html", "考核细则", "rubric", view=rubric_page(data))
    history = history_page(data)
    writer.page("history.html", "history.html", "历年考核结果", "history", history.wide, view=history)
    writer.page("downloads.html", "downloads.html", "下载", "downloads", downloads=downloads)
    writer.page("search.html", "search.html", "搜索", "search")
    writer.progress.close()


def charts(data: SiteData) -> dict[str, Any]:
    return {"bars": bar_chart(data), "phone_bars": bar_chart(data, PHONE_PLOT_WIDTH), "heat": heat_map(data)}


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
    except TemplateError as exc:
        raise RenderError(f"the site's templates in {env.templates_dir / TEMPLATES} are broken: {exc}") from exc
    except OSError as exc:
        raise RenderError(f"could not write the site: {exc.strerror or exc}: {exc.filename or ''}") from exc


def write_site(results: Results, out_dir: Path, env: RenderEnv, earlier: tuple[str, ...]) -> None:
    data = gather(results, out_dir, earlier, env.project_root, build_date(env.source_date_epoch), env.public)
    site = chrome(data)
    site_dir = out_dir / SITE_DIR
    if site_dir.exists():
        shutil.rmtree(site_dir)
    writer = SiteWriter(env, site_dir, site)
    copy_assets(env, writer)
    for relpath, payload in search_files(data).items():
        writer.write_bytes(relpath, payload)
    downloads = write_downloads(data, writer, out_dir, env.source_date_epoch)
    write_pages(data, writer, downloads)
    write_redirect(env, out_dir, site)
