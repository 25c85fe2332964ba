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


def cgroups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: str, limits: dict[str, str]) -> None:
    """A cgroup v2 tree under ``tmp_path``: this process in ``group``, ``limits`` the cpu.max of some groups."""
    root = tmp_path / "cgroup"
    for folder, limit in limits.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "cpu.max").write_text(limit + "\n", encoding="ascii")
    (tmp_path / "proc-cgroup").write_text(f"0::{group}\n", encoding="ascii")
    monkeypatch.setattr(pool, "CGROUP_ROOT", root)
    monkeypatch.setattr(pool, "PROC_CGROUP", tmp_path / "proc-cgroup")
    monkeypatch.setattr(pool, "CGROUP_V1_CPU", tmp_path / "absent")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})  # the host's four cores


def test_a_container_quota_of_one_core_makes_one_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cgroups(tmp_path, monkeypatch, "/", {".": "100000 100000"})  # docker run --cpus=1: the container's root group
    assert pool.usable_cores() == 1


def test_a_quota_on_a_group_above_this_process_holds_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a systemd service with CPUQuota=150%, the build in a group below it, no limit of its own
    limits = {
        ".": "max 100000",
        "system.slice/kaohe.service": "150000 100000",
        "system.slice/kaohe.service/build": "max 100000",
    }
    cgroups(tmp_path, monkeypatch, "/system.slice/kaohe.service/build", limits)
    assert pool.usable_cores() == 2


def test_without_a_quota_the_cores_the_build_may_run_on_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cgroups(tmp_path, monkeypatch, "/user.slice", {".": "max 100000", "user.slice": "max 100000"})
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5})
    assert pool.usable_cores() == 3


def cgroups_v1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lines: str, quotas: dict[str, str]) -> None:
    """A cgroup v1 cpu controller under ``tmp_path``: ``lines`` this process's /proc/self/cgroup, ``quotas`` by group."""
    root = tmp_path / "cpu"
    for folder, quota in quotas.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "cpu.cfs_quota_us").write_text(quota + "\n", encoding="ascii")
        (root / folder / "cpu.cfs_period_us").write_text("100000\n", encoding="ascii")
    (tmp_path / "proc-cgroup").write_text(lines, encoding="ascii")
    monkeypatch.setattr(pool, "CGROUP_ROOT", tmp_path / "absent")  # no v2 hierarchy
    monkeypatch.setattr(pool, "CGROUP_V1_CPU", root)
    monkeypatch.setattr(pool, "PROC_CGROUP", tmp_path / "proc-cgroup")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})


def test_a_cgroup_v1_quota_counts_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cgroups_v1(tmp_path, monkeypatch, "4:cpu,cpuacct:/\n", {".": "150000"})
    assert pool.usable_cores() == 2


def test_a_cgroup_v1_quota_of_a_group_above_this_process_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a systemd service with CPUQuota=100% on a v1 host, the build in a group below it without a quota
    lines = (
        "12:memory:/system.slice/kaohe.service\n4:cpu,cpuacct:/system.slice/kaohe.service/build\n1:name=systemd:/x\n"
    )
    quotas = {
        ".": "-1",
        "system.slice": "-1",
        "system.slice/kaohe.service": "100000",
        "system.slice/kaohe.service/build": "-1",
    }
    cgroups_v1(tmp_path, monkeypatch, lines, quotas)
    assert pool.usable_cores() == 1


def test_in_a_v1_container_whose_mount_is_its_own_group_the_roots_quota_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # docker run --cpus=2 on a v1 host: /proc/self/cgroup names the host's path, the mount shows the group itself
    cgroups_v1(tmp_path, monkeypatch, "4:cpu,cpuacct:/docker/0123abcd\n", {".": "200000"})
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert pool.usable_cores() == 2
