"""The CI examples, the pre-commit hooks and the textconv driver, run for real."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from gitflow_support import GitProject, copy_content
from ruamel.yaml import YAML

from kaohe.cli.main import COMMANDS
from kaohe.content.textconv import view

TOOL_ROOT = Path(__file__).resolve().parents[2]
CI = TOOL_ROOT / "examples" / "ci"


def run_script(
    name: str, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CI / name), *args], input=stdin, capture_output=True, text=True, env=env, check=False
    )


# --- annotations ------------------------------------------------------------------------


def broken_check_json(tmp_path: Path) -> tuple[str, list[dict[str, Any]]]:
    """``check --json`` of a copy of the sample whose first ledger cites a rule that does not exist."""
    root = copy_content(TOOL_ROOT, tmp_path / "project")
    ledger = sorted((root / "content/ledgers").glob("*.yaml"))[0]
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(re.sub(r"(?m)^(    rule: )\S+", r"\1no.such.rule", text, count=1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(TOOL_ROOT / "build.py"), "--root", str(root), "check", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    diagnostics = json.loads(done.stdout)["diagnostics"]
    assert any(d["severity"] == "error" for d in diagnostics)
    return done.stdout, diagnostics


@pytest.mark.slow
def test_check_errors_become_github_annotations_at_their_file_and_line(tmp_path: Path) -> None:
    report, diagnostics = broken_check_json(tmp_path)
    done = run_script("annotate.py", "github", stdin=report)
    assert done.returncode == 0, done.stderr
    expected = [
        f"::{d['severity']} file={d['path']},line={d['line']},col={d['column']},title=考核台帐 check::{d['message']}"
        for d in diagnostics
    ]
    assert done.stdout.splitlines() == expected


@pytest.mark.slow
def test_check_errors_become_a_gitlab_code_quality_report(tmp_path: Path) -> None:
    report, diagnostics = broken_check_json(tmp_path)
    done = run_script("annotate.py", "gitlab", "--prefix", "sub/", stdin=report)
    assert done.returncode == 0, done.stderr
    issues = json.loads(done.stdout)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["description"]) for i in issues] == [
        (f"sub/{d['path']}", d["line"], d["message"]) for d in diagnostics
    ]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_annotate_says_what_it_expects_on_bad_input() -> None:
    done = run_script("annotate.py", "github", stdin="not json")
    assert done.returncode == 2
    assert "expected the output of 'build.py check --json'" in done.stderr


def test_annotations_escape_what_would_end_a_workflow_command() -> None:
    report = {
        "diagnostics": [{"path": "a,b:c.yaml", "line": 1, "column": 2, "severity": "warning", "message": "x\ny%"}]
    }
    done = run_script("annotate.py", "github", stdin=json.dumps(report))
    assert done.stdout == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=考核台帐 check::x%0Ay%25\n"


# --- the pull-request comment -----------------------------------------------------------


class FakeForge:
    """Just enough of the GitHub and GitLab comment APIs, recording every request."""

    def __init__(self) -> None:
        self.comments: list[dict[str, Any]] = [{"id": n, "body": f"someone else {n}"} for n in range(1, 131)]
        self.requests: list[tuple[str, str, dict[str, str]]] = []

    def handler(self) -> type[BaseHTTPRequestHandler]:
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def reply(self, payload: object) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length", "0"))
                return dict(json.loads(self.rfile.read(length))) if length else {}

            def do_GET(self) -> None:
                forge.requests.append(("GET", self.path, dict(self.headers)))
                asked = re.search(r"[?&]page=(\d+)", self.path)
                assert asked, self.path
                page = int(asked.group(1))
                self.reply(forge.comments[(page - 1) * 100 : page * 100])

            def do_POST(self) -> None:
                forge.requests.append(("POST", self.path, dict(self.headers)))
                forge.comments.append({"id": 1000 + len(forge.comments), "body": self.body()["body"]})
                self.reply({})

            def update(self) -> None:
                forge.requests.append((self.command, self.path, dict(self.headers)))
                cid = int(self.path.rsplit("/", 1)[1])
                next(c for c in forge.comments if c["id"] == cid)["body"] = self.body()["body"]
                self.reply({})

            do_PATCH = update
            do_PUT = update

        return Handler


@pytest.fixture
def forge() -> Iterator[tuple[FakeForge, str]]:
    fake = FakeForge()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def ours(fake: FakeForge) -> list[str]:
    return [c["body"] for c in fake.comments if c["body"].startswith("<!-- kaohe-diff -->")]


def test_the_github_comment_is_posted_once_then_updated_in_place(forge: tuple[FakeForge, str], tmp_path: Path) -> None:
    fake, url = forge
    env = {**os.environ, "GITHUB_API_URL": url, "GITHUB_REPOSITORY": "office/ledgers", "PR_NUMBER": "7"}
    env["GITHUB_TOKEN"] = "t0ken"
    report = tmp_path / "diff.md"
    for text in ("## 第一次\n", "## 第二次\n"):
        report.write_text(text, encoding="utf-8")
        done = run_script("pr_comment.py", "github", str(report), env=env)
        assert done.returncode == 0, done.stderr
    assert ours(fake) == ["<!-- kaohe-diff -->\n## 第二次\n"]
    methods = [(m, p.split("?")[0]) for m, p, _h in fake.requests]
    assert ("POST", "/repos/office/ledgers/issues/7/comments") in methods
    assert ("PATCH", f"/repos/office/ledgers/issues/comments/{fake.comments[-1]['id']}") in methods
    assert all(h.get("Authorization") == "Bearer t0ken" for _m, _p, h in fake.requests)


def test_the_gitlab_note_is_posted_once_then_updated_in_place(forge: tuple[FakeForge, str], tmp_path: Path) -> None:
    fake, url = forge
    env = {**os.environ, "CI_API_V4_URL": url, "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "3"}
    env["KAOHE_GITLAB_TOKEN"] = "glpat"
    report = tmp_path / "diff.md"
    for text in ("一\n", "二\n", "三\n"):
        report.write_text(text, encoding="utf-8")
        assert run_script("pr_comment.py", "gitlab", str(report), env=env).returncode == 0
    assert ours(fake) == ["<!-- kaohe-diff -->\n三\n"]
    assert [m for m, _p, _h in fake.requests if m != "GET"] == ["POST", "PUT", "PUT"]
    assert all(p.startswith("/projects/42/merge_requests/3/notes") for _m, p, _h in fake.requests)


def test_a_report_too_long_for_a_comment_is_cut_at_a_line(forge: tuple[FakeForge, str], tmp_path: Path) -> None:
    fake, url = forge
    env = {**os.environ, "GITHUB_API_URL": url, "GITHUB_REPOSITORY": "o/r", "PR_NUMBER": "1", "GITHUB_TOKEN": "t"}
    report = tmp_path / "diff.md"
    report.write_text("".join(f"| 第{n}行 | 数据 |\n" for n in range(10_000)), encoding="utf-8")
    assert run_script("pr_comment.py", "github", str(report), env=env).returncode == 0
    (body,) = ours(fake)
    assert len(body) <= 65_000
    assert body.endswith("run `python build.py diff` locally)\n")
    assert body.split("\n")[-4].endswith("| 数据 |")


def test_a_missing_token_is_named(tmp_path: Path) -> None:
    report = tmp_path / "diff.md"
    report.write_text("x\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CI_", "KAOHE_"))}
    done = run_script("pr_comment.py", "gitlab", str(report), env=env)
    assert done.returncode == 2
    assert "is not set" in done.stderr


# --- the workflow files and the hooks ---------------------------------------------------


def commands_in(path: Path) -> list[str]:
    """Every shell line of a GitHub Actions workflow or a GitLab CI file."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "before_script"):
                    lines = value if isinstance(value, list) else str(value).splitlines()
                    found.extend(str(line) for line in lines)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_the_ci_examples_run_commands_and_scripts_that_exist(name: str) -> None:
    lines = commands_in(CI / name)
    known = {command.name for command in COMMANDS}
    used = {m.group(1) for line in lines for m in re.finditer(r"build\.py (\w+)", line)}
    assert {"check", "fmt", "diff"} <= used <= known
    scripts = {m.group(0) for line in lines for m in re.finditer(r"(examples/ci|scripts)/[\w.-]+", line)}
    assert scripts and all((TOOL_ROOT / s).is_file() for s in scripts), scripts
    assert any("pr_comment.py" in line for line in lines)
    assert any("annotate.py" in line for line in lines)


