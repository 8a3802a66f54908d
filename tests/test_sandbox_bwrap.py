"""The bwrap backend's plumbing: choosing it, refusing it, its filter and cgroups.

What a hostile submission cannot do is in test_hostile.py; this file checks
how the backend is picked, how it degrades and what it reports.
"""

from __future__ import annotations

import shutil
import struct
import sys
from pathlib import Path

import pytest

from autograder.errors import SandboxError
from autograder.runner import run_harness
from autograder.sandbox import bwrap, cgroups, get_sandbox, seccomp
from autograder.sandbox.bwrap import BwrapSandbox, size_words
from autograder.sandbox.process import ProcessSandbox
from autograder.spec import load_assignment
from tests.conftest import ASSIGNMENTS, REFERENCE, run_cli

usable = pytest.mark.skipif(not BwrapSandbox.available(), reason="bubblewrap is not usable here")


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch):
    real_which = shutil.which
    monkeypatch.setattr(
        bwrap.shutil, "which", lambda name, *a, **k: None if name == "bwrap" else real_which(name)
    )
    bwrap.probe.cache_clear()
    yield
    bwrap.probe.cache_clear()


def test_missing_bwrap_is_one_clear_error(no_bwrap) -> None:
    with pytest.raises(SandboxError) as info:
        get_sandbox("bwrap")
    assert str(info.value) == (
        "sandbox 'bwrap' cannot run here (bwrap is not installed); install bubblewrap "
        "(Debian/Ubuntu: apt-get install bubblewrap) or use --sandbox none"
    )
    assert not BwrapSandbox.available()


def test_cli_without_bwrap_exits_2_with_one_line(tmp_path: Path) -> None:
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    result = run_cli(
        "submit",
        "hw1.py",
        "--sandbox",
        "bwrap",
        cwd=tmp_path,
        env={"PATH": str(Path(sys.executable).parent)},
    )
    assert result.returncode == 2
    assert result.stderr == (
        "autograde: error: sandbox 'bwrap' cannot run here (bwrap is not installed); install "
        "bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) or use --sandbox none\n"
    )


@usable
def test_auto_prefers_bwrap() -> None:
    assert isinstance(get_sandbox("auto"), BwrapSandbox)


def test_auto_falls_back_to_none_without_bwrap(no_bwrap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no docker or podman either
    from autograder.sandbox import container

    container.engine_problem.cache_clear()
    try:
        assert isinstance(get_sandbox("auto"), ProcessSandbox)
    finally:
        container.engine_problem.cache_clear()


@usable
def test_cli_says_which_backend_and_limits(tmp_path: Path) -> None:
    shutil.copy(REFERENCE / "hw1.py", tmp_path / "hw1.py")
    result = run_cli("submit", "hw1.py", "--sandbox", "bwrap", "--memory-mb", "1024", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sandbox bwrap" in result.stdout and "NOT isolated" not in result.stdout
    assert "Score: 17 / 17" in result.stdout
    assert result.stderr == ""
    report = (tmp_path / "autograde-report.json").read_text()
    assert '"sandbox": "bwrap"' in report and '"isolated": true' in report
    assert '"memory_mb": 1024' in report


def _run(limits_overrides: dict | None = None):
    from autograder.spec import Limits

    assignment = load_assignment(ASSIGNMENTS / "hw1")
    limits = Limits.model_validate(
        {**assignment.spec.limits.model_dump(), **(limits_overrides or {})}
    )
    return run_harness(
        sandbox=BwrapSandbox(),
        assignment=assignment,
        source=(REFERENCE / "hw1.py").read_text(),
        seed=1,
        limits=limits,
    )


def _own_cgroups() -> list[Path]:
    base = Path("/sys/fs/cgroup")
    import os

    return list(base.glob(f"**/autograde-{os.getpid()}-*"))


@usable
def test_run_leaves_no_cgroup_and_reports_peak_memory() -> None:
    run = _run()
    assert run.sandbox.exit_code == 0 and run.sandbox.limits_exceeded == []
    assert run.output.probes["forward_hidden"].status == "ok"
    assert run.sandbox.peak_memory_bytes and run.sandbox.peak_memory_bytes > 2**20
    assert _own_cgroups() == []


@usable
def test_without_cgroups_it_degrades_to_rlimits_and_warns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable(**_: int) -> cgroups.Cgroup:
        raise cgroups.CgroupUnavailable("no cgroup hierarchy with memory and pids controllers")

    monkeypatch.setattr(cgroups, "create", unavailable)
    run = _run()
    assert run.output.probes["train_hidden"].status == "ok"
    assert any(
        w.startswith("no usable cgroup (no cgroup hierarchy with memory and pids controllers)")
        for w in run.sandbox.warnings
    )


def test_size_words() -> None:
    assert size_words(2 * 2**30) == "2 GiB"
    assert size_words(300 * 2**20) == "300 MiB"


def test_seccomp_filter_shape() -> None:
    program = seccomp.build_filter("x86_64")
    assert len(program) % 8 == 0 and len(program) // 8 < 256
    first = struct.unpack("=HBBI", program[:8])
    second = struct.unpack("=HBBI", program[8:16])
    assert first == (0x20, 0, 0, 4)  # load the arch field
    assert second == (0x15, 1, 0, 0xC000003E)  # x86-64 or die
    last = struct.unpack("=HBBI", program[-8:])
    assert last == (0x06, 0, 0, seccomp.RET_ALLOW)
    assert seccomp.build_filter("aarch64") != program
    with pytest.raises(seccomp.UnsupportedArch):
        seccomp.build_filter("sparc")
