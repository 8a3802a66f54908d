"""One submission, end to end: expected values, sandbox run, checks, report.

The only module that sees every stage; each stage stays ignorant of the
others (checks never see files, the sandbox never sees scores).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import autograder
from autograder.checks import COMPARATORS, Observed
from autograder.checks.rules import RunFacts
from autograder.diagnosis import Diagnosis, KnownMistake, diagnose_all
from autograder.expected import library_version, mutant_outputs, reference_output
from autograder.outputs import HarnessOutput, ProbeOutcome
from autograder.probing.context import summarise_failure
from autograder.report import (
    AssignmentInfo,
    CheckResult,
    CheckStatus,
    ExecutionInfo,
    GraderInfo,
    Report,
    SubmissionInfo,
)
from autograder.runner import Run, run_harness
from autograder.sandbox import Sandbox, SandboxResult
from autograder.seeds import SeedChoice
from autograder.spec import Assignment, Check, Limits
from autograder.submission import Submission

FEEDBACK_CAP = 4000
"""Characters of feedback a check keeps (and of each note): a report stays small."""


def cap_text(text: str, cap: int = FEEDBACK_CAP) -> str:
    return text if len(text) <= cap else text[: cap - 1] + "…"


def grader_info() -> GraderInfo:
    return GraderInfo(
        autograde=autograder.__version__,
        python=platform.python_version(),
        numpy=library_version("numpy") or "unknown",
        torch=library_version("torch"),
    )


def lookup(values: dict[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = values
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _exit_status(result: SandboxResult) -> str:
    if result.timed_out:
        return "timed out"
    if result.signal:
        return f"killed by {result.signal}"
    return f"exit code {result.exit_code}"


def _not_run_reason(run: Run) -> str:
    if run.sandbox.limits_exceeded:
        return f"not run: the submission {' and '.join(run.sandbox.limits_exceeded)}"
    if not run.output.harness_ran:
        return (
            "not run: the submission's process ended before grading could start "
            f"({_exit_status(run.sandbox)})"
        )
    return f"not run: the submission's process ended early ({_exit_status(run.sandbox)})"


def _probe_failure(
    outcome: ProbeOutcome, run: Run | None, limits: Limits
) -> tuple[CheckStatus, str]:
    exceeded = run.sandbox.limits_exceeded if run is not None else []
    if outcome.status == "timeout":
        if outcome.limit is not None and outcome.limit < limits.probe_seconds - 0.05:
            return "timeout", (
                f"took longer than {outcome.limit:.2g} s and was stopped: that was all the time "
                f"left for it within the {limits.wall_seconds:g} s limit for the whole run, "
                "after earlier checks ran long"
            )
        return "timeout", f"took longer than {limits.probe_seconds:g} s and was stopped"
    if outcome.status == "no_time":
        return "timeout", (
            f"not run: the script and earlier checks used up the {limits.wall_seconds:g} s limit "
            "for the whole run"
        )
    if outcome.status == "missing" and run is not None:
        return ("timeout" if run.sandbox.timed_out else "error"), _not_run_reason(run)
    if outcome.status == "crashed":
        reason = outcome.message
        if exceeded:
            reason += f"; the submission {' and '.join(exceeded)}"
        return "error", reason
    return "error", outcome.message or outcome.status


def run_facts(source: str, output: HarnessOutput, forbidden: list[str], enforced: bool) -> RunFacts:
    attempts = list(output.script.forbidden_imports)
    for outcome in output.probes.values():
        attempts += outcome.forbidden_imports
    return RunFacts(source=source, forbidden=tuple(forbidden), enforced=enforced, attempts=attempts)


Decision = tuple[CheckStatus, str]


@dataclass(frozen=True)
class Evidence:
    """Everything a check may be decided from, all of it on the trusted side.

    `run` is the sandbox's account, for saying why a probe did not finish; a
    mutant's evidence has none.
    """

    student: HarnessOutput
    reference: HarnessOutput
    run: Run | None
    limits: Limits
    facts: RunFacts


def observe(check: Check, evidence: Evidence) -> Observed | Decision:
    """What the check compares (its actual and expected inputs), or why there is none."""
    comparator = COMPARATORS[check.kind]
    student, reference, facts = evidence.student, evidence.reference, evidence.facts
    actual: Any = facts
    probe = getattr(check, "probe", None)
    outcome = student.probes[probe] if probe is not None else None
    if comparator.actual == "probe":
        assert outcome is not None
        if outcome.status != "ok":
            return _probe_failure(outcome, evidence.run, evidence.limits)
        found, actual = lookup(outcome.values, check.value)  # type: ignore[union-attr]
        if not found:
            return "error", f"the probe produced no value `{check.value}`"  # type: ignore[union-attr]
    expected: Any = None
    if comparator.expected == "reference":
        _, expected = lookup(reference.probes[probe].values, check.value)  # type: ignore[index, union-attr]
    elif comparator.expected == "own":
        assert outcome is not None
        found, expected = lookup(outcome.values, check.numeric)  # type: ignore[union-attr]
        if not found:
            return "error", f"the probe produced no value `{check.numeric}`"  # type: ignore[union-attr]
    elif comparator.expected == "facts":
        expected = facts
    return Observed(actual, expected)


def decide(check: Check, evidence: Evidence) -> tuple[Decision, Observed | None]:
    """One check's status and feedback, from the table, with what it observed; never raises."""
    try:
        observed = observe(check, evidence)
        if not isinstance(observed, Observed):
            return observed, None
        verdict = COMPARATORS[check.kind].decide(check, observed.actual, observed.expected)
    except Exception as exc:  # an unexpected value is this check's error, not a crash
        return ("error", f"the grader could not judge what came back ({type(exc).__name__})"), None
    return ("passed" if verdict.passed else "failed", verdict.feedback), observed