@pytest.mark.slow
def test_the_pre_commit_hooks_pass_on_the_sample_and_fmt_fails_on_a_messy_ledger(tmp_path: Path) -> None:
    config = YAML(typ="safe").load((TOOL_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    root = copy_content(TOOL_ROOT, tmp_path / "project")
    shutil.copy(TOOL_ROOT / "build.py", root / "build.py")
    (root / "kaohe").symlink_to(TOOL_ROOT / "kaohe")
    (root / "templates").symlink_to(TOOL_ROOT / "templates")

    def hook(name: str, *files: str) -> subprocess.CompletedProcess[str]:
        entry = hooks[name]["entry"].replace(".venv/bin/python", sys.executable).split()
        files = files if hooks[name].get("pass_filenames", True) else ()
        return subprocess.run([*entry, *files], cwd=root, capture_output=True, text=True, check=False)

    ledger = "content/ledgers/" + sorted(p.name for p in (root / "content/ledgers").glob("*.yaml"))[0]
    assert re.match(hooks["kaohe-fmt"]["files"], ledger) and re.match(hooks["kaohe-check"]["files"], ledger)
    assert hook("kaohe-check").returncode == 0
    assert hook("kaohe-fmt", ledger).returncode == 0
    text = (root / ledger).read_text(encoding="utf-8")
    (root / ledger).write_text(text.replace("\n    ", "\n      ").replace("\n  - ", "\n    - "), encoding="utf-8")
    done = hook("kaohe-fmt", ledger)
    assert done.returncode == 1
    assert done.stdout == f"{ledger}: not in canonical form\n"


# --- the textconv driver ----------------------------------------------------------------

LEDGER = """\
# 甲线台帐
line: a
year: 2008
entries:
  - date: 2008-03-01
    community: c1
    rule: work.rules.each
    count: 2
    note: 两项制度不全
  - {date: 2008-04-02, community: c2, rule: work.rules.judge, deduct: 0.5, note: "酌情", evidence: "**记录**"}
"""


def test_textconv_shows_one_line_per_entry() -> None:
    assert view("a.yaml", LEDGER) == (
        "# 甲线台帐\n"
        "line: a\n"
        "year: 2008\n"
        "entries:\n"
        "2008-03-01  c1  work.rules.each ×2  — 两项制度不全\n"
        "2008-04-02  c2  work.rules.judge deduct 0.5  — 酌情  〔**记录**〕\n"
    )


def test_textconv_shows_rubric_rules_with_their_full_ids() -> None:
    from support import SMALL_RUBRIC

    shown = view("rubric.yaml", SMALL_RUBRIC).splitlines()
    assert "work.rules.each  {per: 0.3}  每项扣0.3分" in shown
    assert "safe.accident.death  {veto: true}  死亡事故一票否决" in shown
    assert (
        "money.invest  (20)  招商引资  {method: ratio, unit: 万元, targets: {default: 100, c2: 200}, zero_below: 0.5, bonus: {step: 0.1, add: 1, max: 3}}"
        in shown
    )


def test_textconv_shows_a_broken_file_as_it_is() -> None:
    broken = "entries:\n  - date: [2008\n"
    assert view("a.yaml", broken) == broken


@pytest.mark.slow
def test_git_diff_through_the_driver_shows_the_whole_entry(project: GitProject) -> None:
    shutil.copy(TOOL_ROOT / ".gitattributes", project.root / ".gitattributes")
    project.git("config", "diff.kaohe.textconv", str(TOOL_ROOT / "scripts" / "yaml-textconv"))
    ledger = project.base.content.ledgers[0]
    entry = ledger.entries[0]
    original = project.read(ledger.path)
    lines = original.splitlines(keepends=True)
    at = entry.at("note").line - 1
    lines[at] = lines[at].replace(entry.note, entry.note + "（补充）")
    project.write(ledger.path, "".join(lines))
    shown = project.git("diff", "--", ledger.path)
    changed = [
        line for line in shown.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2
    assert changed[1].startswith(f"+{entry.date.isoformat()}  {entry.community}  {entry.cites}")
    assert changed[1].endswith(f"— {entry.note}（补充）" + (f"  〔{entry.evidence}〕" if entry.evidence else ""))
    assert project.git("show", f"HEAD:{ledger.path}") == original.rstrip("\n"), "git show, as diff uses it, stays raw"
