"""The site's HTML pages, its search index and downloads in shares (jobs), written here or by a fork pool.

A job is small to hand over (a kind and an index); the gathered year stays where it is: the
pool forks (:mod:`kaohe.render.pool`), so that each worker reads the build's own copy of it, and
sends back only the paths it wrote. The pages are the same bytes whichever process writes them.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from kaohe.render import vocab
from kaohe.render.pool import fork_workers, forked
from kaohe.render.progress import Progress
from kaohe.render.site.charts import PHONE_PLOT_WIDTH, bar_chart, heat_map
from kaohe.render.site.community import community_page
from kaohe.render.site.context import SiteData, line_href
from kaohe.render.site.downloads import write_downloads
from kaohe.render.site.history import history_page
from kaohe.render.site.ledger import ledger_month_count, line_month_pages, line_page, line_summary, long_ledger_months
from kaohe.render.site.ranking import ranking_page
from kaohe.render.site.rubric import rubric_page
from kaohe.render.site.search import search_files
from kaohe.render.site.through_year import month_page_count, through_year_view
from kaohe.render.site.writer import SiteWriter, site_failure

PAGE_TEMPLATES = ("index.html", "standings.html", "community.html", "lines.html", "line.html", "line_month.html",
                  "rubric.html", "history.html", "downloads.html", "search.html")  # fmt: skip
SINGLE_PAGES = ("index.html", "lines.html", "rubric.html", "history.html", "downloads.html", "search.html")
COMMUNITIES_PER_JOB = 16
POOL_FROM_PAGES = 100  # a smaller site is written in this process: a pool would cost more than it saves


@dataclass(frozen=True)
class PageJob:
    """A share of the site's pages: a method of :class:`SitePages` and its arguments."""

    kind: str
    args: tuple[int, ...] = ()


class SitePages:
    """The year's pages, each kind written by one method that returns the paths it wrote."""

    def __init__(self, data: SiteData, writer: SiteWriter, out_dir: Path, epoch: int | None) -> None:
        self.data, self.writer, self.out_dir, self.epoch = data, writer, out_dir, epoch

    def write(self, job: PageJob) -> tuple[str, ...]:
        written: tuple[str, ...] = getattr(self, job.kind)(*job.args)
        return written

    def front(self) -> tuple[str, ...]:
        """The ranking and the month-end standings, which share the scoring of every month end."""
        data, page = self.data, self.writer.page
        ranking, through = ranking_page(data), through_year_view(data)
        months = through.pages if through is not None else ()
        title = f"{data.results.year}年度考核总排名"
        index = page(
            "index.html", "index.html", title, "ranking", ranking.wide, view=ranking, through=through, **charts(data)
        )
        return (
            index,
            *(page("standings.html", m.relpath, m.title, "ranking", as_of=(m.mark, m.note), view=m) for m in months),
        )

    def communities(self, start: int, stop: int) -> tuple[str, ...]:
        return tuple(
            self.writer.page(
                "community.html", f"communities/{c.id}.html", c.name, "ranking", view=community_page(self.data, c)
            )
            for c in self.data.results.communities[start:stop]
        )

    def lines(self) -> tuple[str, ...]:
        lines = tuple(line_summary(self.data, line) for line in self.data.rubric.lines)
        return (self.writer.page("lines.html", "lines.html", "各线台帐", "lines", lines=lines),)

    def line(self, index: int) -> tuple[str, ...]:
        """A line's page, and a long ledger's month pages."""
        line, page = self.data.rubric.lines[index], self.writer.page
        months = long_ledger_months(self.data, line)
        view = line_page(self.data, line, months)
        title = f"{line.name}台帐"
        return (
            page("line.html", line_href(line.id), title, "lines", view=view, ledger_by_month=vocab.LEDGER_BY_MONTH),
            *(
                page(
                    "line_month.html",
                    month_page.month.href,
                    f"{title} {month_page.month.label}",
                    "lines",
                    view=month_page,
                )
                for month_page in line_month_pages(self.data, view.summary, months)
            ),
        )

    def rubric(self) -> tuple[str, ...]:
        return (self.writer.page("rubric.html", "rubric.html", "考核细则", "rubric", view=rubric_page(self.data)),)

    def history(self) -> tuple[str, ...]:
        history = history_page(self.data)
        return (
            self.writer.page("history.html", "history.html", "历年考核结果", "history", history.wide, view=history),
        )

    def search_index(self) -> tuple[str, ...]:
        """The search page's index (no page of its own: nothing for the progress line)."""
        for relpath, payload in search_files(self.data).items():
            self.writer.write_bytes(relpath, payload)
        return ()

    def downloads(self) -> tuple[str, ...]:
        """The files to download, then the page that lists them with their sizes."""
        downloads = write_downloads(self.data, self.writer, self.out_dir, self.epoch)
        return (self.writer.page("downloads.html", "downloads.html", "下载", "downloads", downloads=downloads),)

    def search(self) -> tuple[str, ...]:
        return (self.writer.page("search.html", "search.html", "搜索", "search"),)


