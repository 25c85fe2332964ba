"""A git repository holding the sample year, with the ledger merge driver installed as ``--install`` does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from kaohe.actions.merge.driver import install

TOOL_ROOT = Path(__file__).resolve().parents[2]
PARTY = "content/ledgers/party.yaml"


class LedgerRepo:
    """A project folder that is a git repository on ``main``, its driver set up by ``merge-driver --install``."""

    def __init__(self, root: Path, party_ledger: str) -> None:
        self.root = root
        shutil.copytree(TOOL_ROOT / "content", root / "content")
        (root / "content" / "publicity.yaml").unlink()  # its objections cite entries the small ledger does not hold
        self.write(party_ledger)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "考核测试")
        self.git("config", "user.email", "tests@example.org")
        self.git("config", "commit.gpgsign", "false")
        installed = install(root, sys.executable, TOOL_ROOT / "build.py")  # as `build.py merge-driver --install`
        assert installed.ok, installed.error
        self.commit("the sample year with a small party ledger")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=check)

    def build_py(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(self.root), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def read(self, relpath: str = PARTY) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def write(self, text: str, relpath: str = PARTY) -> None:
        (self.root / relpath).write_text(text, encoding="utf-8")

    def replace(self, old: str, new: str, relpath: str = PARTY) -> None:
        text = self.read(relpath)
        assert text.count(old) == 1, old
        self.write(text.replace(old, new), relpath)

    def on_branch(self, name: str, old: str, new: str, start: str = "main") -> None:
        """A branch ``name`` from ``start`` with one commit replacing ``old`` by ``new`` in the party ledger."""
        self.git("switch", "-q", "-c", name, start)
        self.replace(old, new)
        self.commit(f"{name}: edit the party ledger")
        self.git("switch", "-q", start)

    def merge(self, branch: str) -> subprocess.CompletedProcess[str]:
        return self.git("merge", "--no-edit", branch, check=False)


def entry(date: str, community: str, rule: str, note: str, count: int | None = None) -> str:
    """One entry as a clerk types it at the end of ``entries:``."""
    lines = [f"  - date: {date}", f"    community: {community}", f"    rule: {rule}"]
    lines += [f"    count: {count}"] if count is not None else []
    return "\n".join([*lines, f"    note: {note}"]) + "\n"
