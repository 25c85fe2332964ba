"""The small year's notices as PDF and DOCX, and every DOCX converted by LibreOffice in one call."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx_support import EPOCH, approved_year
from support import TOOL_ROOT

from kaohe.render import RenderEnv
from kaohe.render.docx import render_docx
from kaohe.render.pdf import render_pdfs
from kaohe.render.pdf.fonts import ROLES

SOFFICE_SECONDS = 300


def stand_in_fonts(folder: Path) -> Path:
    """A fontconfig file that gives each official font name the free stand-in the PDFs use (fonts.py),
    as an office without the licensed fonts would have set up WPS; the system's fonts stay as they are."""
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{role.stand_ins[0]}</family></prefer></alias>'
        for role in ROLES
        for name in role.official
    )
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return config


@pytest.fixture(scope="session")
def notices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, ...], tuple[str, ...]]:
    """``(output folder, PDFs written, DOCX written)`` for the approved small year."""
    out = tmp_path_factory.mktemp("notices")
    env = RenderEnv(out, TOOL_ROOT / "templates", source_date_epoch=EPOCH)
    results = approved_year()
    pdfs = render_pdfs(results, out, env, ())
    return out, pdfs, render_docx(results, out, env, pdfs)


@pytest.fixture(scope="session")
def converted(notices: tuple[Path, tuple[str, ...], tuple[str, ...]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every DOCX as LibreOffice lays it out (standing in for WPS), in one soffice call: it starts slowly."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --dev installs libreoffice-writer-nogui)")
    out, _, written = notices
    target = tmp_path_factory.mktemp("converted")
    profile = (target / "profile").as_uri()
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(target),
            *(str(out / relpath) for relpath in written),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "FONTCONFIG_FILE": str(stand_in_fonts(target))},
        timeout=SOFFICE_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(target.glob("*.pdf"))) == len(written), done.stdout + done.stderr
    return target
