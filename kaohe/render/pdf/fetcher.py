"""The only way WeasyPrint may load anything: the project's own PDF assets, the office's font files and ``data:`` URLs.

Content Markdown is sanitised before it reaches a template, but the fetcher is
the last line: an image or stylesheet URL pointing anywhere else (the network,
``/etc/passwd``, the content folder) is refused and never read.
"""

from __future__ import annotations

import kaohe.render.pdf.loading  # noqa: F401  (first: WeasyPrint imported without a library search)

# isort: split

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``file:`` URLs under ``assets``, the listed font files and ``data:`` URLs; refuse everything else."""

    def __init__(self, assets: Path, font_files: tuple[Path, ...] = ()) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.assets = assets.resolve()
        self.font_files = frozenset(path.resolve() for path in font_files)
        self.refused: list[str] = []

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return True
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parts.path)).resolve()
        return (path.is_relative_to(self.assets) or path in self.font_files) and path.is_file()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
        if not self.allows(url):
            self.refused.append(url)
            raise ValueError(f"not fetched: {url} (PDFs load only their own assets)")
        return super().fetch(url, headers)
