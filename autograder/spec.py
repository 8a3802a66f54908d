"""The assignment spec: what an instructor writes in `assignments/<id>/assignment.toml`.

Everything the grader knows about an assignment comes through these models, so
a typo in a spec is caught once, here, with the file and field named, instead
of surfacing later as a wrong score.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from autograder.errors import SpecError

SPEC_FILENAME = "assignment.toml"
PROBES_FILENAME = "probes.py"

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")]


class Model(BaseModel):
    """Strict base: an unknown key in a spec is a typo, not something to ignore."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(Model):
    wall_seconds: float = Field(300.0, gt=0, description="Wall-clock limit for the whole run.")
    cpu_seconds: float = Field(300.0, gt=0, description="CPU-time limit (RLIMIT_CPU).")
    memory_mb: int = Field(4096, ge=256, description="Memory limit for the submission's processes.")
    script_seconds: float = Field(
        120.0, gt=0, description="Time the submission may spend running as a script."
    )
    probe_seconds: float = Field(30.0, gt=0, description="Time one probe may take.")
    max_processes: int = Field(
        256, ge=8, description="Process and thread limit (torch threads count)."
    )
    output_mb: int = Field(64, ge=1, description="Cap on files the submission writes.")
    log_kb: int = Field(64, ge=1, description="How much of stdout and stderr the report keeps.")


class CheckBase(Model):
    id: Identifier = Field(description="Stable name of the check, unique in the assignment.")
    description: str = Field(description="What the check verifies, shown to students.")
    points: float = Field(ge=0, description="Points awarded when the check passes.")
    hint: str | None = Field(None, description="Advice shown when the check fails.")
    visibility: Literal["visible", "hidden"] = Field(
        "visible", description="Hidden checks show their score but not their feedback."
    )
    requires: list[str] = Field(
        default_factory=list,
        description="Ids of checks that must pass for this one to count.",
    )
    earned_by: list[str] = Field(
        default_factory=list,
        description="Ids of checks that, when all pass, earn this one's points too: a script "
        "check is earned by the function checks that test the same behaviour, so a correct "
        "contract scores full marks with or without a top-level script.",
    )


class ProbeCheck(CheckBase):
    probe: Identifier = Field(description="Name of the probe (in probes.py) producing the value.")
    value: str = Field(description="Key of the probe's output to compare; dots descend into dicts.")


class AllcloseCheck(ProbeCheck):
    kind: Literal["allclose"]
    rtol: float = Field(1e-5, ge=0, description="numpy.allclose relative tolerance.")
    atol: float = Field(1e-8, ge=0, description="numpy.allclose absolute tolerance.")
    max_rel_error: float | None = Field(
        None,
        gt=0,
        description="If set, compare |a-b|/max(|a|,|b|,eps) against this instead of rtol/atol.",
    )
    check_dtype: bool = Field(False, description="Also require the reference's dtype.")


class EqualCheck(ProbeCheck):
    kind: Literal["equal"]


class WithinCheck(ProbeCheck):
    kind: Literal["within"]
    target: float = Field(description="The value to reach, independent of the reference.")
    tol: float = Field(gt=0, description="Allowed distance from target.")


class ThresholdCheck(ProbeCheck):
    kind: Literal["threshold"]
    below: float | None = Field(None, description="The value must be strictly below this.")
    above: float | None = Field(None, description="The value must be strictly above this.")

    @model_validator(mode="after")
    def _one_bound(self) -> ThresholdCheck:
        if self.below is None and self.above is None:
            raise ValueError("a threshold check needs `below` or `above`")
        return self


class GradcheckCheck(ProbeCheck):
    kind: Literal["gradcheck"]
    numeric: str = Field(description="Key of the central finite-difference estimate.")
    max_rel_error: float = Field(1e-6, gt=0, description="Largest allowed relative error.")


class SequenceCheck(ProbeCheck):
    kind: Literal["sequence"]
    rtol: float = Field(1e-5, ge=0, description="Relative tolerance per element.")
    atol: float = Field(1e-8, ge=0, description="Absolute tolerance per element.")


class WithinReferenceCheck(ProbeCheck):
    kind: Literal["within_reference"]
    tol: float = Field(
        ge=0, description="Largest allowed |actual - reference|, in the value's own units."
    )


SpecConstant = bool | int | float | str


class ExpectCheck(ProbeCheck):
    kind: Literal["expect"]
    equals: SpecConstant | list[SpecConstant] = Field(
        description="The constant the value must equal, e.g. false for a requires_grad flag "
        'or ["final_bias"] for the parameters a training run may change.'
    )
    tol: float = Field(
        0.0, ge=0, description="For numbers: allowed absolute distance from `equals`, per element."
    )


