"""Turn a student's .ipynb into the script the harness runs.

Notebooks carry IPython syntax that plain Python rejects: line magics
(`%matplotlib inline`), shell escapes (`!pip install x`, `files = !ls`) and
cell magics (`%%time`). They are neutralised here, keeping line numbers, so
the script runs the cells' Python exactly as written and nothing else.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import PythonExporter
from nbconvert.preprocessors import Preprocessor

from autograder.errors import SubmissionError
from autograder.harness.main import RUNNING_MAGICS

# A magic or shell escape at the start of a logical line, possibly indented,
# possibly assigned (`out = !ls`, `t = %timeit -o f()`).
_MAGIC_LINE = re.compile(r"^(\s*)((?:[A-Za-z_][\w.]*\s*=\s*)?)([!%])(.*)$")
# IPython's help syntax: `net?`, `train_step??`, `?np.dot`.
_HELP_LINE = re.compile(r"^(\s*)(\?{1,2}[\w.]+|[\w.]+\?{1,2})\s*$")
_CELL_MARKER = re.compile(r"^# autograde: code cell (\d+)$")
MAX_CODE_CHARS = 2**20
"""As for a .py file: a homework's code is kilobytes, and parsing megabytes costs gigabytes."""
MAX_CELLS = 10_000
"""Cells of any kind: a homework has tens, and each costs the parser objects."""


def _text(source: object) -> str:
    """A cell's source as stored: a string, or a list of lines."""
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def neutralise(source: str) -> str:
    """IPython syntax as plain Python of the same line count.

    IPython's own transformer does the work where it keeps line numbers (it
    reads logical lines, so `% (a, b)` continuing a format string is left
    alone): magics become `get_ipython()` calls, which the harness runs (`%time
    w, b = fit(...)` still assigns) or ignores. Cell magics whose body is not
    Python (`%%bash`) skip their cell.
    """
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(None, 1)[0] if lines[0].strip() != "%%" else ""
        if magic not in RUNNING_MAGICS:
            return "\n".join(f"# autograde: %%{magic} cell skipped: {line}" for line in lines)
        return "\n".join([f"# autograde: cell magic %%{magic} removed", *_transform(lines[1:])])
    return "\n".join(_transform(lines))


def _transform(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            transformed = _ipython().transform_cell(text).splitlines()
    except Exception:  # IPython gives up on some invalid input: the fallback decides
        transformed = []
    if len(transformed) == len(lines):
        return transformed
    return [_neutralise_line(line) for line in lines]


def _ipython() -> Any:
    from IPython.core.inputtransformer2 import TransformerManager  # slow import: notebooks only

    return TransformerManager()


def _neutralise_line(line: str) -> str:
    """One physical line, when IPython's transformer would change the line count."""
    help_match = _HELP_LINE.match(line)
    if help_match:
        return f"{help_match.group(1)}pass  # autograde: IPython help removed"
    match = _MAGIC_LINE.match(line)
    if match and not line.lstrip().startswith(("%=", "!=")):
        indent, target, _, rest = match.groups()
        target = target.strip().rstrip("=").strip()
        stub = f"{target} = None" if target else "pass"
        return f"{indent}{stub}  # autograde: IPython line removed: {rest.strip()[:60]}"
    return line


class _NeutraliseMagics(Preprocessor):  # type: ignore[misc]
    """Neutralises IPython syntax and marks where each code cell starts."""

    def preprocess(self, nb, resources):  # type: ignore[no-untyped-def]
        code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code_cells, start=1):
            cell.source = f"# autograde: code cell {number}\n" + neutralise(cell.source)
        return nb, resources


LineMap = dict[int, tuple[int, int]]
"""Script line -> (code cell number, line within that cell), both from 1."""


def cell_lines(script: str) -> LineMap:
    mapping: LineMap = {}
    cell, start = 0, 0
    for number, line in enumerate(script.splitlines(), start=1):
        marker = _CELL_MARKER.match(line)
        if marker:
            cell, start = int(marker.group(1)), number
        elif cell:
            mapping[number] = (cell, number - start)
    return mapping


def notebook_to_script(path: Path, raw: bytes) -> tuple[str, LineMap]:
    """The notebook's code cells as one script, and where each line came from.

    The cells are counted in the raw bytes before anything is parsed, and only
    code cells reach nbformat and nbconvert: markdown never runs.
    """
    cells_declared = raw.count(b'"cell_type"')
    if cells_declared > MAX_CELLS:
        raise SubmissionError(
            f"{path}: {cells_declared:,} cells (limit {MAX_CELLS:,}); a homework notebook has "
            "tens: submit the notebook you worked in"
        )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SubmissionError(
            f"{path}: not a valid notebook (the file is not JSON); re-save it from Jupyter"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise SubmissionError(
            f"{path}: not a Jupyter notebook (no `cells`); re-save it from Jupyter"
        )
    cells = [c for c in data["cells"] if isinstance(c, dict) and c.get("cell_type") == "code"]
    data["cells"] = cells
    for cell in cells:  # outputs are most of a notebook's size and never run
        if "outputs" in cell:
            cell["outputs"] = []
        cell.pop("attachments", None)
    code_size = sum(len(_text(c.get("source", ""))) for c in cells if c.get("cell_type") == "code")
    if code_size > MAX_CODE_CHARS:
        raise SubmissionError(
            f"{path}: its cells hold {code_size / 2**20:.1f} MiB of code (limit "
            f"{MAX_CODE_CHARS // 2**20} MiB); keep data out of the notebook's cells"
        )
    try:
        # nbformat and nbconvert warn about cell ids and IPython; the student
        # can do nothing about either, so the warnings stay out of their terminal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(json.dumps(data), as_version=4)
            exporter = PythonExporter()
            exporter.register_preprocessor(_NeutraliseMagics(), enabled=True)
            script, _ = exporter.from_notebook_node(notebook)
    except Exception as exc:
        raise SubmissionError(
            f"{path}: the notebook could not be read ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); re-save it from Jupyter"
        ) from None
    return script, cell_lines(script)
