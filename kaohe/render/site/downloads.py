"""The site's downloads: results.json, the CSV and the workbook, and the year's PDFs linked in."""

from __future__ import annotations

from pathlib import Path

from kaohe.render.edition import results_bytes
from kaohe.render.site import export
from kaohe.render.site.context import PDF_DIR, SiteData
from kaohe.render.site.writer import Download, SiteWriter


def human_size(size: int) -> str:
    return f"{size} 字节" if size < 1024 else f"{(size + 512) // 1024} KB"


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