def known_mistakes(
    assignment: Assignment, seed: int, reference: HarnessOutput, cache_dir: Path | None
) -> list[KnownMistake]:
    """The mutants as the checks see them, on the same hidden inputs as the student."""
    spec = assignment.spec
    known = []
    for mutant, output in mutant_outputs(assignment, seed, cache_dir).items():
        facts = run_facts(
            mutant.path.read_text(encoding="utf-8"), output, spec.forbidden_imports, True
        )
        evidence = Evidence(output, reference, None, spec.limits, facts)
        observed, failed = {}, set()
        for check in spec.checks:
            (status, _), seen = decide(check, evidence)
            if seen is not None:
                observed[check.id] = seen
            if status != "passed":
                failed.add(check.id)
        known.append(KnownMistake(mutant, observed, frozenset(failed)))
    return known


def _with_diagnoses(
    decisions: dict[str, Decision], diagnoses: dict[str, Diagnosis]
) -> dict[str, Decision]:
    return {
        check_id: (
            (status, f"{feedback}; {diagnoses[check_id].text}")
            if check_id in diagnoses
            else (status, feedback)
        )
        for check_id, (status, feedback) in decisions.items()
    }


def _counted(assignment: Assignment, decisions: dict[str, Decision]) -> dict[str, Decision]:
    """Each check's own decision, then `requires` (a check that counts only with
    others), then `earned_by` (a check whose points others earn too), in that order:
    only checks that themselves count can earn another's points."""
    counted = dict(decisions)
    for check in assignment.spec.checks:
        status, feedback = decisions[check.id]
        blocked = [dep for dep in check.requires if decisions[dep][0] != "passed"]
        if status == "passed" and blocked:
            counted[check.id] = (
                "failed",
                (f"not counted: requires {', '.join(blocked)} to pass ({feedback})"),
            )
    earned = dict(counted)
    for check in assignment.spec.checks:
        status, feedback = counted[check.id]
        if (
            status != "passed"
            and check.earned_by
            and all(counted[dep][0] == "passed" for dep in check.earned_by)
        ):
            earned[check.id] = (
                "passed",
                (
                    f"earned through {', '.join(check.earned_by)}, which test the same behaviour "
                    f"(on its own: {feedback})"
                ),
            )
    return earned


def _results(
    assignment: Assignment, decisions: dict[str, Decision], diagnoses: dict[str, Diagnosis]
) -> list[CheckResult]:
    """A diagnosed check shows its mistake and that mistake's hint; an undiagnosed
    one the check's general hint; one that is right but does not count, none."""
    counted = _counted(assignment, _with_diagnoses(decisions, diagnoses))
    results = []
    for check in assignment.spec.checks:
        status, feedback = counted[check.id]
        passed = status == "passed"
        diagnosis = diagnoses.get(check.id)
        hint = check.hint if diagnosis is None else diagnosis.hint
        if decisions[check.id][0] == "passed":  # right on its own; what to fix is elsewhere
            hint = None
        results.append(
            CheckResult(
                id=check.id,
                description=check.description,
                score=check.points if passed else 0.0,
                max_score=check.points,
                status=status,
                feedback=cap_text(feedback),
                hint=None if passed else hint,
                mistakes=[] if diagnosis is None else [m.description for m in diagnosis.mistakes],
                visibility=check.visibility,
            )
        )
    return results


def _notes(assignment: Assignment, output: HarnessOutput) -> list[str]:
    notes = []
    entry = assignment.spec.entry
    script = output.script
    if script.status in ("error", "timeout", "exited") and script.message:
        notes.append(
            f"Running {entry} as a script did not finish: {summarise_failure(script.message)}. "
            "The checks ran on what it had defined by then."
        )
    if output.script.missing_contract:
        contract = assignment.spec.contract
        names = ", ".join(contract.get(n, n) for n in output.script.missing_contract)
        notes.append(
            f"{entry} does not define {names}; the checks that call "
            f"{'it' if len(output.script.missing_contract) == 1 else 'them'} scored 0."
        )
    return notes


