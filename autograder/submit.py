"""`autograde submit`: grade one file and write its report."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from autograder.assignments import assignments_root, available, find_assignment
from autograder.errors import SubmissionError, UsageError
from autograder.grading import error_report, grade_submission
from autograder.report import Report
from autograder.sandbox import get_sandbox
from autograder.seeds import choose_seed, read_secret
from autograder.spec import Limits
from autograder.submission import load_submission, read_bytes


@dataclass
class Outcome:
    report: Report
    report_path: Path
    error: str | None = None


def infer_assignment(path: Path, root: Path) -> str:
    """hw1.py, hw1.ipynb -> hw1; also HW1.py, hw1_alice.py, `hw1 (1).py` when hw1
    is the only assignment the name starts with."""
    stem = path.stem
    known = available(root)
    if stem in known:
        return stem
    matches = [a for a in known if re.match(rf"{re.escape(a)}(?![A-Za-z0-9])", stem, re.IGNORECASE)]
    if len(matches) == 1:
        return matches[0]
    return stem


def apply_overrides(limits: Limits, overrides: dict[str, float | None]) -> Limits:
    given = {key: value for key, value in overrides.items() if value is not None}
    if not given:
        return limits
    try:
        return Limits.model_validate({**limits.model_dump(), **given})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0])
        raise UsageError(
            f"--{field.replace('_', '-')} {given.get(field)}: {error['msg'].lower()}"
        ) from None


def submit(
    *,
    file: Path,
    assignment_id: str | None = None,
    assignments_dir: Path | None = None,
    report_path: Path = Path("autograde-report.json"),
    seed: int | None = None,
    sandbox: str = "auto",
    limit_overrides: dict[str, float | None] | None = None,
    cache_dir: Path | None = None,
    show_hidden: bool = False,
    secret_file: Path | None = None,
) -> Outcome:
    root = assignments_root(assignments_dir)
    raw = read_bytes(file)  # a missing file is a usage error before anything else
    assignment = find_assignment(assignment_id or infer_assignment(file, root), root)
    digest = hashlib.sha256(raw).hexdigest()
    choice = choose_seed(
        public_seed=assignment.spec.seed,
        pinned=seed,
        secret=read_secret(secret_file),
        assignment_id=assignment.spec.id,
        sha256=digest,
    )
    limits = apply_overrides(assignment.spec.limits, limit_overrides or {})
    backend = get_sandbox(sandbox)
    try:
        submission = load_submission(file, raw)
    except SubmissionError as exc:
        report = error_report(assignment, file, digest, choice, str(exc))
        report.write(report_path)
        return Outcome(report=report, report_path=report_path, error=str(exc))
    report = grade_submission(
        assignment=assignment,
        submission=submission,
        sandbox=backend,
        seed=choice,
        limits=limits,
        cache_dir=cache_dir,
    )
    if not show_hidden:
        report = report.without_hidden_details()
    report.write(report_path)
    return Outcome(report=report, report_path=report_path)
