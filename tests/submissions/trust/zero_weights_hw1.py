# No training: train hands back all-zero weights and a flat loss curve.
import numpy as np


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    return np.zeros_like(w1), np.zeros_like(w2), [0.0] * steps
