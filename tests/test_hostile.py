"""Hostile submissions against the bwrap sandbox.

Each case in tests/submissions/hostile/ is appended to a correct hw1
solution (`_correct.py`, 17/17 on its own) and graded through `submit` with
`--sandbox bwrap`, so every test shows both that the attack failed and that
the rest of the report stands. Every case also checks, through `graded`,
that a secret in the grader's environment and working directory appears
nowhere in the report, and that no process of the run survived it.
"""

from __future__ import annotations

import ast
import hashlib
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from autograder.report import Report
from autograder.sandbox.base import GRADER_ROOT
from autograder.sandbox.bwrap import BwrapSandbox
from autograder.submit import submit
from tests.conftest import (
    ASSIGNMENTS,
    REFERENCE,
    SUBMISSIONS,
    failing,
    feedback,
    sandbox_processes,
)

pytestmark = pytest.mark.skipif(
    not BwrapSandbox.available(), reason="bubblewrap is not usable on this machine"
)

HOSTILE = SUBMISSIONS / "hostile"
TOKEN = "ghp_FAKEautogradeSECRET0123456789abcdef"
FULL = 17.0
NOT_RUN = {
    "forward",
    "loss",
    "grad_w1",
    "grad_w2",
    "gradcheck_w1",
    "gradcheck_w2",
    "train_w1",
    "train_w2",
    "train_losses",
    "train_converges",
    "script_loss",
}


@dataclass
class Graded:
    report: Report
    stdout: str
    seconds: float
    cwd: Path


def _leftovers(marker: str) -> list[str]:
    """Processes still in a cgroup this test process made, or showing `marker`."""
    return sandbox_processes(os.getpid(), marker)


