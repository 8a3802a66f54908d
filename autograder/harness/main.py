"""Harness entry point: run the submission as a script, then every probe.

    python -c "...; from autograder.harness.main import main; main()" \
        SUBMISSION ASSIGNMENT_DIR OUTPUT_DIR CONFIG_JSON

Writes OUTPUT_DIR/run.json (how the script run went) and, per probe,
OUTPUT_DIR/probes/<name>.json plus <name>.npz. Each probe runs in a forked
child so that a crash, `os._exit`, a hang or leftover global state in one
probe costs only that probe's checks.

Probes run in the spec's order, so the same submission always gets the same
report. What keeps a hanging function from starving the probes after it is
the time each probe is allowed: never more than its own limit, and never so
much that the probes still to come could not have their reserve before the
run's wall-clock limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
import types
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from autograder.harness.guard import ImportGuard
from autograder.harness.probe import Context, ProbeFailure, summarise_failure
from autograder.harness.wire import Encoder, UnsupportedValue

MAX_MESSAGE = 4000
# Kept back from the run's wall-clock limit: the sandbox starting, results written.
WALL_MARGIN_SECONDS = 2.0
# What a probe still to come is guaranteed when earlier ones hang: enough to
# read script globals or call a quick function, not to train.
PROBE_RESERVE_SECONDS = 2.0

# Bound before any student code runs, so a script that reassigns os.fork or
# time.monotonic cannot steer the harness.
_fork, _waitpid, _kill, _exit = os.fork, os.waitpid, os.kill, os._exit
_monotonic, _sleep = time.monotonic, time.sleep
_STARTED = _monotonic()


class ScriptInterrupted(BaseException):
    """Raised into the script on time-out or `os._exit`; BaseException so that
    the student's `except Exception:` cannot swallow it."""


def probe_seed(seed: int, name: str) -> int:
    return (seed * 1_000_003 + zlib.crc32(name.encode())) % 2**32


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(seed)


def student_traceback(exc: BaseException, submission: str) -> str:
    """The exception line plus only the frames in the student's own file."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == submission]
    name = Path(submission).name
    lines = [f"  {name}, line {f.lineno}, in {f.name}: {(f.line or '').strip()}" for f in frames]
    head = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return "\n".join([head, *lines[-5:]])[:MAX_MESSAGE]


def flush_streams() -> None:
    """Flush before fork or exit; the script may have replaced or closed the streams."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(BaseException):
            stream.flush()  # type: ignore[union-attr]


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Atomically, through a fresh temporary name the script cannot block in advance."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps(data, allow_nan=False))
    os.replace(tmp, path)


def clear(path: Path) -> None:
    """Remove whatever the script left at a path the harness is about to write."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def load_probes(assignment_dir: Path) -> types.ModuleType:
    import importlib.util

    spec = importlib.util.spec_from_file_location("autograde_probes", assignment_dir / "probes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def run_probe_child(
    probe: Any,
    name: str,
    namespace: dict[str, Any],
    config: dict[str, Any],
    guard: ImportGuard,
    out: Path,
) -> None:
    """Body of a forked probe child; always ends in os._exit."""
    result: dict[str, Any]
    encoder = Encoder()
    try:
        guard.attempts.clear()
        seed = probe_seed(config["seed"], name)
        seed_everything(seed)
        reset_torch_modes()
        ctx = Context(
            namespace,
            seed=seed,
            entry=config["entry"],
            contract=config.get("contract", {}),
            script_problem=config.get("script_problem"),
        )
        values = probe(ctx)
        if not isinstance(values, dict):
            raise TypeError(f"probe {name} returned {type(values).__name__}, not a dict")
        result = {"status": "ok", "values": encoder.encode(values)}
    except ProbeFailure as exc:
        result = {"status": "error", "message": str(exc)[:MAX_MESSAGE]}
    except UnsupportedValue as exc:
        result = {
            "status": "error",
            "message": f"the submission returned {exc}, which the grader cannot compare",
        }
    except BaseException as exc:
        trace = student_traceback(exc, config["submission"])
        # Frames in the student's file mean their code raised; none means the
        # probe choked on what their code returned.
        prefix = "raised " if "\n" in trace else "failed: "
        result = {"status": "error", "message": prefix + trace}
    result["forbidden_imports"] = list(guard.attempts)
    try:
        if encoder.arrays and result["status"] == "ok":
            result = save_arrays(out / f"{name}.npz", encoder.arrays, result)
        write_json(out / f"{name}.json", result)
    finally:
        flush_streams()
        _exit(0)


def save_arrays(path: Path, arrays: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """Write the arrays; when they do not fit the sandbox's output cap, drop the
    partial file (it would starve every later probe) and fail this probe only."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over RLIMIT_FSIZE: EFBIG, not death
    try:
        np.savez(path, **arrays)
    except OSError as exc:
        path.unlink(missing_ok=True)
        return {
            "status": "error",
            "message": "the submission returned more data than the grader accepts "
            f"({exc.strerror})",
            "forbidden_imports": result["forbidden_imports"],
        }
    return result


