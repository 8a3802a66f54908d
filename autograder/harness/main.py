"""Harness entry point: run the submission as a script, then serve the grader's calls.

    python -c "...; from autograder.harness.main import main; main()" \
        SUBMISSION CHANNEL CONFIG_JSON

CHANNEL is `fd:N` (a SOCK_SEQPACKET socket inherited from the grader) or
`unix:PATH` (a socket the grader listens on, for container engines). The
config holds only what running the script needs: the entry name, whether it
came from a notebook, the forbidden imports, the contract's names, the
script's time and the public seed that makes the script reproducible. No
probe, no hidden seed, no spec beyond that ever enters this process.

After the script, this process says hello (how the script ended, which
globals it left) and then serves sessions until the grader hangs up
(`server.serve_control`).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import sys
import time
import types
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from autograder.harness.guard import ImportGuard
from autograder.harness.server import (
    flush_streams,
    send_datagram,
    serve_control,
    student_traceback,
)

MAX_GLOBALS = 500


class ScriptInterrupted(BaseException):
    """Raised into the script on time-out or `os._exit`; BaseException so that
    the student's `except Exception:` cannot swallow it."""


def label_seed(seed: int, label: str) -> int:
    return (seed * 1_000_003 + zlib.crc32(label.encode())) % 2**32


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


# Line and cell magics whose argument is Python the notebook relies on running
# (`%time w, b = fit(...)` assigns w and b); run once, not timed. A cell under
# any other cell magic (`%%bash`) is not Python and is skipped when converted.
RUNNING_MAGICS = {"time", "timeit", "prun", "capture"}


def jupyter_builtins(namespace: dict[str, Any]) -> dict[str, Any]:
    """What a notebook may use without importing it: `display` and `get_ipython()`.

    The converted notebook calls `get_ipython()` where it had magics: those in
    RUNNING_MAGICS run their statement in the notebook's globals; shell
    escapes and every other magic do nothing (`files = !ls` gets an empty list).
    """

    def run(code: str) -> Any:
        try:
            compiled = compile(code, "<magic>", "eval")
        except SyntaxError:
            exec(compile(code, "<magic>", "exec"), namespace)
            return None
        return eval(compiled, namespace)

    class _Shell:
        def run_line_magic(self, name: str, line: str, *args: Any, **kwargs: Any) -> Any:
            return run(line) if name in RUNNING_MAGICS and line.strip() else None

        def run_cell_magic(self, name: str, line: str, cell: str, *args: Any) -> Any:
            return run(cell) if name in RUNNING_MAGICS else None

        def getoutput(self, *args: Any, **kwargs: Any) -> list[str]:
            return []

        def __getattr__(self, name: str) -> Any:
            return lambda *args, **kwargs: None

    shell = _Shell()

    def display(*objects: Any, **kwargs: Any) -> None:
        for item in objects:
            print(repr(item))

    return {"display": display, "get_ipython": lambda: shell}


def run_script(
    source: str, submission: str, seconds: float, *, notebook: bool = False
) -> tuple[dict[str, Any], dict]:
    """Execute the submission as `__main__`; keep its globals whatever happens."""
    module = types.ModuleType("__main__")
    module.__file__ = submission
    namespace = module.__dict__
    if notebook:
        namespace.update(jupyter_builtins(namespace))
    sys.modules["__main__"] = module
    sys.argv = [submission]
    sys.path.insert(0, str(Path(submission).parent))

    def on_alarm(signum: int, frame: Any) -> None:
        raise ScriptInterrupted("timeout")

    real_exit = os._exit

    def exit_instead(code: int = 0) -> None:
        raise ScriptInterrupted(f"os._exit({code})")

    signal.signal(signal.SIGALRM, on_alarm)
    # Re-fires every second, so a bare `except:` around a loop cannot keep it.
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    os._exit = exit_instead  # type: ignore[assignment]
    started = time.monotonic()
    status: dict[str, Any] = {"status": "completed"}
    try:
        code = compile(source, submission, "exec", dont_inherit=True)
        exec(code, namespace)
    except SystemExit as exc:
        if exc.code in (None, 0):  # a clean exit: the script finished
            status = {"status": "completed", "message": f"the script called sys.exit({exc.code!r})"}
        else:
            status = {"status": "exited", "message": f"the script called sys.exit({exc.code!r})"}
    except ScriptInterrupted as exc:
        if str(exc) == "timeout":
            status = {
                "status": "timeout",
                "message": f"the script ran longer than {seconds:g} s and was stopped",
            }
        else:
            status = {"status": "exited", "message": f"the script called {exc}"}
    except BaseException as exc:
        status = {"status": "error", "message": student_traceback(exc, submission)}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        os._exit = real_exit
    status["seconds"] = round(time.monotonic() - started, 3)
    return namespace, status