@pytest.fixture
def graded(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """graded(case, port=..., **limits) -> Graded, with the invariants checked."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TOKEN)
    cwd = tmp_path / "grader-cwd"
    cwd.mkdir()
    (cwd / "secret.txt").write_text(TOKEN)
    monkeypatch.chdir(cwd)

    def _graded(case: str, port: int = 1, **limits: float) -> Graded:
        marker = f"0.{uuid.uuid4().int % 10**12:012d}"
        source = (HOSTILE / "_correct.py").read_text() + "\n" + (HOSTILE / f"{case}.py").read_text()
        for key, value in {
            "@TOKEN@": TOKEN,
            "@PORT@": str(port),
            "@MARKER@": marker,
            "@CWD@": str(cwd),
            "@PWNED@": str(tmp_path / "pwned"),
        }.items():
            source = source.replace(key, value)
        work = tmp_path / "submission"
        work.mkdir()
        (work / "hw1.py").write_text(source)
        started = time.monotonic()
        report_path = tmp_path / "report.json"
        outcome = submit(
            file=work / "hw1.py",
            report_path=report_path,
            sandbox="bwrap",
            limit_overrides=dict(limits),
            cache_dir=cache_dir,
        )
        seconds = time.monotonic() - started
        assert outcome.report.execution is not None
        assert outcome.report.execution.sandbox == "bwrap"
        assert TOKEN not in report_path.read_text()
        assert _leftovers(marker) == []
        assert not (tmp_path / "pwned").exists()
        return Graded(outcome.report, outcome.report.execution.stdout, seconds, cwd)

    return _graded


def _not_run(report: Report, reason: str, status: str = "error") -> None:
    assert report.score == 2.0  # no_autodiff is decided from the source alone
    assert failing(report) == NOT_RUN
    for check in NOT_RUN:
        assert feedback(report, check) == f"not run: the submission {reason}"
    assert {c.status for c in report.checks if c.id in NOT_RUN} == {status}


def test_cannot_read_reference_or_anything_outside(graded) -> None:
    result = graded("read_files")
    assert result.report.score == FULL
    out = result.stdout
    assert "DENIED /work/main/reference/hw1.py FileNotFoundError" in out
    assert f"DENIED {result.cwd}/secret.txt FileNotFoundError" in out
    for path in ("/home", "/etc/shadow", "/sys", "/run"):
        assert f"DENIED {path} FileNotFoundError" in out
    root_line = next(line for line in out.splitlines() if line.startswith("ROOT"))
    visible = set(ast.literal_eval(root_line[5:]))
    runtime = {Path(p).parts[1] for p in (sys.prefix, sys.base_prefix)}
    allowed = {
        "bin",
        "dev",
        "etc",
        "lib",
        "lib32",
        "lib64",
        "libx32",
        "opt",
        "proc",
        "sbin",
        "submission",
        "tmp",
        "usr",
    } | runtime
    assert visible <= allowed  # no /assignment, no /output: the harness only talks over a socket
    # Of the grader, the sandbox holds the harness alone: no spec, probe or reference.
    assert "GRADER ['__init__.py', 'harness']" in out
    assert "WALK DONE" in out and "FOUND SECRET" not in out


def test_environment_and_pid1_environ_are_clean(graded) -> None:
    result = graded("env_secrets")
    assert result.report.score == FULL
    assert "ENVIRON 1 PATH=" in result.stdout  # bwrap's init was readable, and clean
    assert "GITHUB_TOKEN" not in result.stdout and "AWS_SECRET" not in result.stdout


def test_no_network_even_to_localhost(graded) -> None:
    received: list[bytes] = []
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.2)

        def accept() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not received:
                try:
                    conn, _ = server.accept()
                except TimeoutError:
                    continue
                received.append(conn.recv(100) or b"connected")
                conn.close()

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        result = graded("network", port=server.getsockname()[1])
        received.append(b"")  # stops the thread
        thread.join()
    assert received == [b""]
    assert "NO CONNECTION ConnectionRefusedError 111" in result.stdout
    assert "NO VSOCK 97" in result.stdout and "NO DNS" in result.stdout
    assert result.report.score == FULL


def test_fork_flood_is_capped_and_reported(graded) -> None:
    result = graded("fork_flood", max_processes=32)
    forked = int(result.stdout.split("FORKED")[1].split()[0])
    assert forked < 32
    assert result.report.execution.limits_exceeded == ["tried to run more than 32 processes"]
    assert result.report.score == FULL


def test_memory_hog_is_killed_and_reported(graded) -> None:
    result = graded("memory_hog", memory_mb=300)
    _not_run(result.report, "used more than 300 MiB of memory")
    assert result.report.execution.limits_exceeded == ["used more than 300 MiB of memory"]


def test_infinite_loop_hits_the_cpu_limit(graded) -> None:
    result = graded("infinite_loop", cpu_seconds=3)
    _not_run(result.report, "used more than 3 s of CPU time")
    assert result.seconds < 20


def test_sleeping_past_the_time_out(graded) -> None:
    result = graded("sleep_forever", wall_seconds=4)
    _not_run(result.report, "ran longer than 4 s", status="timeout")
    assert result.report.execution.exit_status == "timed out"
    assert result.seconds < 20


def test_two_gib_of_output_costs_neither_memory_nor_minutes(graded) -> None:
    result = graded("output_flood")
    execution = result.report.execution
    assert execution.stdout_truncated and len(execution.stdout) <= 64 * 1024
    assert execution.stderr.strip().endswith("-tail")
    assert result.report.score == FULL
    assert result.seconds < 60


def test_setsid_daemon_does_not_outlive_the_run(graded) -> None:
    result = graded("daemon")  # `graded` looks for the daemon's marker in /proc
    assert result.report.score == FULL
    assert result.seconds < 30


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cannot_write_grader_assignment_or_site_packages(graded) -> None:
    protected = [
        GRADER_ROOT / "autograder" / "harness" / "main.py",
        GRADER_ROOT / "autograder" / "grading.py",
        ASSIGNMENTS / "hw1" / "probes.py",
        ASSIGNMENTS / "hw1" / "assignment.toml",
        Path(np.__file__),
        Path(os.__file__),
        REFERENCE / "hw1.py",
    ]
    before = {path: (_digest(path), path.stat().st_mtime_ns) for path in protected}
    result = graded("write_outside")
    assert before == {path: (_digest(path), path.stat().st_mtime_ns) for path in protected}
    lines = [line for line in result.stdout.splitlines() if line.split()[0] in ("WROTE", "REFUSED")]
    assert len(lines) == 11 and all(line.startswith("REFUSED") for line in lines)
    for path in ("/assignment/probes.py", "/assignment/assignment.toml"):
        assert f"REFUSED {path} FileNotFoundError" in result.stdout  # nothing is mounted there
    assert "SCRATCH OK" in result.stdout
    assert not (result.cwd / "planted").exists()
    assert result.report.score == FULL


def test_ptrace_and_process_memory_access_are_denied(graded) -> None:
    result = graded("ptrace")
    assert result.stdout.split("\n")[:3] == ["PTRACE 1 -1 1", "PTRACE 1 -1 1", "VM_READV -1 1"]
    assert result.report.score == FULL


def test_seccomp_denies_keyrings_io_uring_bpf_namespaces_mount(graded) -> None:
    result = graded("kernel_surface")
    lines = [line for line in result.stdout.splitlines() if line.startswith("SYSCALL")]
    assert len(lines) == 7 and all(line.endswith(" -1 1") for line in lines)
    assert result.report.score == FULL


def test_killing_the_parent_costs_only_what_runs_later(graded) -> None:
    result = graded("kill_parent")
    report = result.report
    assert "STILL ALIVE" in result.stdout  # killing bwrap's init is a no-op
    ended = "not run: the submission's process ended early (killed by SIGKILL)"
    # train_hidden, the first probe to call train, kills the harness; whether its own
    # answer got out first is a race. The probes after it in spec order never run.
    lost = {"train_converges", "script_loss"}
    assert lost <= failing(report) <= lost | {"train_w1", "train_w2", "train_losses"}
    for check in failing(report):
        assert feedback(report, check) == ended
    assert report.score == FULL - 2 - 4 * ("train_w1" in failing(report))


def test_monkeypatched_comparisons_change_nothing(graded) -> None:
    report = graded("monkeypatch").report
    assert failing(report) == {
        "forward",
        "grad_w1",
        "grad_w2",
        "gradcheck_w1",  # finite differences of the loss of its (zero) forward
        "gradcheck_w2",
        "train_w1",
        "train_w2",
        "train_losses",
        "train_converges",
    }
    assert report.score == 4.0


def test_planted_reports_and_outputs_are_ignored(graded, tmp_path: Path) -> None:
    result = graded("fake_report")
    report = result.report
    # The gradients are judged against the instructor's loss, not this forward; and
    # train_converges judges the returned weights by the instructor's loss: they are right.
    assert failing(report) == {"forward", "train_losses"}
    assert report.score == 13.0
    for path in ("/output/probes/forward_hidden.json", "/output/run.json"):
        assert f"NOT PLANTED {path} FileNotFoundError" in result.stdout  # no /output any more
    assert f"NOT PLANTED {result.cwd}/autograde-report.json FileNotFoundError" in result.stdout
    assert not (result.cwd / "autograde-report.json").exists()
    assert Report.model_validate_json((tmp_path / "report.json").read_text()) == report


def test_os_exit_at_top_level_is_survived(graded) -> None:
    report = graded("early_exit").report
    assert report.score == FULL
    assert any("the script called os._exit(0)" in note for note in report.notes)


def test_objects_with_malicious_reduce_never_reach_the_grader(graded) -> None:
    report = graded("malicious_reduce").report  # `graded` checks the payload's file
    assert feedback(report, "forward") == (
        "forward(x, w1, w2) should return numbers or arrays, got a Payload"
    )
    # backward did return a pair; what is wrong is the object array in it, and the
    # feedback must say so without naming the grader's own proxy types.
    grad_feedback = feedback(report, "grad_w1")
    assert "Remote" not in grad_feedback and "object" in grad_feedback
    assert "train_w1" not in failing(report)  # an ndarray subclass crosses as plain data
    assert report.score == 9.0


def test_huge_returned_arrays_fail_their_probes_only(graded) -> None:
    report = graded("huge_arrays", memory_mb=512).report
    too_big = (
        "the submission returned arrays of more than 4,000,000 elements: "
        "more than the grader accepts"
    )
    assert feedback(report, "forward") == too_big  # refused before it is ever materialised
    assert feedback(report, "train_w1") == too_big
    assert {"no_autodiff", "loss", "grad_w1", "grad_w2", "script_loss"}.isdisjoint(failing(report))


def test_undoing_the_import_guard_still_finds_no_torch(graded) -> None:
    result = graded("guard_bypass")
    out = result.stdout
    assert "NO TORCH: autograde: 'torch' is not available in this assignment" in out
    assert "CHILD 1 ImportError: autograde: 'torch' is not available in this assignment" in out
    assert "GOT TORCH" not in out
    # The static rule check sees the computed import name; everything after it is
    # withheld for that, not because the bypass reached torch.
    report = result.report
    assert feedback(report, "no_autodiff").startswith(
        "the submission imports a module whose name is computed at run time (line "
    )
    requires = {"grad_w1", "grad_w2", "gradcheck_w1", "gradcheck_w2"}
    requires |= {"train_w1", "train_w2", "train_losses", "train_converges"}
    assert failing(report) == {"no_autodiff"} | requires
    for check in requires:
        assert feedback(report, check).startswith("not counted: requires no_autodiff to pass (")
    assert report.score == 4.0


def test_harness_results_cannot_be_blocked_or_replaced_in_advance(graded) -> None:
    result = graded("block_harness_writes")
    report = result.report
    # The script check fails on its own; the right functions earn it.
    assert failing(report) == set()
    assert "(on its own: hw1.py leaves no global `w1` " in feedback(report, "script_loss")
    out = result.stdout
    assert "BLOCKED" not in out and "FORGED" not in out.replace("CANNOT FORGE", "")
    assert out.count("CANNOT BLOCK /output/") == 2 and out.count("CANNOT FORGE") == 2
    assert report.score == FULL
