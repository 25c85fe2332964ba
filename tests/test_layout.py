"""The package layout shows the pipeline: dependencies point one way, and the overviews name real modules."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from support import TOOL_ROOT

PACKAGE = TOOL_ROOT / "kaohe"
# each stage may import only the stages before it (and the shared modules)
STAGES = ("content", "check", "scoring", "render", "actions", "cli")
SHARED = ("collector", "errors", "numbers", "git", "pipeline", "sealed", "workdays")
PIPELINE_USES = ("content", "check", "scoring")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "kaohe" or name.startswith("kaohe.")}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def module_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", module_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_each_stage_imports_only_the_stages_before_it(path: Path) -> None:
    here = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if here in SHARED:
        allowed = {"collector", "errors", "numbers", "git"} | (set(PIPELINE_USES) if here == "pipeline" else set())
    elif here in STAGES:
        allowed = set(STAGES[: STAGES.index(here) + 1]) | set(SHARED)
    else:
        allowed = set(STAGES) | set(SHARED)  # kaohe/__init__.py
    if here == "content":
        allowed.discard("pipeline")
    wrong = sorted(m for m in imported_modules(path) if stage_of(m) and stage_of(m) not in allowed)
    assert wrong == [], f"{path.relative_to(TOOL_ROOT)} imports a later stage: {wrong}"


def test_the_scoring_core_imports_no_io_and_no_templates() -> None:
    for path in (PACKAGE / "scoring").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for forbidden in ("import subprocess", "import jinja2", "from jinja2", "open(", "weasyprint", "kaohe.git"):
            assert forbidden not in source, f"{path.name} uses {forbidden}"


def test_every_module_an_overview_names_exists() -> None:
    for path in [PACKAGE / "__init__.py", *PACKAGE.glob("*/__init__.py"), *PACKAGE.glob("*/*/__init__.py")]:
        package = ".".join(path.relative_to(TOOL_ROOT).parent.parts)
        for name in re.findall(r":mod:`([\w.]+)`", path.read_text(encoding="utf-8")):
            full = package + name if name.startswith(".") else name
            importlib.import_module(full)  # raises when the overview names a module that is gone


def test_every_file_the_repository_settings_point_to_exists() -> None:
    for settings in (".gitattributes", ".pre-commit-config.yaml", "scripts/yaml-textconv"):
        text = (TOOL_ROOT / settings).read_text(encoding="utf-8")
        for relpath in re.findall(r"\b((?:docs|scripts|kaohe)/[\w./-]+\.\w+)", text):
            assert (TOOL_ROOT / relpath).exists(), f"{settings} points to a missing {relpath}"
        for module in re.findall(r"-m (kaohe[\w.]+)", text):
            importlib.import_module(module)


def heading_anchor(heading: str) -> str:
    """The anchor GitHub and GitLab give a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("document", ["README.md", "docs/FORMAT.md", "docs/NOTICE.md", "SECURITY.md"])
def test_every_in_page_link_names_a_heading_of_its_page(document: str) -> None:
    text = (TOOL_ROOT / document).read_text(encoding="utf-8")
    anchors = {heading_anchor(h) for h in re.findall(r"^#+ (.+)$", text, re.MULTILINE)}
    broken = [link for link in re.findall(r"\]\(#([^)]+)\)", text) if link not in anchors]
    assert not broken, f"{document} links to no heading: {broken}"
