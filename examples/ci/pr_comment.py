#!/usr/bin/env python3
"""Post a Markdown file as one comment on the pull (merge) request, updated in place on every run.

    python examples/ci/pr_comment.py github diff.md
    python examples/ci/pr_comment.py gitlab diff.md

The comment starts with a hidden marker; a later run finds it and edits that
comment instead of adding another, so the request always shows one, current
"what this change does" comment.

github reads GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER and GITHUB_API_URL
(set by GitHub Actions, PR_NUMBER by the workflow). gitlab reads
KAOHE_GITLAB_TOKEN (a project access token with the ``api`` scope, stored as a
masked CI/CD variable), CI_API_V4_URL, CI_PROJECT_ID and CI_MERGE_REQUEST_IID.
Standard library only.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MARKER = "<!-- kaohe-diff -->"
LIMITS = {"github": 65_000, "gitlab": 1_000_000}  # the largest comment each accepts (characters), with room to spare
TRUNCATED = "\n\n… (truncated: the whole report is in the job log, or run `python build.py diff` locally)\n"


@dataclass(frozen=True)
class Api:
    """Where the comments of one request live, and how to authenticate."""

    comments_url: str  # list (GET) and create (POST)
    comment_url: Callable[[Any], str]  # one comment by id (PATCH on GitHub, PUT on GitLab)
    update_method: str
    headers: Mapping[str, str]


def github_api(env: Mapping[str, str]) -> Api:
    base = env.get("GITHUB_API_URL", "https://api.github.com")
    repo = env["GITHUB_REPOSITORY"]
    return Api(
        comments_url=f"{base}/repos/{repo}/issues/{env['PR_NUMBER']}/comments",
        comment_url=lambda cid: f"{base}/repos/{repo}/issues/comments/{cid}",
        update_method="PATCH",
        headers={"Authorization": f"Bearer {env['GITHUB_TOKEN']}", "Accept": "application/vnd.github+json"},
    )


def gitlab_api(env: Mapping[str, str]) -> Api:
    base = f"{env['CI_API_V4_URL']}/projects/{env['CI_PROJECT_ID']}/merge_requests/{env['CI_MERGE_REQUEST_IID']}"
    return Api(
        comments_url=f"{base}/notes",
        comment_url=lambda cid: f"{base}/notes/{cid}",
        update_method="PUT",
        headers={"PRIVATE-TOKEN": env["KAOHE_GITLAB_TOKEN"]},
    )


def call(api: Api, method: str, url: str, payload: dict[str, Any] | None = None) -> Any:
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    headers = {**api.headers, "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read().decode("utf-8") or "null")


def existing_comment(api: Api) -> Any | None:
    """The id of the comment this script posted before, looking through every page."""
    page = 1
    while True:
        comments = call(api, "GET", f"{api.comments_url}?per_page=100&page={page}")
        for comment in comments:
            if str(comment.get("body", "")).startswith(MARKER):
                return comment["id"]
        if len(comments) < 100:
            return None
        page += 1


def fit(markdown: str, limit: int) -> str:
    """``markdown`` cut at a line break so that the comment stays within ``limit`` characters."""
    room = limit - len(MARKER) - len(TRUNCATED) - 1
    if len(markdown) + len(MARKER) + 1 <= limit:
        return markdown
    return markdown[: markdown.rfind("\n", 0, room) + 1].rstrip("\n") + TRUNCATED


def post(api: Api, markdown: str) -> str:
    body = f"{MARKER}\n{markdown}"
    found = existing_comment(api)
    if found is None:
        call(api, "POST", api.comments_url, {"body": body})
        return "posted a new comment"
    call(api, api.update_method, api.comment_url(found), {"body": body})
    return f"updated comment {found}"


def main(argv: list[str], env: Mapping[str, str] = os.environ) -> int:
    if len(argv) != 2 or argv[0] not in ("github", "gitlab"):
        print("usage: pr_comment.py github|gitlab FILE.md", file=sys.stderr)
        return 2
    try:
        api = github_api(env) if argv[0] == "github" else gitlab_api(env)
    except KeyError as exc:
        print(f"pr_comment: the environment variable {exc} is not set", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as source:
            markdown = fit(source.read(), LIMITS[argv[0]])
    except FileNotFoundError:
        print(f"pr_comment: {argv[1]} does not exist: the diff step before this one did not write it", file=sys.stderr)
        return 2
    print(f"pr_comment: {post(api, markdown)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
