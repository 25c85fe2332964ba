"""Every content source answers alike: the working tree, a git revision, and an overlay over either.

The same files, committed or not, must list and read the same through each
source: non-ASCII names included, a BOM dropped, a non-UTF-8 file reported at
its first bad byte. And git itself missing is a clear error, not a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kaohe.content.overlay import Overlay
from kaohe.content.source import ContentSource, GitRevision, NotUtf8Error, WorkingTree
from kaohe.git import Git, GitError

FILES: dict[str, bytes] = {
    "content/rubric.yaml": b"year: 2008\n",
    "content/ledgers/party.yaml": b"line: party\n",
    "content/ledgers/紫桥.yaml": "line: 紫桥\n".encode(),
    "content/ledgers/with space.yaml": b"line: x\n",
    "content/ledgers/bom.yaml": b"\xef\xbb\xbfline: bom\n",
    "content/ledgers/gbk.yaml": "line: gbk\nnote: 紫桥\n".encode("gbk"),
    "content/ledgers/notes.txt": b"not a ledger\n",
    "content/ledgers/sub/deeper.yaml": b"line: deeper\n",
}
EXPECTED_LEDGERS = [
    "content/ledgers/bom.yaml",
    "content/ledgers/gbk.yaml",
    "content/ledgers/party.yaml",
    "content/ledgers/with space.yaml",
    "content/ledgers/紫桥.yaml",
]


def write_files(root: Path) -> None:
    for relpath, data in FILES.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def working_tree(root: Path) -> ContentSource:
    return WorkingTree(root)


def committed(root: Path) -> ContentSource:
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "content")
    return GitRevision(root, "HEAD")


def committed_in_a_subfolder(root: Path) -> ContentSource:
    project = root / "project"
    for child in list(root.iterdir()):
        if child.name != "project":
            project.mkdir(exist_ok=True)
            shutil.move(str(child), str(project / child.name))
    committed(root)
    return GitRevision(root, "HEAD", prefix="project/")


def overlay_of_working_tree(root: Path) -> ContentSource:
    return Overlay(WorkingTree(root), {})


SOURCES: dict[str, Callable[[Path], ContentSource]] = {
    "working tree": working_tree,
    "git revision": committed,
    "git revision, project in a subfolder": committed_in_a_subfolder,
    "overlay": overlay_of_working_tree,
}


@pytest.fixture(params=list(SOURCES), ids=list(SOURCES))
def source(request: pytest.FixtureRequest, tmp_path: Path) -> ContentSource:
    write_files(tmp_path)
    return SOURCES[request.param](tmp_path)


def test_every_source_lists_the_same_files_with_their_real_names(source: ContentSource) -> None:
    assert source.list_files("content/ledgers") == EXPECTED_LEDGERS
    assert source.list_files("content/history") == []


def test_every_source_reads_utf8_and_drops_a_byte_order_mark(source: ContentSource) -> None:
    assert source.read_text("content/ledgers/紫桥.yaml") == "line: 紫桥\n"
    assert source.read_text("content/ledgers/bom.yaml") == "line: bom\n"
    assert source.read_text("content/ledgers/with space.yaml") == "line: x\n"


def test_every_source_says_a_missing_file_is_missing(source: ContentSource) -> None:
    assert source.read_text("content/decision.yaml") is None


def test_every_source_locates_the_first_byte_that_is_not_utf8(source: ContentSource) -> None:
    with pytest.raises(NotUtf8Error) as raised:
        source.read_text("content/ledgers/gbk.yaml")
    # line 2 is "note: " then the GBK bytes of 紫: the bad byte is the 7th character
    assert (raised.value.relpath, raised.value.line, raised.value.col) == ("content/ledgers/gbk.yaml", 2, 7)


def test_an_overlay_replaces_and_hides_files_on_top_of_any_source(tmp_path: Path) -> None:
    write_files(tmp_path)
    base = committed(tmp_path)
    replaced = {"content/ledgers/new.yaml": "line: new\n", "content/rubric.yaml": "year: 2009\n"}
    view = Overlay(base, replaced, hidden={"content/ledgers/party.yaml"})
    assert view.list_files("content/ledgers") == sorted(
        [*(p for p in EXPECTED_LEDGERS if not p.endswith("party.yaml")), "content/ledgers/new.yaml"]
    )
    assert view.read_text("content/rubric.yaml") == "year: 2009\n"
    assert view.read_text("content/ledgers/party.yaml") is None


def test_a_missing_git_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    with pytest.raises(GitError, match="git is not installed"):
        Git(tmp_path).text("status")
    assert Git(tmp_path).is_work_tree() is False


def test_a_git_command_that_fails_says_why(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"git rev-parse failed: .*not a git repository"):
        Git(tmp_path).text("rev-parse", "--show-prefix")


def test_a_git_command_that_hangs_is_stopped(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    slow = Git(tmp_path, timeout_seconds=1)
    with pytest.raises(GitError, match=r"took more than 1 s"):
        slow.run("-c", "alias.wait=!sleep 5", "wait")
