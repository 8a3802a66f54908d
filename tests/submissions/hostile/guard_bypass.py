# Undo the in-process import guard, erase its record, then reach for torch
# directly and through a fresh interpreter.
import builtins
import importlib
import subprocess
import sys

guard = next(f for f in sys.meta_path if type(f).__name__ == "ImportGuard")
sys.meta_path.remove(guard)
builtins.__import__ = guard._original_import
importlib.import_module = guard._original_import_module
try:
    importlib.import_module("to" + "rch")
    print("GOT TORCH")
except ImportError as exc:
    print("NO TORCH:", exc)
guard.attempts.clear()
child = subprocess.run(
    [sys.executable, "-c", "import torch"], capture_output=True, text=True, check=False
)
print("CHILD", child.returncode, child.stderr.strip().splitlines()[-1])