class ParametersCheck(ProbeCheck):
    kind: Literal["parameters"]
    match: Literal["shapes", "count"] = Field(
        "shapes",
        description="shapes: every parameter name with the reference's shape; count: only "
        "the number of parameter tensors and of values.",
    )


class TypeCheck(ProbeCheck):
    kind: Literal["type"]
    expected: Literal["float", "int", "number"] = Field(
        description="The plain Python type the contract promises."
    )
    label: str = Field(
        description="What returned the value, as the student wrote it, e.g. `train_step(...)`."
    )


class ForbiddenImportsCheck(CheckBase):
    kind: Literal["forbidden_imports"]


class AutodiffCheck(ProbeCheck):
    kind: Literal["autodiff"]
    function: Identifier = Field(description="The contract function whose source is read.")
    expect: Literal["used", "unused"] = Field(
        description="used: it must compute gradients with autograd; unused: by hand."
    )


Check = Annotated[
    AllcloseCheck
    | EqualCheck
    | WithinCheck
    | ThresholdCheck
    | GradcheckCheck
    | SequenceCheck
    | WithinReferenceCheck
    | ExpectCheck
    | ParametersCheck
    | TypeCheck
    | ForbiddenImportsCheck
    | AutodiffCheck,
    Field(discriminator="kind"),
]


class AssignmentSpec(Model):
    id: Identifier = Field(description="Assignment id; also the default submission stem.")
    title: str = Field(description="Human title.")
    entry: str = Field(description="The file name students hand in, e.g. hw1.py.")
    seed: int = Field(0, description="Default seed for hidden inputs.")
    limits: Limits = Field(Limits(), description="Resource limits.")
    forbidden_imports: list[str] = Field(
        default_factory=list, description="Top-level modules the submission may not import."
    )
    contract: dict[str, str] = Field(
        default_factory=dict,
        description="Contract names mapped to the signature shown when one is missing.",
    )
    checks: list[Check] = Field(min_length=1, description="The rubric.")

    @model_validator(mode="after")
    def _consistent(self) -> AssignmentSpec:
        seen: set[str] = set()
        for check in self.checks:
            if check.id in seen:
                raise ValueError(f"check id {check.id!r} appears twice")
            seen.add(check.id)
        for check in self.checks:
            unknown = [dep for dep in check.requires if dep not in seen]
            if unknown:
                raise ValueError(f"check {check.id!r} requires unknown check(s) {unknown}")
            unknown = [dep for dep in check.earned_by if dep not in seen or dep == check.id]
            if unknown:
                raise ValueError(f"check {check.id!r} is earned by unknown check(s) {unknown}")
        return self

    @property
    def max_score(self) -> float:
        return sum(check.points for check in self.checks)

    @property
    def probe_names(self) -> list[str]:
        names: list[str] = []
        for check in self.checks:
            probe = getattr(check, "probe", None)
            if probe is not None and probe not in names:
                names.append(probe)
        return names


class Assignment(Model):
    """A loaded assignment: its validated spec and where its files are."""

    spec: AssignmentSpec
    directory: Path
    reference: Path

    @property
    def probes(self) -> Path:
        return self.directory / PROBES_FILENAME

    @property
    def mutants(self) -> Path:
        """Known-wrong solutions: beside the reference, never in the assignment."""
        return self.reference.parent / "mutants" / self.spec.id


def _describe(error: ValidationError, path: Path) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"]) or "(top level)"
    more = len(error.errors()) - 1
    extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}: field `{location}`: {first['msg']}{extra}; fix the spec and try again"


def load_spec(path: Path) -> AssignmentSpec:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{path}: spec file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: not valid TOML ({exc}); fix the spec and try again") from None
    try:
        return AssignmentSpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_describe(exc, path)) from None


def load_assignment(directory: Path, reference_dir: Path | None = None) -> Assignment:
    """Load `directory/assignment.toml` and locate its probes and reference.

    The reference (and its mutants) live outside the assignment directory on
    purpose: students may see the assignment directory; the reference, the
    mutants and the probes never enter a sandbox.
    """
    spec = load_spec(directory / SPEC_FILENAME)
    if spec.id != directory.name:
        raise SpecError(
            f"{directory / SPEC_FILENAME}: field `id`: {spec.id!r} does not match the "
            f"directory name {directory.name!r}; rename one of them"
        )
    if not (directory / PROBES_FILENAME).is_file():
        raise SpecError(f"{directory / PROBES_FILENAME}: probes file not found")
    reference_dir = reference_dir or directory.parent.parent / "reference"
    return Assignment(spec=spec, directory=directory, reference=reference_dir / f"{spec.id}.py")
