"""What the submitted source shows, read on the trusted side without running it.

Two questions a submission's own process cannot answer for the grader:

- which forbidden modules it imports, by any spelling: `import`, `from ...
  import`, `__import__`, `importlib.import_module`, `importlib._bootstrap.
  _gcd_import`, `sys.modules[...]`, and code handed to `exec`/`eval`/`compile`
  as a string (parsed and read too). A module name computed at run time, or
  code built at run time, cannot be verified and counts as a finding;
- whether a function uses autodiff: the function and every top-level
  function or class of the file it refers to, followed transitively.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

IMPORT_FUNCTIONS = frozenset(
    {
        "__import__",
        "import_module",
        "_gcd_import",
        "_find_and_load",
        "find_spec",
        "import_fresh_module",
    }
)
EXEC_FUNCTIONS = frozenset({"exec", "eval", "compile"})
AUTODIFF_ATTRIBUTES = frozenset(
    {
        "backward",
        "grad",
        "autograd",
        "jvp",
        "vjp",
        "jacfwd",
        "jacrev",
        "jacobian",
        "hessian",
        "make_dual",
        "forward_ad",
        "value_and_grad",
        "GradientTape",
    }
)
AUTODIFF_MODULES = frozenset({"torch", "jax", "jaxlib", "tensorflow", "autograd", "functorch"})
DYNAMIC_NAMES = frozenset(
    {"getattr", "eval", "exec", "compile", "__import__", "globals", "vars", "locals"}
)
MAX_NESTED_SOURCE = 4


@dataclass(frozen=True)
class Finding:
    """One thing the source does, with its line (1-based, in the submitted script).

    `kind`: "import" (a forbidden module), "autodiff" (an autodiff call or
    attribute), "library" (a name bound to an autodiff library), "dynamic"
    (a lookup or code the grader cannot follow).
    """

    what: str
    line: int
    kind: str = "import"


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _top(module: str) -> str:
    return module.lstrip(".").split(".")[0]


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def forbidden_imports(source: str, forbidden: Iterable[str], depth: int = 0) -> list[Finding]:
    """Every way the source reaches a forbidden module, or could without the grader seeing."""
    banned = set(forbidden)
    tree = _parse(source)
    if tree is None or not banned:
        return []
    found: list[Finding] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [Finding(a.name, line) for a in node.names if _top(a.name) in banned]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _top(node.module) in banned:
                found.append(Finding(node.module, line))
        elif isinstance(node, ast.Subscript):
            key = _string(node.slice)
            if key is not None and _top(key) in banned:
                found.append(Finding(key, line))  # sys.modules["torch"]
        elif isinstance(node, ast.Call):
            name = _called_name(node)
            first = node.args[0] if node.args else None
            if name in IMPORT_FUNCTIONS:
                text = _string(first)
                if text is None:
                    found.append(
                        Finding("a module whose name is computed at run time", line, "dynamic")
                    )
                elif _top(text) in banned:
                    found.append(Finding(text, line))
            elif name in EXEC_FUNCTIONS and first is not None:
                text = _string(first)
                if text is None or depth >= MAX_NESTED_SOURCE:
                    found.append(
                        Finding(f"code built at run time (passed to {name})", line, "dynamic")
                    )
                else:
                    found += [
                        Finding(f.what, line, f.kind)
                        for f in forbidden_imports(text, banned, depth + 1)
                    ]
    unique: dict[tuple[str, int], Finding] = {(f.what, f.line): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.line, f.what))


@dataclass
class _Definitions:
    bodies: dict[str, ast.AST] = field(default_factory=dict)
    autodiff_aliases: set[str] = field(default_factory=set)


def _definitions(tree: ast.Module) -> _Definitions:
    defs = _Definitions()
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defs.bodies[statement.name] = statement
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _top(alias.name) in AUTODIFF_MODULES:
                    defs.autodiff_aliases.add((alias.asname or alias.name).split(".")[0])
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and _top(node.module) in AUTODIFF_MODULES
        ):
            for alias in node.names:
                defs.autodiff_aliases.add(alias.asname or alias.name)
    return defs


def _reachable(defs: _Definitions, function: str) -> list[ast.AST]:
    """The function's definition and every top-level definition it names, transitively."""
    seen: dict[str, None] = {}
    todo = [function] if function in defs.bodies else []
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen[name] = None
        names = {n.id for n in ast.walk(defs.bodies[name]) if isinstance(n, ast.Name)}
        todo += [n for n in names if n in defs.bodies and n not in seen]
    return [defs.bodies[name] for name in seen]


def autodiff_uses(source: str, function: str) -> tuple[bool, list[Finding]]:
    """(whether `function` is defined, what in it or what it calls could do autodiff).

    Anything that names an autodiff library, an autodiff method (`backward`,
    `grad`, `jvp`, ...) or a dynamic lookup the grader cannot follow
    (`getattr`, `eval`, ...) is a finding.
    """
    tree = _parse(source)
    if tree is None:
        return False, []
    defs = _definitions(tree)
    if function not in defs.bodies:
        return False, []
    found: list[Finding] = []
    for body in _reachable(defs, function):
        for node in ast.walk(body):
            line = getattr(node, "lineno", 0)
            if isinstance(node, ast.Attribute) and node.attr in AUTODIFF_ATTRIBUTES:
                found.append(Finding(f".{node.attr}", line, "autodiff"))
            elif isinstance(node, ast.Name) and node.id in defs.autodiff_aliases:
                kind = "autodiff" if node.id in AUTODIFF_ATTRIBUTES else "library"
                found.append(Finding(node.id, line, kind))
            elif isinstance(node, ast.Name) and node.id in DYNAMIC_NAMES:
                found.append(
                    Finding(f"{node.id}(...), which the grader cannot follow", line, "dynamic")
                )
            elif isinstance(node, ast.Import | ast.ImportFrom):
                found.append(Finding("an import inside the function", line, "dynamic"))
    unique = {(f.what, f.line): f for f in found}
    return True, sorted(unique.values(), key=lambda f: (f.line, f.what))