def reset_torch_modes() -> None:
    """Undo global autograd switches a script may leave behind.

    `torch.set_grad_enabled(False)` at the end of a plotting script is fine
    under `python hwN.py` but would break every later call of the student's
    training function; each probe starts in torch's default modes instead.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return
    torch.set_grad_enabled(True)
    torch.autograd.set_detect_anomaly(False)


def keep_plots_headless() -> None:
    """Plots never need a screen: `matplotlib.use("TkAgg")` keeps the Agg backend.

    MPLBACKEND=Agg covers the default; a script that names an interactive
    backend itself would otherwise die with "cannot load backend" before it
    trains anything. Only paid for scripts that mention matplotlib.
    """
    try:
        import matplotlib
    except ImportError:
        return
    original_use = matplotlib.use

    def use(backend: str, *args: Any, **kwargs: Any) -> None:
        if str(backend).lower() in ("agg", "pdf", "svg", "ps", "cairo", "pgf", "template"):
            original_use(backend, *args, **kwargs)

    matplotlib.use = use


def prepare_torch() -> None:
    """One thread (deterministic sums, fork-safe) and the lazy imports paid up front.

    Building the first optimizer imports torch._dynamo (seconds). Paid here,
    once, before the script and before the probes fork, it is inherited by
    every probe instead of being paid again in each, and never counts against
    the student's time. Only for assignments whose probes import torch.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return
    torch.set_num_threads(1)
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.0)


def connect(channel: str) -> socket.socket:
    kind, _, where = channel.partition(":")
    if kind == "fd":
        return socket.socket(fileno=int(where))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sock.connect(where)
    return sock


def left_globals(namespace: dict[str, Any]) -> dict[str, str]:
    """Names the script left (not dunders), each with the name of its type."""
    found: dict[str, str] = {}
    for name in list(namespace)[: 20 * MAX_GLOBALS]:
        if not isinstance(name, str) or name.startswith("__"):
            continue
        try:
            value = namespace[name]
            kind = "function" if callable(value) else type(value).__name__
        except BaseException:
            kind = "object"
        found[name[:200]] = str(kind)[:100]
        if len(found) >= MAX_GLOBALS:
            break
    return found


def main(argv: list[str] | None = None) -> None:
    submission, channel, config_json = (argv or sys.argv[1:])[:3]
    config = json.loads(config_json)
    control = connect(channel)
    guard = ImportGuard(config.get("forbidden_imports", []), submission)
    if guard.forbidden:
        guard.install()
    seed = int(config.get("seed", 0))
    seed_everything(seed)
    source = Path(submission).read_text(encoding="utf-8")
    if "matplotlib" in source or "seaborn" in source:
        keep_plots_headless()
    namespace, script_status = run_script(
        source, submission, config["script_seconds"], notebook=config.get("notebook", False)
    )
    with contextlib.suppress(BaseException):  # a script that broke torch broke only its calls
        prepare_torch()
    if isinstance(script_status.get("message"), str):
        script_status["message"] = script_status["message"][:4000]
    script_status["forbidden_imports"] = list(guard.attempts)[:50]
    flush_streams()
    send_datagram(
        control, {"op": "hello", "script": script_status, "globals": left_globals(namespace)}
    )

    def prepare_session(label: str) -> Any:
        guard.attempts.clear()
        seed_everything(label_seed(seed, label))
        reset_torch_modes()
        return lambda: {"forbidden_imports": list(guard.attempts)[:50]}

    serve_control(control, namespace, submission, prepare_session)
    flush_streams()
    os._exit(0)