def _execution(run: Run, limits: Limits, output: HarnessOutput) -> ExecutionInfo:
    result = run.sandbox
    return ExecutionInfo(
        sandbox=result.backend,
        isolated=result.isolated,
        limits={
            "wall_seconds": limits.wall_seconds,
            "cpu_seconds": limits.cpu_seconds,
            "memory_mb": limits.memory_mb,
            "script_seconds": limits.script_seconds,
            "probe_seconds": limits.probe_seconds,
            "max_processes": limits.max_processes,
            "output_mb": limits.output_mb,
        },
        wall_seconds=result.wall_seconds,
        peak_memory_bytes=result.peak_memory_bytes,
        exit_status=_exit_status(result),
        script_status=output.script.status,
        script_message=output.script.message,
        limits_exceeded=result.limits_exceeded,
        stdout=result.stdout,
        stderr=result.stderr,
        stdout_truncated=result.stdout_truncated,
        stderr_truncated=result.stderr_truncated,
    )


def base_report(
    assignment: Assignment, path: Path, sha256: str | None, seed: SeedChoice
) -> dict[str, Any]:
    return {
        "assignment": AssignmentInfo(id=assignment.spec.id, title=assignment.spec.title),
        "submission": SubmissionInfo(path=str(path), sha256=sha256),
        "seed": seed.shown,
        "seed_source": seed.source,
        "max_score": assignment.spec.max_score,
        "grader": grader_info(),
        "graded_at": datetime.now(UTC),
    }


def error_report(
    assignment: Assignment, path: Path, sha256: str | None, seed: SeedChoice, message: str
) -> Report:
    """A report for a submission that could not be graded at all."""
    return Report(
        status="error", message=message, score=0.0, **base_report(assignment, path, sha256, seed)
    )


def _syntax_error(source: str, entry: str) -> str | None:
    try:
        compile(source, entry, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"{entry} has a syntax error at line {exc.lineno}: {exc.msg}"
    except ValueError as exc:  # null bytes
        return f"{entry} cannot be compiled: {exc}"
    except (RecursionError, MemoryError):
        return f"{entry} cannot be compiled: an expression is nested or chained too deeply"
    return None


def _relabelled(report: Report, submission: Submission, entry: str) -> Report:
    """For a notebook, messages speak of its cells, not of the script made from it."""
    if not submission.is_notebook:
        return report

    def fix(text: str) -> str:
        return submission.relabel(text, entry)

    execution = report.execution
    if execution is not None:
        execution = execution.model_copy(update={"script_message": fix(execution.script_message)})
    return report.model_copy(
        update={
            "message": fix(report.message),
            "notes": [fix(note) for note in report.notes],
            "checks": [c.model_copy(update={"feedback": fix(c.feedback)}) for c in report.checks],
            "execution": execution,
        }
    )


def grade_submission(
    *,
    assignment: Assignment,
    submission: Submission,
    sandbox: Sandbox,
    seed: SeedChoice,
    limits: Limits,
    cache_dir: Path | None = None,
) -> Report:
    spec = assignment.spec
    reference = reference_output(assignment, seed.seed, cache_dir)
    header = base_report(assignment, submission.path, submission.sha256, seed)
    unrunnable = (
        f"{submission.path.name} is empty: nothing to grade"
        if submission.is_empty
        else _syntax_error(submission.source, spec.entry)
    )
    if unrunnable is not None:
        results = [
            CheckResult(
                id=c.id,
                description=c.description,
                score=0.0,
                max_score=c.points,
                status="error",
                feedback=unrunnable,
                hint=None,
                visibility=c.visibility,
            )
            for c in spec.checks
        ]
        report = Report(status="graded", message=unrunnable, score=0.0, checks=results, **header)
        return _relabelled(report, submission, spec.entry)
    run = run_harness(
        sandbox=sandbox,
        assignment=assignment,
        source=submission.source,
        seed=seed.seed,
        limits=limits,
        notebook=submission.is_notebook,
    )
    facts = run_facts(submission.source, run.output, spec.forbidden_imports, run.sandbox.isolated)
    evidence = Evidence(run.output, reference, run, limits, facts)
    decided = {check.id: decide(check, evidence) for check in spec.checks}
    decisions = {check_id: decision for check_id, (decision, _) in decided.items()}
    failed = {
        check_id: observed
        for check_id, ((status, _), observed) in decided.items()
        if status == "failed" and observed is not None
    }
    diagnoses = diagnose_all(
        spec.checks,
        failed,
        lambda: known_mistakes(assignment, seed.seed, reference, cache_dir),
    )
    results = _results(assignment, decisions, diagnoses)
    notes = _notes(assignment, run.output) + [f"sandbox: {w}" for w in run.sandbox.warnings]
    notes = [cap_text(note) for note in notes]
    report = Report(
        status="graded",
        score=round(sum(r.score for r in results), 6),
        checks=results,
        notes=notes,
        execution=_execution(run, limits, run.output),
        **header,
    )
    return _relabelled(report, submission, spec.entry)
