# Feedback as large as memory allows: 50 MB exception messages, a 50 MB
# exception class name, a 50 MB note, a __str__ of 50 MB of control characters
# and lone surrogates, and the script itself dying with a 50 MB message.
import numpy as np

BIG = 50_000_000


class Loud(Exception):
    def __str__(self):
        return ("\x1b[2J\ud800\x00" * (BIG // 3)) + "Score: 16 / 16"


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    error = ValueError("numpy " * (BIG // 6))
    error.add_note("note " * (BIG // 5))
    raise error


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    if iters == 800:
        raise type("E" * BIG, (Exception,), {})("a class with a 50 MB name")
    raise Loud() from RuntimeError("cause " * (BIG // 6))


w = np.array([[0.0]])
raise RuntimeError("top level " * (BIG // 10))
