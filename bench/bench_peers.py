"""``check`` beside the peers on equal work: bean-check (Beancount) and ``hledger check``, per entry.

    python bench/bench_peers.py [--entries 100000] [--runs 3]

Generates a year of ``--entries`` ledger entries for this tool (``generate.py``,
200 communities) and a journal of as many transactions for each peer (one dated
transaction of two postings per entry, over 200 accounts, spread over the same year),
then times each checker as a whole process, best of ``--runs``. Needs ``bean-check``
(``pip install beancount``) and ``hledger`` (``apt-get install hledger``) on PATH; a
peer that is missing is reported as such.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from generate import generate
from measure import Cost, best_of, check_command, machine

ACCOUNTS = 200


def transactions(entries: int, seed: int = 1) -> list[tuple[date, int, str]]:
    rng = random.Random(seed)
    start = date(2008, 1, 1)
    return [
        (
            start + timedelta(days=rng.randrange(365)),
            rng.randrange(ACCOUNTS),
            f"{rng.randint(1, 30)}.{rng.randint(0, 9)}",
        )
        for _ in range(entries)
    ]


def beancount_journal(rows: list[tuple[date, int, str]]) -> str:
    head = ["2008-01-01 open Assets:Street CNY"]
    head += [f"2008-01-01 open Expenses:Community:C{n:03d} CNY" for n in range(ACCOUNTS)]
    body = [
        f'{day} * "检查发现" "社区{n:03d}"\n  Expenses:Community:C{n:03d}  {amount} CNY\n  Assets:Street'
        for day, n, amount in sorted(rows)
    ]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"


def hledger_journal(rows: list[tuple[date, int, str]]) -> str:
    body = [
        f"{day} * 检查发现 社区{n:03d}\n    expenses:community:c{n:03d}  {amount} CNY\n    assets:street"
        for day, n, amount in sorted(rows)
    ]
    return "\n\n".join(body) + "\n"


def per_entry(cost: Cost, entries: int) -> str:
    """CPU microseconds per entry, whole."""
    return f"{cost.cpu_ms * 1000 // entries}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    print()
    print("| checker | input | CPU ms | µs per entry | peak MiB |")
    print("| --- | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = transactions(args.entries)
        (folder / "year.beancount").write_text(beancount_journal(rows), encoding="utf-8")
        (folder / "year.journal").write_text(hledger_journal(rows), encoding="utf-8")
        generate(folder / "kaohe", 200, args.entries, seed=1)
        best_of(1, check_command(folder / "kaohe"))  # fills the parse cache for the warm run
        runs = [
            ("build.py check, cold", "YAML ledgers", check_command(folder / "kaohe"), {"KAOHE_NO_CACHE": "1"}),
            ("build.py check, warm", "YAML ledgers", check_command(folder / "kaohe"), {}),
            ("bean-check", "Beancount journal", ["bean-check", str(folder / "year.beancount")], {}),
            ("hledger check", "hledger journal", ["hledger", "-f", str(folder / "year.journal"), "check"], {}),
        ]
        for name, kind, command, env in runs:
            if shutil.which(command[0]) is None:
                print(f"| {name} | {kind} | not installed | | |")
                continue
            cost = best_of(args.runs, command, env)
            print(
                f"| {name} | {kind} | {cost.cpu_ms:,} | {per_entry(cost, args.entries)} | {(cost.peak_kib + 512) // 1024} |"
            )
    print()
    print(f"{args.entries:,} entries or transactions each; best of {args.runs}")


if __name__ == "__main__":
    main()
