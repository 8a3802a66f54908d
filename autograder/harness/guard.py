"""Run-time enforcement of an assignment's forbidden imports.

Reading the source is not enough (`__import__("to" + "rch")` hides from any
scan), so the guard sits on every import path: the `import` statement and
`__import__` (through `builtins.__import__`), `importlib.import_module`, and a
meta-path finder for anything that reaches the import system another way.
Every attempt is recorded, even when the student's code catches the error.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.abc
import sys
import sysconfig
import traceback
from collections.abc import Iterable
from typing import Any

_LIBRARY_PREFIXES = tuple(
    {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
)


class ImportGuard(importlib.abc.MetaPathFinder):
    def __init__(self, forbidden: Iterable[str], submission: str) -> None:
        self.forbidden = frozenset(forbidden)
        self.submission = submission
        self.attempts: list[dict[str, Any]] = []
        self._original_import = builtins.__import__
        self._original_import_module = importlib.import_module

    def blocks(self, name: str) -> bool:
        return name.split(".")[0] in self.forbidden

    def _importer(self) -> traceback.FrameSummary | None:
        """The frame that asked for the import, skipping the import machinery."""
        for frame in reversed(traceback.extract_stack()):
            if frame.filename == __file__ or frame.filename.startswith("<frozen importlib"):
                continue
            return frame
        return None

    def _refuse(self, name: str) -> ImportError:
        importer = self._importer()
        # A library probing for an optional dependency is not the student's
        # doing; code in the submission, or in strings it exec'd, is.
        from_library = importer is not None and importer.filename.startswith(_LIBRARY_PREFIXES)
        if not from_library:
            line = importer.lineno if importer and importer.filename == self.submission else None
            if not any(a["module"] == name and a["line"] == line for a in self.attempts):
                self.attempts.append({"module": name, "line": line})
        top = name.split(".")[0]
        return ImportError(f"autograde: importing {top!r} is not allowed in this assignment")

    # importlib.abc.MetaPathFinder
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if self.blocks(fullname):
            raise self._refuse(fullname)
        return None

    def install(self) -> None:
        guard = self
        original_import = self._original_import
        original_import_module = self._original_import_module

        def guarded_import(
            name: str,
            globals: Any = None,
            locals: Any = None,
            fromlist: Any = (),
            level: int = 0,
        ) -> Any:
            if level == 0 and guard.blocks(name):
                raise guard._refuse(name)
            return original_import(name, globals, locals, fromlist, level)

        def guarded_import_module(name: str, package: str | None = None) -> Any:
            if not name.startswith(".") and guard.blocks(name):
                raise guard._refuse(name)
            return original_import_module(name, package)

        builtins.__import__ = guarded_import
        importlib.import_module = guarded_import_module
        sys.meta_path.insert(0, self)
        for loaded in [m for m in sys.modules if self.blocks(m)]:
            del sys.modules[loaded]
