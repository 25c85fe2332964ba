"""The pools' size: the cores the build may run on, and no more than a container's CPU quota."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kaohe.render import pool


@pytest.mark.parametrize(
    ("limit", "cores"),
    [
        ("max 100000", None),  # cgroup v2: no limit
        ("-1 100000", None),  # cgroup v1: no limit
        ("", None),  # no cgroup file
        ("100000 100000", 1),  # docker run --cpus=1
        ("50000 100000", 1),  # half a core: still one worker
        ("150000 100000", 2),  # 1.5 cores: rounded up
        ("400000 100000", 4),
        ("100000 0", None),  # nonsense: no limit read from it
    ],
)
def test_a_cgroup_limit_reads_as_whole_cores_rounded_up(limit: str, cores: int | None) -> None:
    assert pool.cgroup_cores(limit) == cores


def test_a_container_quota_of_one_core_makes_one_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("100000 100000\n", encoding="ascii")
    monkeypatch.setattr(pool, "CGROUP_V2_MAX", cpu_max)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})  # the host's four cores
    assert pool.usable_cores() == 1


def test_without_a_quota_the_cores_the_build_may_run_on_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CGROUP_V2_MAX", "CGROUP_V1_QUOTA", "CGROUP_V1_PERIOD"):
        monkeypatch.setattr(pool, name, tmp_path / "absent")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5})
    assert pool.usable_cores() == 3


def test_a_cgroup_v1_quota_counts_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "CGROUP_V2_MAX", tmp_path / "absent")
    (tmp_path / "quota").write_text("150000\n", encoding="ascii")
    (tmp_path / "period").write_text("100000\n", encoding="ascii")
    monkeypatch.setattr(pool, "CGROUP_V1_QUOTA", tmp_path / "quota")
    monkeypatch.setattr(pool, "CGROUP_V1_PERIOD", tmp_path / "period")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert pool.usable_cores() == 2
