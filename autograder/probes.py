"""Load an assignment's probes: instructor code, run on the trusted side only.

`probes.py` is imported into the grader (never into a sandbox), once per
file content, and every probe a check names must be a function in it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import types

from autograder.errors import SpecError
from autograder.spec import Assignment

_LOADED: dict[str, types.ModuleType] = {}


def load_probes(assignment: Assignment) -> types.ModuleType:
    path = assignment.probes
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"{path}: cannot be read ({exc.strerror})") from None
    key = f"{path.resolve()}:{hashlib.sha256(source).hexdigest()}"
    module = _LOADED.get(key)
    if module is None:
        name = f"autograde_probes_{assignment.spec.id}_{len(_LOADED)}"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise SpecError(
                f"{path}: the probes could not be loaded ({type(exc).__name__}: {exc}); fix them"
            ) from None
        _LOADED[key] = module
    defined = sorted(
        n
        for n, v in vars(module).items()
        if isinstance(v, types.FunctionType)
        and not n.startswith("_")
        and v.__module__ == module.__name__
    )
    for check in assignment.spec.checks:
        probe = getattr(check, "probe", None)
        if probe is not None and not callable(getattr(module, probe, None)):
            raise SpecError(
                f"{path}: check {check.id!r} names probe {probe!r}, which probes.py does not "
                f"define (it defines: {', '.join(defined) or 'nothing'}); fix the check's `probe`"
            )
    return module
