"""Rule checks: what the submission may not do (or must do), whatever its values.

Decided on the trusted side from two kinds of evidence: the grader's own
reading of the submitted source (`autograder.static`), which can earn or
cost points, and what the submission's process reported at run time
(import attempts, autodiff passes), which can only cost them: a process
that lies about itself can hide nothing the source shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autograder.checks.alike import Observed
from autograder.checks.base import Verdict
from autograder.spec import AutodiffCheck, ForbiddenImportsCheck
from autograder.static import Finding, autodiff_uses
from autograder.static import forbidden_imports as static_imports


@dataclass(frozen=True)
class RunFacts:
    """What the rule checks look at: the source, and what the run reported."""

    source: str
    forbidden: tuple[str, ...]
    enforced: bool
    """Whether the sandbox replaced the forbidden packages (every isolating backend)."""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    """Forbidden imports the submission's process reported trying."""


def _where(line: Any) -> str:
    return f" (line {line})" if isinstance(line, int) and line > 0 else ""


def _modules(facts: RunFacts) -> set[str]:
    """The forbidden top-level modules a run reached for, by any means."""
    found = {f.what.split(".")[0] for f in static_imports(facts.source, facts.forbidden)}
    return found | {str(a["module"]).split(".")[0] for a in facts.attempts}


def same_imports(spec: ForbiddenImportsCheck, mine: Observed, theirs: Observed) -> bool:
    return _modules(mine.actual) == _modules(theirs.actual)


def forbidden_imports(spec: ForbiddenImportsCheck, facts: RunFacts, expected: Any) -> Verdict:
    findings = static_imports(facts.source, facts.forbidden)
    seen: list[str] = []
    for text in [f"{f.what}{_where(f.line)}" for f in findings] + [
        f"{a['module']}{_where(a.get('line'))}" for a in facts.attempts
    ]:
        if text not in seen:
            seen.append(text)
    listing = ", ".join(facts.forbidden)
    if seen:
        return Verdict(
            False,
            f"the submission imports {', '.join(seen[:5])}; this assignment forbids {listing}",
        )
    if not facts.enforced:
        return Verdict(
            True,
            f"no forbidden import ({listing}) in the source; NOT enforced at run time: the "
            "submission ran without a sandbox (--sandbox none)",
        )
    return Verdict(True, f"no forbidden import ({listing})")


def _listing(findings: list[Finding]) -> str:
    return ", ".join(f"{f.what}{_where(f.line)}" for f in findings[:4])


def _autodiff_reason(
    spec: AutodiffCheck, passes: Any, facts: RunFacts
) -> tuple[str, list[Finding], int]:
    """Why the rule holds or not, as a word: what `same_autodiff` compares."""
    defined, findings = autodiff_uses(facts.source, spec.function)
    counted = passes if isinstance(passes, int) and not isinstance(passes, bool) else 0
    if not defined:
        return "undefined", findings, counted
    if spec.expect == "used":
        calls = [f for f in findings if f.kind == "autodiff"]
        if not calls:
            return "never_calls", calls, counted
        return ("ran_none" if counted <= 0 else "ok"), calls, counted
    if findings:
        return "uses", findings, counted
    return ("ran_passes" if counted > 0 else "ok"), findings, counted


def same_autodiff(spec: AutodiffCheck, mine: Observed, theirs: Observed) -> bool:
    return (
        _autodiff_reason(spec, mine.actual, mine.expected)[0]
        == _autodiff_reason(spec, theirs.actual, theirs.expected)[0]
    )


def autodiff(spec: AutodiffCheck, passes: Any, facts: RunFacts) -> Verdict:
    """`used`: the source calls autodiff and the run counted a pass; `unused`: neither."""
    reason, findings, counted = _autodiff_reason(spec, passes, facts)
    messages = {
        "undefined": f"no top-level function {spec.function} in the source",
        "never_calls": f"{spec.function} (and what it calls) never calls backward() or "
        "torch.autograd.grad: the gradient must come from autograd",
        "ran_none": f"{spec.function} ran no backward pass when it was called",
        "uses": f"{spec.function} (or what it calls) uses {_listing(findings)}; it must compute "
        "its gradients by hand with NumPy",
        "ran_passes": f"{spec.function} ran {counted} autodiff pass(es) when it was called",
    }
    if reason in messages:
        return Verdict(False, messages[reason])
    if spec.expect == "used":
        return Verdict(True, f"{spec.function} uses autograd ({_listing(findings)})")
    return Verdict(True, f"{spec.function} computes its gradients by hand")
