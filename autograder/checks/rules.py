"""Rule checks: what the submission may not do, whatever its values."""

from __future__ import annotations

import ast
from typing import Any

from autograder.checks.base import Verdict


def static_imports(source: str, forbidden: set[str]) -> list[dict[str, Any]]:
    """Forbidden imports visible in the source, even in code that never runs."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            {"module": name, "line": node.lineno}
            for name in names
            if name.split(".")[0] in forbidden
        ]
    return sorted(found, key=lambda attempt: attempt["line"])


def forbidden_imports(spec: Any, attempts: list[dict[str, Any]], forbidden: list[str]) -> Verdict:
    if not attempts:
        return Verdict(True, f"no forbidden import ({', '.join(forbidden)})")
    seen: list[str] = []
    for attempt in attempts:
        where = f" (line {attempt['line']})" if attempt.get("line") else ""
        text = f"{attempt['module']}{where}"
        if text not in seen:
            seen.append(text)
    return Verdict(
        False,
        f"the submission imports {', '.join(seen[:5])}; this assignment forbids "
        f"{', '.join(forbidden)}",
    )
