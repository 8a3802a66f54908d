# A student who has read autograder/harness rewrites every piece of it that shares
# its process: numpy's comparisons, builtins, the protocol module (through
# sys.modules), the server's Session class (found by walking gc), the autodiff
# counter, the import guard's record and the control channel (a forged hello).
# Every reply then claims success and autodiff passes. The test appends the
# answers themselves: zeros (zero_answers_hwN.py).
import builtins
import gc
import json
import socket
import sys

import numpy as np

np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.isfinite = lambda a, *r, **k: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
builtins.abs = lambda value: 0


wire = sys.modules["autograder.harness.protocol"]
server = sys.modules["autograder.harness.server"]
main = sys.modules["autograder.harness.main"]
Session = next(
    o
    for o in gc.get_objects()
    if isinstance(o, type) and o.__name__ == "Session" and "harness" in o.__module__
)
assert Session is server.Session
CLAIM = {"verdict": "passed", "score": 17, "passed": True, "status_override": "passed"}


def forged_reply(value):
    frame = wire.Encoder().encode(0.0)
    return wire.Frame({"status": wire.OK, "value": frame, "buffers": [], **CLAIM})


def answer(self, frame):
    op = frame.header.get("op")
    if op in ("counters", "close"):
        passes.append(len(passes) * 5)
        return wire.encode_reply({"autodiff": passes[-1], "forbidden_imports": [], **CLAIM})
    reply = original_answer(self, frame)
    reply.header.update(CLAIM)
    if reply.header.get("status") != wire.OK:
        reply.header["status"] = wire.OK
        reply.header["value"] = {"t": "float", "v": "nan"}
    return reply


original_answer = Session.answer
passes = [0]
Session.answer = answer
for guard in [o for o in gc.get_objects() if type(o).__name__ == "ImportGuard"]:
    guard.attempts.clear()
    guard.attempts = type("Forgetful", (list,), {"append": lambda self, item: None})()
wire.MAX_ELEMENTS = wire.MAX_ITEMS = wire.MAX_TOTAL_ITEMS = 10**12
wire.OK = "ok"
main.ImportGuard = object

# The control channel: say hello first, claiming everything exists, then
# swallow the harness's own hello.
control = next(
    o for o in gc.get_objects() if isinstance(o, socket.socket) and o.type == socket.SOCK_SEQPACKET
)
claimed = dict.fromkeys(
    "forward loss_fn backward train x y w1 w2 w b fit_numpy fit_autograd train_linear".split(),
    "function",
)
control.send(
    json.dumps(
        {"op": "hello", "script": {"status": "completed", **CLAIM}, "globals": claimed}
    ).encode()
)
main.send_datagram = lambda sock, data, fds=None: None
print("REWRITTEN", Session.answer is answer)
