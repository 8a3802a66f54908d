"""A correct contract earns full marks with or without a top-level script.

Each reference solution with its `if __name__ == "__main__":` block cut off
is a submission that only defines the contract: its script checks fail on
their own (no globals) and are earned through the function checks that test
the same behaviour (`earned_by` in the spec).
"""

from __future__ import annotations

import pytest

from tests.conftest import REFERENCE, as_student, feedback

SCRIPT_CHECKS = {
    "hw1": ["script_loss"],
    "hw2": ["script_w"],
    "hw3": ["script_net_parameters", "script_net_output"],
    "hw4": ["script_model"],
    "hw5": ["script_w", "script_b"],
}


@pytest.mark.parametrize("assignment", sorted(SCRIPT_CHECKS))
def test_a_contract_only_submission_scores_full_marks(grade, tmp_path, assignment):
    source = (REFERENCE / f"{assignment}.py").read_text()
    contract_only = source.split('if __name__ == "__main__":')[0]
    report = grade(as_student(tmp_path, contract_only, f"{assignment}.py"))
    assert report.score == report.max_score, {c.id: c.feedback for c in report.checks}
    for check_id in SCRIPT_CHECKS[assignment]:
        assert feedback(report, check_id).startswith("earned through ")
        assert "leaves no global" in feedback(report, check_id)


def test_a_wrong_function_does_not_earn_the_script_check(grade, tmp_path):
    source = (REFERENCE / "hw2.py").read_text().split('if __name__ == "__main__":')[0]
    broken = source.replace("w.grad.zero_()", "pass", 1)
    assert broken != source
    report = grade(as_student(tmp_path, broken, "hw2.py"))
    script = next(c for c in report.checks if c.id == "script_w")
    assert script.status == "error" and "leaves no global `w`" in script.feedback
