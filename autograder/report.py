"""The score report: the one data model every view is derived from.

Written as JSON with a schema version; the terminal table, CI summaries and
exports only read it. It knows no output format itself.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

CheckStatus = Literal["passed", "failed", "error", "timeout"]


class ReportModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CheckResult(ReportModel):
    id: str = Field(description="The check's id from the assignment spec.")
    description: str = Field(description="What the check verifies.")
    score: float = Field(description="Points earned.")
    max_score: float = Field(description="Points available.")
    status: CheckStatus = Field(
        description="passed; failed (wrong result); error (raised or missing); timeout."
    )
    feedback: str = Field("", description="What was expected, what came back, and where.")
    hint: str | None = Field(None, description="The instructor's advice, on failure.")
    mistakes: list[str] = Field(
        default_factory=list,
        description="Known mistakes (the instructor's mutants) whose answers this failure "
        "matches, by their one-line descriptions.",
    )
    visibility: Literal["visible", "hidden"] = Field(description="Whether students see feedback.")


class SubmissionInfo(ReportModel):
    path: str = Field(description="The submitted file as given on the command line.")
    sha256: str | None = Field(description="Hash of the file's bytes; null if unreadable.")


class ExecutionInfo(ReportModel):
    sandbox: str = Field(description="Backend that ran the submission.")
    isolated: bool = Field(description="False for the plain-process backend.")
    limits: dict[str, float] = Field(description="Limits that applied, by name.")
    wall_seconds: float = Field(description="Wall time of the sandboxed run.")
    peak_memory_bytes: int | None = Field(description="Peak resident memory, if known.")
    exit_status: str = Field(description="How the sandboxed process ended.")
    script_status: str = Field(
        description="completed, exited, error, timeout or not_run: the script phase."
    )
    script_message: str = Field("", description="Why the script phase did not complete.")
    limits_exceeded: list[str] = Field(default_factory=list, description="Limits hit, in words.")
    stdout: str = Field("", description="Tail of the submission's standard output.")
    stderr: str = Field("", description="Tail of the submission's standard error.")
    stdout_truncated: bool = Field(False, description="Earlier output was dropped.")
    stderr_truncated: bool = Field(False, description="Earlier output was dropped.")


class GraderInfo(ReportModel):
    autograde: str = Field(description="autograde version.")
    python: str = Field(description="Python version running the submission.")
    numpy: str = Field(description="NumPy version.")
    torch: str | None = Field(description="PyTorch version, if installed.")


class AssignmentInfo(ReportModel):
    id: str = Field(description="Assignment id.")
    title: str = Field(description="Assignment title.")


HIDDEN_FEEDBACK = "hidden check: details are not shown"


class Report(ReportModel):
    schema_version: str = Field(SCHEMA_VERSION, description="Version of this schema.")
    status: Literal["graded", "error"] = Field(
        description="graded: the checks ran; error: grading could not happen (see message)."
    )
    message: str = Field("", description="Why grading failed, or notes for the student.")
    score: float = Field(description="Sum of the checks' scores.")
    max_score: float = Field(description="Sum of the checks' points.")
    assignment: AssignmentInfo = Field(description="What was graded against.")
    submission: SubmissionInfo = Field(description="What was graded.")
    seed: int | None = Field(
        description="Seed of the hidden inputs; null when it derives from the course secret."
    )
    seed_source: Literal["secret", "pinned", "public"] = Field(
        "public",
        description="secret: per submission, from the course secret; pinned: --seed; "
        "public: the assignment's published seed.",
    )
    notes: list[str] = Field(default_factory=list, description="Advice that spans checks.")
    checks: list[CheckResult] = Field(default_factory=list, description="One entry per check.")
    execution: ExecutionInfo | None = Field(None, description="How the run went.")
    grader: GraderInfo = Field(description="Versions that produced this report.")
    graded_at: datetime = Field(description="When the report was made (UTC).")

    def without_hidden_details(self) -> Report:
        """The report a student may see: a hidden check keeps its score and status,
        not the feedback and hint that would describe the hidden test."""
        checks = [
            check.model_copy(update={"feedback": HIDDEN_FEEDBACK, "hint": None, "mistakes": []})
            if check.visibility == "hidden"
            else check
            for check in self.checks
        ]
        return self.model_copy(update={"checks": checks})

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)


def json_schema() -> dict:
    return Report.model_json_schema()
