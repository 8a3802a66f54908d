"""cgroup v2 logic against a fake hierarchy (this machine mounts only v1 controllers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.sandbox import cgroups


def fake_v2(tmp_path: Path, controllers: str = "cpu memory pids") -> Path:
    (tmp_path / "cgroup.controllers").write_text(controllers + "\n")
    (tmp_path / "cgroup.subtree_control").write_text("")
    return tmp_path


def test_v2_group_gets_memory_pids_and_swap_limits(tmp_path):
    root = fake_v2(tmp_path)
    group = cgroups._v2(str(root), "", 300 * 2**20, 34, "autograde-test")
    child = root / "autograde-test"
    assert group.version == 2
    assert group.procs == [child / "cgroup.procs"]
    assert (child / "memory.max").read_text() == str(300 * 2**20)
    assert (child / "memory.swap.max").read_text() == "0"
    assert (child / "pids.max").read_text() == "34"
    assert "+memory" in (root / "cgroup.subtree_control").read_text()


def test_v2_reports_oom_pids_cpu_and_peak(tmp_path):
    group = cgroups._v2(str(fake_v2(tmp_path)), "", 2**30, 64, "g")
    child = tmp_path / "g"
    (child / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    (child / "pids.events").write_text("max 5\n")
    (child / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\n")
    (child / "memory.peak").write_text("123456789\n")
    assert group.oom_killed() is True
    assert group.pids_exhausted() is True
    assert group.cpu_seconds() == 2.5
    assert group.peak_memory() == 123456789


def test_v2_without_the_controllers_is_unavailable(tmp_path):
    root = fake_v2(tmp_path, controllers="cpu io")
    with pytest.raises(cgroups.CgroupUnavailable, match="does not offer memory and pids"):
        cgroups._v2(str(root), "", 2**30, 64, "g")
