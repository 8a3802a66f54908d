"""Which contract arguments the probes never vary: a rubric that cannot see them.

A `train(..., tol)` that ignores `tol` scores full marks if every probe
passes the same `tol` (or none). The probes' contract calls are recorded as
argument digests (`SessionClient.calls`); with the reference's signatures
(read from its source, which is trusted, never imported) each argument gets
the set of values it took, an omitted one counting as its default. Fewer
than two means no probe varies it. Arguments passed as objects (a model, an
optimizer) are judged by identity, not value, and are not counted.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from autograder.outputs import HarnessOutput
from autograder.probing.client import fingerprint


@dataclass
class Parameter:
    name: str
    default: str | None  # the default's digest; "default" when it is not a literal
    values: set[str] = field(default_factory=set)
    objects: bool = False


def _default_digest(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    try:
        return fingerprint(ast.literal_eval(node)) or "default"
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return "default"


def signatures(source: str, functions: list[str]) -> dict[str, list[Parameter]]:
    """Each contract function's parameters as the reference defines them (top level)."""
    found: dict[str, list[Parameter]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            args = node.args
            positional = args.posonlyargs + args.args
            defaults: list[ast.expr | None] = [None] * (
                len(positional) - len(args.defaults)
            ) + list(args.defaults)
            found[node.name] = [
                Parameter(a.arg, _default_digest(d))
                for a, d in zip(positional, defaults, strict=True)
            ] + [
                Parameter(a.arg, _default_digest(d))
                for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
            ]
    return found


def unvaried_arguments(reference: Path, contract: list[str], output: HarnessOutput) -> list[str]:
    """`function(argument)` for each contract argument no probe varies, in contract order."""
    params = signatures(reference.read_text(encoding="utf-8"), contract)
    called: set[str] = set()
    for outcome in output.probes.values():
        for call in outcome.calls:
            function = call.get("function")
            if function not in params:
                continue
            called.add(function)
            args, kwargs = call.get("args", []), call.get("kwargs", {})
            for index, param in enumerate(params[function]):
                if index < len(args):
                    digest = args[index]
                elif param.name in kwargs:
                    digest = kwargs[param.name]
                else:
                    digest = param.default
                if digest is None:
                    param.objects = True
                else:
                    param.values.add(digest)
    return [
        f"{function}({param.name})"
        for function in contract
        if function in params
        for param in params[function]
        if function not in called or (not param.objects and len(param.values) < 2)
    ]
