"""`autograde validate ID`: prove an assignment's rubric right before students see it.

Four claims, each checked by grading real files exactly as students are graded:
the reference scores full marks; the starter runs without a grader error and
scores low; every known-wrong solution in `reference/mutants/<id>/` loses points
and is diagnosed by name on a check it fails (a mutant with full marks is a hole
in the rubric, one that no check names is feedback that cannot explain itself);
and every contract argument is varied by some probe (one that is not could be
ignored by a submission at no cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from autograder.assignments import assignments_root, available, find_assignment
from autograder.errors import SubmissionError, UsageError
from autograder.expected import reference_output
from autograder.grading import grade_submission
from autograder.mutants import load_mutants
from autograder.report import Report
from autograder.sandbox import get_sandbox
from autograder.seeds import SeedChoice
from autograder.spec import Assignment
from autograder.submission import load_submission
from autograder.variation import unvaried_arguments

STARTER_MAX_FRACTION = 0.5
"""A starter scoring more than this share of the points gives too much away."""

Role = Literal["reference", "starter", "mutant", "probes"]


@dataclass(frozen=True)
class Trial:
    assignment: str
    role: Role
    path: Path
    score: float
    max_score: float
    ok: bool
    verdict: str


def _grade(assignment: Assignment, path: Path, sandbox: str, cache_dir: Path | None) -> Report:
    return grade_submission(
        assignment=assignment,
        submission=load_submission(path),
        sandbox=get_sandbox(sandbox),
        seed=SeedChoice(assignment.spec.seed, "public"),
        limits=assignment.spec.limits,
        cache_dir=cache_dir,
    )


def _judge(role: Role, report: Report, mistake: str | None = None) -> tuple[bool, str]:
    full = report.score >= report.max_score
    if report.status != "graded":
        return False, f"not graded: {report.message}"
    failed = [c.id for c in report.checks if c.status != "passed"]
    if role == "reference":
        if full:
            return True, "full marks"
        return False, f"the reference loses points on {', '.join(failed)}"
    if role == "starter":
        share = report.score / report.max_score if report.max_score else 0.0
        if share > STARTER_MAX_FRACTION:
            return False, f"the starter already earns {share:.0%} of the points"
        return True, f"runs, scores {share:.0%}"
    if full:
        return False, "RUBRIC HOLE: this known-wrong solution scores full marks"
    caught = f"{', '.join(failed[:4])}{'…' if len(failed) > 4 else ''}"
    named = [c.id for c in report.checks if mistake in c.mistakes]
    if not named:
        return False, (
            f"UNDIAGNOSED: it fails {caught} but no check names its mistake; give a check "
            "whose failing value is this mutant's own (not a probe error)"
        )
    return True, f"caught by {caught}; named on {', '.join(named[:3])}"


def files_to_try(assignment: Assignment) -> list[tuple[Role, Path, str | None]]:
    """Each file with its role and, for a mutant, the mistake it must be named by."""
    files: list[tuple[Role, Path, str | None]] = [("reference", assignment.reference, None)]
    starters = sorted(assignment.directory.glob("starter.*"))
    if not starters:
        raise UsageError(f"{assignment.directory}: no starter.py; ship a starter file")
    files.append(("starter", starters[0], None))
    files += [("mutant", m.path, m.description) for m in load_mutants(assignment)]
    return files


def arguments_trial(assignment: Assignment, cache_dir: Path | None) -> Trial:
    """Every contract argument takes at least two values across the probes' calls."""
    reference = reference_output(assignment, assignment.spec.seed, cache_dir)
    unvaried = unvaried_arguments(assignment.reference, list(assignment.spec.contract), reference)
    max_score = assignment.spec.max_score
    if unvaried:
        verdict = (
            f"UNVARIED: no probe varies {', '.join(unvaried)}; a submission that ignores "
            f"{'it' if len(unvaried) == 1 else 'them'} loses nothing"
        )
        return Trial(
            assignment.spec.id, "probes", assignment.probes, 0.0, max_score, False, verdict
        )
    return Trial(
        assignment.spec.id,
        "probes",
        assignment.probes,
        max_score,
        max_score,
        True,
        "every contract argument is varied by some probe",
    )


def validate(
    *,
    assignment_ids: list[str],
    assignments_dir: Path | None = None,
    sandbox: str = "auto",
    cache_dir: Path | None = None,
) -> list[Trial]:
    root = assignments_root(assignments_dir)
    trials = []
    for assignment_id in assignment_ids or available(root):
        assignment = find_assignment(assignment_id, root)
        for role, path, mistake in files_to_try(assignment):
            try:
                report = _grade(assignment, path, sandbox, cache_dir)
            except SubmissionError as exc:
                trials.append(
                    Trial(
                        assignment_id, role, path, 0.0, assignment.spec.max_score, False, str(exc)
                    )
                )
                continue
            ok, verdict = _judge(role, report, mistake)
            trials.append(
                Trial(assignment_id, role, path, report.score, report.max_score, ok, verdict)
            )
        trials.append(arguments_trial(assignment, cache_dir))
    return trials
