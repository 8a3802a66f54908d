"""Module checks as pure functions: `parameters`, `allclose` on dicts, probe helpers.

No grading runs here: the comparators are called directly with the values a
probe's output decodes to (dicts of shape lists, arrays and `TensorValue`s).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from pydantic import ValidationError
from torch import nn

from autograder.checks import COMPARATORS, allclose, equal, parameters
from autograder.harness.protocol import TensorValue
from autograder.probing.client import ProbeFailure
from autograder.probing.modules import (
    gradients,
    parameter_shapes,
    require_shapes,
    seeded_state,
    shape_problems,
)
from autograder.spec import AllcloseCheck, AssignmentSpec, ParametersCheck

LENET = {
    "conv1.weight": [6, 1, 5, 5],
    "conv1.bias": [6],
    "conv2.weight": [16, 6, 5, 5],
    "conv2.bias": [16],
    "fc1.weight": [120, 400],
    "fc1.bias": [120],
    "fc2.weight": [84, 120],
    "fc2.bias": [84],
    "fc3.weight": [10, 84],
    "fc3.bias": [10],
}


def params_spec(match: str = "shapes") -> ParametersCheck:
    return ParametersCheck(
        kind="parameters",
        id="p",
        description="d",
        points=1,
        probe="x",
        value="shapes",
        match=match,
    )


def close_spec(**tolerances: Any) -> AllcloseCheck:
    return AllcloseCheck(
        kind="allclose",
        id="c",
        description="d",
        points=1,
        probe="x",
        value="grads",
        **tolerances,
    )


def tensor(array: np.ndarray) -> TensorValue:
    return TensorValue(
        array=array, dtype="torch.float32", requires_grad=False, is_leaf=True, grad=None
    )


# --- parameters ---------------------------------------------------------------------------


def test_parameters_registered_and_parsed_from_a_spec():
    assert COMPARATORS["parameters"].expected == "reference"
    spec = AssignmentSpec.model_validate(
        {
            "id": "a",
            "title": "t",
            "entry": "a.py",
            "checks": [
                {
                    "id": "p",
                    "kind": "parameters",
                    "description": "d",
                    "points": 1,
                    "probe": "x",
                    "value": "shapes",
                    "match": "count",
                }
            ],
        }
    )
    assert isinstance(spec.checks[0], ParametersCheck)
    assert spec.checks[0].match == "count"
    with pytest.raises(ValidationError):
        params_spec(match="names")


def test_parameters_pass_with_counts_in_the_feedback():
    verdict = parameters.check(params_spec(), dict(LENET), dict(LENET))
    assert verdict.passed
    assert verdict.feedback == (
        "10 parameter tensors with 61,706 values, with the reference's names and shapes"
    )


def test_parameters_name_the_first_mismatch_in_reference_order():
    kernel3 = {
        **LENET,
        "conv1.weight": [6, 1, 3, 3],
        "conv2.weight": [16, 6, 3, 3],
        "fc1.weight": [120, 576],
    }
    # The student registered fc1 first: the feedback still starts at conv1.
    actual = {"fc1.weight": kernel3.pop("fc1.weight"), **kernel3}
    verdict = parameters.check(params_spec(), actual, dict(LENET))
    assert not verdict.passed
    assert verdict.feedback == (
        "conv1.weight: expected (6, 1, 5, 5), got (6, 1, 3, 3); 2 more differences "
        "(expected 10 parameter tensors with 61,706 values, got 10 parameter tensors "
        "with 81,194 values)"
    )


def test_parameters_missing_and_extra_names():
    renamed = {k.replace("fc3", "out"): v for k, v in LENET.items()}
    verdict = parameters.check(params_spec(), renamed, dict(LENET))
    assert verdict.feedback.startswith(
        "fc3.weight: expected (10, 84), got no such parameter; 3 more differences"
    )
    assert shape_problems(LENET, renamed)[2:] == [
        "out.weight: unexpected parameter of shape (10, 84)",
        "out.bias: unexpected parameter of shape (10,)",
    ]


def test_parameter_count_ignores_names_but_not_sizes():
    renamed = {f"layers.{i}": shape for i, shape in enumerate(LENET.values())}
    assert parameters.check(params_spec("count"), renamed, dict(LENET)).passed
    fewer = dict(list(LENET.items())[:8])
    verdict = parameters.check(params_spec("count"), fewer, dict(LENET))
    assert not verdict.passed
    assert verdict.feedback == (
        "expected 10 parameter tensors with 61,706 values, got 8 parameter tensors "
        "with 60,856 values"
    )


def test_parameters_accept_tensors_and_arrays_as_values():
    actual = {"w": tensor(np.zeros((3, 2), np.float32)), "b": np.zeros(3)}
    assert parameters.check(params_spec(), actual, {"w": [3, 2], "b": [3]}).passed


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        (None, "`shapes` should be a dict of parameter shapes, got None"),
        ({"w": "big"}, "`shapes` should map parameter names to shapes or tensors"),
        ({"w": [3, -1]}, "`shapes` should map parameter names to shapes or tensors"),
    ],
)
def test_parameters_refuse_what_is_not_a_shape_table(actual, message):
    verdict = parameters.check(params_spec(), actual, {"w": [3, 2]})
    assert not verdict.passed
    assert verdict.feedback.startswith(message)


def test_a_wrong_output_shape_is_shown_as_numbers():
    verdict = equal.check(params_spec(), [5, 84], [5, 10])
    assert verdict.feedback == "`shapes` is a list [5, 84], expected a list [5, 10]"


# --- allclose on dicts --------------------------------------------------------------------


def state(seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    return {
        "conv1.weight": tensor(rng.standard_normal((2, 1, 3, 3)).astype(np.float32)),
        "conv1.bias": tensor(rng.standard_normal(2).astype(np.float32)),
        "fc.weight": tensor(rng.standard_normal((4, 2)).astype(np.float32)),
    }


def test_allclose_dicts_pass_key_by_key():
    verdict = allclose.check(close_spec(rtol=1e-5, atol=1e-6), state(), state())
    assert verdict.passed
    assert verdict.feedback == "all 3 entries of `grads` match the reference"


def test_allclose_dicts_report_the_first_differing_key_and_its_worst_element():
    actual = state()
    bias = actual["conv1.bias"].array.copy()
    bias[1] += 0.5
    weight = actual["fc.weight"].array * 2
    actual = {**actual, "conv1.bias": tensor(bias), "fc.weight": tensor(weight)}
    expected = state()
    verdict = allclose.check(close_spec(), actual, expected)
    assert not verdict.passed
    want = float(expected["conv1.bias"].array[1])
    assert verdict.feedback.startswith(
        "`grads[conv1.bias]`: 1 of 2 elements differ from the reference (rtol 1e-05, atol 1e-08); "
        f"worst at index 1: expected {want:.6g}, got {want + 0.5:.6g}"
    )
    assert verdict.feedback.endswith("(2 of 3 entries differ: conv1.bias, fc.weight)")


def test_allclose_dicts_shape_mismatch_is_named_per_key():
    actual = {**state(), "fc.weight": tensor(np.zeros((2, 4), np.float32))}
    verdict = allclose.check(close_spec(), actual, state())
    assert verdict.feedback.startswith(
        "`grads[fc.weight]` has shape (2, 4), expected (4, 2): that is the expected shape "
        "transposed (1 of 3 entries differ"
    )


@pytest.mark.parametrize(
    ("actual", "message"),
    [
        (
            {"conv1.weight": 0, "conv1.bias": 0},
            "`grads` has no entry 'fc.weight' (1 missing and 0 unexpected; the reference has 3 "
            "entries)",
        ),
        (
            {**state(), "extra": 1.0},
            "`grads` has an unexpected entry 'extra' (0 missing and 1 unexpected; the reference "
            "has 3 entries)",
        ),
        (np.zeros(3), "`grads` should be a dict of 3 arrays like the reference's, got an array"),
        ({**state(), "fc.weight": "nan"}, "`grads[fc.weight]` should be numeric, got str"),
    ],
)
def test_allclose_dicts_say_what_came_back(actual, message):
    verdict = allclose.check(close_spec(), actual, state())
    assert not verdict.passed
    assert verdict.feedback.startswith(message)


def test_allclose_nested_dicts_and_plain_arrays_still_work():
    nested = {"step1": state(1), "loss": 0.5}
    assert allclose.check(close_spec(), {"step1": state(1), "loss": 0.5}, nested).passed
    verdict = allclose.check(close_spec(), {"step1": state(1), "loss": 0.6}, nested)
    assert verdict.feedback.startswith("`grads[loss]` = 0.6, expected 0.5")
    assert allclose.check(close_spec(), np.ones(3), np.ones(3)).passed


# --- the probe side: seeded weights, shapes, gradients --------------------------------------


class Tiny(nn.Module):
    def __init__(self, kernel: int = 3) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 2, kernel)
        self.fc = nn.Linear(2, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv1(x).mean((2, 3))


TINY = {"conv1.weight": (2, 1, 3, 3), "conv1.bias": (2,), "fc.weight": (1, 2), "fc.bias": (1,)}


def test_seeded_weights_depend_on_seed_and_names_only():
    first = seeded_state(np.random.default_rng(7), TINY)
    again = seeded_state(np.random.default_rng(7), TINY)
    assert list(first) == list(TINY)
    assert all(np.array_equal(first[k], again[k]) for k in TINY)
    assert all(first[k].dtype == np.float32 and first[k].shape == TINY[k] for k in TINY)
    # variance 1/fan_in for weights, the layer's 1/sqrt(fan_in) bound for biases
    assert np.abs(first["conv1.weight"]).max() <= np.sqrt(3 / 9)
    assert np.abs(first["conv1.bias"]).max() <= 1 / 3


def as_tensors(module: nn.Module) -> dict[str, TensorValue]:
    """`dict(module.named_parameters())` as it comes back over the wire."""
    return {
        name: TensorValue(
            array=p.detach().numpy().copy(),
            dtype=str(p.dtype),
            requires_grad=p.requires_grad,
            is_leaf=p.is_leaf,
            grad=None if p.grad is None else p.grad.numpy().copy(),
        )
        for name, p in module.named_parameters()
    }


def test_seeded_weights_fill_any_module_with_the_same_numbers():
    a, b = Tiny(), Tiny()
    for module in (a, b):
        require_shapes(as_tensors(module), TINY)
        state = seeded_state(np.random.default_rng(3), TINY)
        module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, strict=False)
    assert all(torch.equal(a.state_dict()[k], b.state_dict()[k]) for k in TINY)
    assert parameter_shapes(as_tensors(a)) == {k: list(v) for k, v in TINY.items()}


def test_require_shapes_names_the_first_mismatch_instead_of_a_torch_traceback():
    with pytest.raises(ProbeFailure) as info:
        require_shapes(as_tensors(Tiny(kernel=5)), TINY, what="Net()")
    assert str(info.value) == (
        "the parameters of Net() do not have the expected names and shapes, so the reference "
        "weights cannot be loaded into it: conv1.weight: expected (2, 1, 3, 3), got "
        "(2, 1, 5, 5); expected 4 parameter tensors with 23 values, got 4 parameter tensors "
        "with 55 values"
    )


def test_gradients_name_a_parameter_forward_never_uses():
    net = Tiny()
    net(torch.ones(1, 1, 4, 4)).sum().backward()
    with pytest.raises(ProbeFailure, match=r"fc\.weight of Net\(\) has no gradient"):
        gradients(as_tensors(net), "Net()")
    grads = gradients({k: v for k, v in as_tensors(net).items() if k.startswith("conv1")})
    assert list(grads) == ["conv1.weight", "conv1.bias"]
