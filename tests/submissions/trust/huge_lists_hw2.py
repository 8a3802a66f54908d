# Millions of items: long flat lists, a wide nested list, a ten-million-item
# global, and (through a patched encoder) the largest header the protocol
# admits, 8 MiB of JSON holding millions of empty containers.
import json
import sys

import numpy as np

wire = sys.modules["autograder.harness.protocol"]
encode_reply = wire.encode_reply


class Flood:
    pass


def flooding_encode_reply(value, *args):
    if isinstance(value, Flood):
        items = json.loads("[" + ",".join(["[]", "{}"] * (wire.MAX_HEADER_BYTES // 6 - 20)) + "]")
        return wire.Frame(
            {"status": wire.OK, "value": {"t": "list", "items": items}, "buffers": []}
        )
    return encode_reply(value, *args)


wire.encode_reply = flooding_encode_reply


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    return 0.0, [0.5] * 5_000_000


def mean_square_grad(x):
    return [[0.0] * 1_000] * 3_000


def vector_jacobian_product(f, x, v):
    return Flood()


def no_grad_square(x):
    return np.arange(4_000_000, dtype=np.float64).tolist()


w = [0.0] * 10_000_000
