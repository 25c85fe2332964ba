#!/usr/bin/env python3
"""Turn ``build.py check --json`` into annotations at each problem's file and line.

    build.py check --json > check.json
    python examples/ci/annotate.py github < check.json          # workflow commands: ::error file=…,line=…::…
    python examples/ci/annotate.py gitlab < check.json > gl-code-quality-report.json

``github`` prints GitHub Actions workflow commands, shown on the pull request's
changed lines. ``gitlab`` writes a GitLab Code Quality report, shown in the merge
request. ``--prefix DIR/`` adds the project's folder inside the repository when
the project does not sit at the repository's root. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from typing import Any


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_commands(diagnostics: list[dict[str, Any]], prefix: str) -> list[str]:
    lines = []
    for d in diagnostics:
        level = "error" if d["severity"] == "error" else "warning"
        where = f"file={escape_property(prefix + d['path'])},line={d['line']},col={d['column']}"
        lines.append(f"::{level} {where},title=考核台帐 check::{escape_data(d['message'])}")
    return lines


def gitlab_report(diagnostics: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    report = []
    for d in diagnostics:
        path = prefix + d["path"]
        key = f"{path}:{d['line']}:{d['column']}:{d['message']}"
        report.append(
            {
                "description": d["message"],
                "check_name": "kaohe-check",
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "severity": "major" if d["severity"] == "error" else "minor",
                "location": {"path": path, "lines": {"begin": d["line"]}},
            }
        )
    return report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("format", choices=("github", "gitlab"))
    parser.add_argument("--prefix", default="", help="the project's folder inside the repository, e.g. 'ledgers/'")
    args = parser.parse_args(argv)
    try:
        diagnostics = json.load(sys.stdin)["diagnostics"]
    except (ValueError, KeyError, TypeError) as exc:
        print(f"annotate: expected the output of 'build.py check --json' on stdin ({exc})", file=sys.stderr)
        return 2
    out = sys.stdout
    if args.format == "github":
        out.write("".join(line + "\n" for line in github_commands(diagnostics, args.prefix)))
    else:
        out.write(json.dumps(gitlab_report(diagnostics, args.prefix), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
