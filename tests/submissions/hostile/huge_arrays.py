# Return arrays far larger than any limit: a zero-stride view and a real one.
import numpy as np


def forward(x, w1, w2):  # noqa: F811
    return np.broadcast_to(np.float64(1.0), (40_000, 40_000))  # 12.8 GB when materialised


_train = train


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):  # noqa: F811
    return np.ones((6000, 6000)), w2, [0.0] * steps  # 288 MB, beyond the output cap
