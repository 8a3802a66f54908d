"""The driver against the fake backend: time-outs, crashes, missing functions
and budgets in milliseconds, through the real protocol and the real hw1 probes.

The submission's globals are Python functions in this process (the
reference's, or broken copies), served by `FakeSandbox` over real sockets.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.assignments import find_assignment
from autograder.grading import grade_submission
from autograder.report import Report
from autograder.sandbox.fake import Crash, FakeSandbox
from autograder.seeds import SeedChoice
from autograder.submission import Submission
from tests.conftest import ASSIGNMENTS, REFERENCE, feedback, statuses

HW1 = find_assignment("hw1", ASSIGNMENTS)
SOURCE = (REFERENCE / "hw1.py").read_text()


def reference_namespace() -> dict:
    namespace: dict = {"__name__": "__main__"}
    exec(compile(SOURCE, "hw1.py", "exec"), namespace)
    return {k: v for k, v in namespace.items() if not k.startswith("__")}


def fake_grade(sandbox: FakeSandbox, cache_dir: Path, **limits: float) -> Report:
    submission = Submission(Path("hw1.py"), hashlib.sha256(SOURCE.encode()).hexdigest(), SOURCE)
    return grade_submission(
        assignment=HW1,
        submission=submission,
        sandbox=sandbox,
        seed=SeedChoice(HW1.spec.seed, "public"),
        limits=HW1.spec.limits.model_copy(update=limits),
        cache_dir=cache_dir,
    )


def test_the_reference_served_by_the_fake_scores_full_marks(cache_dir):
    report = fake_grade(FakeSandbox(reference_namespace()), cache_dir)
    assert report.score == report.max_score == 17
    assert report.execution is not None and report.execution.sandbox == "fake"


def test_a_hanging_function_costs_only_its_checks_and_takes_its_limit(cache_dir):
    namespace = reference_namespace()
    namespace["backward"] = lambda *args: time.sleep(30)
    started = time.monotonic()
    report = fake_grade(FakeSandbox(namespace), cache_dir, probe_seconds=0.3)
    assert time.monotonic() - started < 20
    status = statuses(report)
    hung = {"grad_w1", "grad_w2", "gradcheck_w1", "gradcheck_w2"}
    assert {k for k in hung if status[k] == "timeout"} == hung
    assert feedback(report, "grad_w1") == "took longer than 0.3 s and was stopped"
    assert status["forward"] == status["train_w1"] == "passed"


def test_an_abandoned_busy_session_stops_computing(cache_dir):
    """A fork the grader gave up on is killed; the fake's thread must stop too,
    or it keeps computing beside whatever runs next in this process."""
    ticks = []

    def busy(*args):
        while True:
            ticks.append(1)

    namespace = reference_namespace()
    namespace["forward"] = busy
    report = fake_grade(FakeSandbox(namespace), cache_dir, probe_seconds=0.3)
    assert statuses(report)["forward"] == "timeout"
    time.sleep(0.2)
    settled = len(ticks)
    time.sleep(0.3)
    assert len(ticks) == settled


def test_a_crash_names_its_signal_and_the_next_probe_starts_fresh(cache_dir):
    namespace = reference_namespace()

    def crashing_forward(*args):
        raise Crash("SIGSEGV")

    namespace["forward"] = crashing_forward
    report = fake_grade(FakeSandbox(namespace), cache_dir)
    assert feedback(report, "forward") == "the process running it was killed by SIGSEGV"
    assert statuses(report)["loss"] == "passed"


def test_a_missing_function_and_a_raise_are_the_students_messages(cache_dir):
    namespace = reference_namespace()
    del namespace["backward"]

    def bad_loss(y_pred, y):
        raise ValueError("shapes do not match")

    namespace["loss_fn"] = bad_loss
    report = fake_grade(FakeSandbox(namespace), cache_dir)
    assert feedback(report, "grad_w1") == (
        "hw1.py does not define backward(x, y, w1, w2) -> (grad_w1, grad_w2)"
    )
    assert feedback(report, "loss").startswith("ValueError: shapes do not match")
    assert any("does not define backward" in note for note in report.notes)


def test_slow_probes_leave_the_later_ones_their_reserve_then_say_no_time(cache_dir):
    namespace = reference_namespace()
    namespace["forward"] = lambda *args: time.sleep(30)
    namespace["backward"] = lambda *args: time.sleep(30)
    report = fake_grade(FakeSandbox(namespace), cache_dir, wall_seconds=3.2, probe_seconds=1.0)
    status = statuses(report)
    assert status["forward"] == "timeout"
    messages = {feedback(report, c) for c, s in status.items() if s == "timeout"}
    assert (
        "not run: the script and earlier checks used up the 3.2 s limit for the whole run"
        in messages
    )


def test_a_script_that_never_says_hello_leaves_every_probe_unrun():
    from autograder.probes import load_probes
    from autograder.probing.client import Connection
    from autograder.probing.driver import STARTUP_SECONDS, RunPlan, drive
    from autograder.sandbox.base import SandboxJob

    plan = RunPlan(
        probes=load_probes(HW1),
        names=HW1.spec.probe_names,
        seed=1,
        entry="hw1.py",
        contract=HW1.spec.contract,
        wall_seconds=60,
        script_seconds=1,
        probe_seconds=1,
    )
    outputs = []
    # As if the script started long ago: its hello is due in 0.2 s and never comes.
    started = time.monotonic() - 1 - STARTUP_SECONDS + 0.2
    sandbox = FakeSandbox(reference_namespace(), hello_after=5.0)
    job = SandboxJob(Path("hw1.py"), Path("."), {}, None)  # type: ignore[arg-type]
    sandbox.run(job, lambda sock: outputs.append(drive(Connection(sock), plan, started)))
    assert outputs[0].harness_ran is False
    assert {o.status for o in outputs[0].probes.values()} == {"missing"}


def test_a_script_that_stopped_early_is_a_note_and_its_functions_still_count(cache_dir):
    script = {"status": "timeout", "message": "the script ran longer than 60 s and was stopped"}
    report = fake_grade(FakeSandbox(reference_namespace(), script=script), cache_dir)
    assert report.score == 17
    assert report.notes[0] == (
        "Running hw1.py as a script did not finish: the script ran longer than 60 s and was "
        "stopped. The checks ran on what it had defined by then."
    )


def test_garbage_from_the_fake_is_a_probe_error(cache_dir):
    namespace = reference_namespace()
    namespace["forward"] = lambda *args: np.array(["a", "b"])
    namespace["train"] = lambda *args, **kw: [0] * 2_000_000
    report = fake_grade(FakeSandbox(namespace), cache_dir)
    assert feedback(report, "forward") == (
        "the submission returned an array of dtype <U1 (only numeric arrays cross), not data"
    )
    assert "more than the grader accepts" in feedback(report, "train_w1")


@pytest.mark.parametrize("planted", [{"module": "torch", "line": 3}])
def test_import_attempts_the_process_reports_cost_points(cache_dir, planted):
    sandbox = FakeSandbox(reference_namespace(), facts=lambda: {"forbidden_imports": [planted]})
    report = fake_grade(sandbox, cache_dir)
    assert statuses(report)["no_autodiff"] == "failed"
    assert "torch (line 3)" in feedback(report, "no_autodiff")


def test_only_allow_listed_library_objects_are_built_inside():
    from autograder.harness.protocol import Ref
    from autograder.probing.client import Connection, ProbeFailure, Remote
    from autograder.sandbox.base import SandboxJob

    messages = []

    def driver(sock) -> None:
        connection = Connection(sock)
        connection.hello(time.monotonic() + 5)
        session = connection.open_session("p", time.monotonic() + 5)
        try:
            Remote(session, Ref("lib", "os.system"))("echo pwned")
        except ProbeFailure as exc:
            messages.append(str(exc))
        messages.append(Remote(session, Ref("lib", "builtins.dict"))(a=1))
        connection.end_session(session)

    job = SandboxJob(Path("hw1.py"), Path("."), {}, None)  # type: ignore[arg-type]
    FakeSandbox({}).run(job, driver)
    assert messages == ["os.system is not a library object the server builds", {"a": 1}]
