"""Spreadsheet tests: one template filled in and saved again by LibreOffice, once per session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sheet_support import FILLED_ROWS, make_project

from kaohe.actions.spreadsheet.template import write_template

SOFFICE_SECONDS = 180


@pytest.fixture(scope="session")
def template_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose party template is ``template.xlsx`` beside ``content/`` (do not change either)."""
    root = make_project(tmp_path_factory.mktemp("template") / "project")
    assert write_template(root, "party", root / "template.xlsx").written
    return root


@pytest.fixture(scope="session")
def filled_template(template_project: Path) -> Path:
    """The party template with :data:`FILLED_ROWS` typed in from row 3, saved by openpyxl."""
    book = load_workbook(template_project / "template.xlsx")
    sheet = book["台帐"]
    for offset, values in enumerate(FILLED_ROWS):
        for col, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=3 + offset, column=col, value=value)
    path = template_project / "filled.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="session")
def resaved_by_libreoffice(filled_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The filled template opened and saved by LibreOffice headless as .xlsx and as .xls (skipped without soffice)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; scripts/setup.sh --dev installs it")
    work = tmp_path_factory.mktemp("libreoffice")
    profile = (work / "profile").as_uri()  # its own profile: never the user's, never another test run's
    copies: dict[str, Path] = {}
    for suffix in ("xlsx", "xls"):
        out = work / suffix
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                suffix,
                "--outdir",
                str(out),
                str(filled_template),
            ],
            check=True,
            capture_output=True,
            timeout=SOFFICE_SECONDS,
        )
        copies[suffix] = out / f"{filled_template.stem}.{suffix}"
        assert copies[suffix].is_file()
    return copies