def wait_child(pid: int, seconds: float) -> dict[str, Any]:
    deadline = _monotonic() + seconds
    delay = 0.001
    while True:
        done, status = _waitpid(pid, os.WNOHANG)
        if done:
            if os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                return {"status": "crashed", "signal": signal.Signals(sig).name}
            return {"status": "exited", "code": os.WEXITSTATUS(status)}
        if _monotonic() > deadline:
            _kill(pid, signal.SIGKILL)
            _waitpid(pid, 0)
            return {"status": "timeout"}
        _sleep(delay)
        delay = min(delay * 2, 0.02)


def run_started(config: dict[str, Any]) -> float:
    """When the sandbox's wall clock started: the grader's launch time, unless a
    clock of our own (a time namespace) makes it implausible; then our start."""
    launched = config.get("launched_at")
    if isinstance(launched, float) and 0 <= _STARTED - launched <= config["wall_seconds"]:
        return launched
    return _STARTED


def probe_allowance(remaining: float, probes_after: int, probe_seconds: float) -> float:
    """Seconds the next probe may take: its own limit, less what the probes after
    it are owed, but at least its own reserve while time remains."""
    reserve = min(probe_seconds, PROBE_RESERVE_SECONDS)
    owed = probes_after * reserve
    return max(0.0, min(probe_seconds, max(remaining - owed, min(reserve, remaining))))


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


def main(argv: list[str] | None = None) -> None:
    submission, assignment_dir, output_dir, config_json = (argv or sys.argv[1:])[:4]
    config = json.loads(config_json)
    config["submission"] = submission
    out = Path(output_dir)
    probes_out = out / "probes"
    probes_out.mkdir(parents=True, exist_ok=True)
    run: dict[str, Any] = {"script": {"status": "not_run"}, "probes": {}}

    probes = load_probes(Path(assignment_dir))
    prepare_torch()
    missing = [n for n in config["probes"] if not callable(getattr(probes, n, None))]
    if missing:
        run["missing_probes"] = missing
        write_json(out / "run.json", run)
        _exit(0)

    guard = ImportGuard(config.get("forbidden_imports", []), submission)
    if guard.forbidden:
        guard.install()
    seed_everything(config["seed"])
    source = Path(submission).read_text(encoding="utf-8")
    if "matplotlib" in source or "seaborn" in source:
        keep_plots_headless()
    namespace, script_status = run_script(
        source, submission, config["script_seconds"], notebook=config.get("notebook", False)
    )
    script_status["forbidden_imports"] = list(guard.attempts)
    contract = config.get("contract", {})
    script_status["missing_contract"] = [n for n in contract if not callable(namespace.get(n))]
    run["script"] = script_status
    write_json(out / "run.json", run)
    if script_status["status"] != "completed":
        config["script_problem"] = summarise_failure(script_status.get("message", ""))

    deadline = run_started(config) + config["wall_seconds"] - WALL_MARGIN_SECONDS
    names = config["probes"]
    for index, name in enumerate(names):
        for leftover in (f"{name}.json", f"{name}.npz"):
            clear(probes_out / leftover)
        started = _monotonic()
        probes_after = len(names) - index - 1
        allowed = probe_allowance(deadline - started, probes_after, config["probe_seconds"])
        if allowed <= 0:
            run["probes"][name] = {"status": "no_time"}
            write_json(out / "run.json", run)
            continue
        flush_streams()
        pid = _fork()
        if pid == 0:
            run_probe_child(getattr(probes, name), name, namespace, config, guard, probes_out)
        outcome = wait_child(pid, allowed)
        if outcome["status"] == "timeout":
            outcome["limit"] = round(allowed, 3)
        outcome["seconds"] = round(_monotonic() - started, 3)
        run["probes"][name] = outcome
        write_json(out / "run.json", run)

    flush_streams()
    _exit(0)