def charts(data: SiteData) -> dict[str, Any]:
    return {"bars": bar_chart(data), "phone_bars": bar_chart(data, PHONE_PLOT_WIDTH), "heat": heat_map(data)}


def page_jobs(data: SiteData) -> tuple[PageJob, ...]:
    """Every page of the site, the search index and the downloads, the longest jobs early for a pool's sake."""
    count = len(data.results.communities)
    return (
        PageJob("front"),  # the ranking first (in one process, the progress line's first page), then the two longest
        PageJob("search_index"),
        PageJob("downloads"),
        *(
            PageJob("communities", (at, min(at + COMMUNITIES_PER_JOB, count)))
            for at in range(0, count, COMMUNITIES_PER_JOB)
        ),
        PageJob("lines"),
        *(PageJob("line", (at,)) for at in range(len(data.rubric.lines))),
        *(PageJob(kind) for kind in ("rubric", "history", "search")),
    )


def page_total(data: SiteData) -> int:
    return (
        month_page_count(data)
        + len(data.results.communities)
        + len(data.rubric.lines)
        + ledger_month_count(data)
        + len(SINGLE_PAGES)
    )


def write_pages(
    pages: SitePages, progress: Progress, workers: int | None = None, jobs: Sequence[PageJob] | None = None
) -> None:
    """Every job (:func:`page_jobs`): in this process, or by a fork pool of ``workers`` (by default for a big site)."""
    jobs = page_jobs(pages.data) if jobs is None else jobs
    progress.total = page_total(pages.data)
    workers = pool_size(progress.total) if workers is None else workers
    if workers > 1:
        pages.writer.load_templates(PAGE_TEMPLATES)  # compiled once, before the fork
    written = (pages.write(job) for job in jobs) if workers <= 1 else pooled(pages, jobs, workers)
    done = 0
    with closing(written):  # an error here stops the workers at once
        for relpaths in written:
            for relpath in relpaths:
                done += 1
                progress.step(done, relpath)
    progress.close()


def pool_size(pages: int) -> int:
    """Workers for the site: a fork pool (:func:`~kaohe.render.pool.fork_workers`) for a big site."""
    return fork_workers(pages, POOL_FROM_PAGES)


def pooled(pages: SitePages, jobs: Sequence[PageJob], workers: int) -> Generator[tuple[str, ...], None, None]:
    """The jobs' pages written by a fork pool, each job's paths as it finishes."""
    return forked(pages, _write_in_worker, jobs, workers)


def _write_in_worker(pages: SitePages, job: PageJob) -> tuple[str, ...]:
    try:
        return pages.write(job)
    except (TemplateError, OSError) as exc:  # raised again in the build, as the message it shows
        raise site_failure(exc, pages.writer.templates_dir) from None
