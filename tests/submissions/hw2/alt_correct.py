"""A correct hw2 written unlike the reference: index loop, 0-d w, w.data update,
w.grad = None, torch.autograd.grad, x.grad of the caller's tensor, a plot."""

import matplotlib.pyplot as plt
import torch


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    xs = torch.tensor(x_data)
    ys = torch.tensor(y_data)
    w = torch.tensor(w_init, requires_grad=True)
    losses = []
    epoch = 0
    while epoch < epochs:
        for i in range(len(xs)):
            loss = (xs[i] * w - ys[i]).pow(2)
            loss.backward()
            w.data -= lr * w.grad
            w.grad = None
        losses.append(loss.detach())
        epoch += 1
    return w, losses


def mean_square_grad(x):
    x = x.detach().requires_grad_()
    (grad,) = torch.autograd.grad((3 * (x + 2) ** 2).mean(), x)
    return grad


def vector_jacobian_product(f, x, v):
    y = f(x)
    y.backward(v)
    return x.grad


def no_grad_square(x):
    with torch.no_grad():
        y = x * x
    return y


if __name__ == "__main__":
    w, losses = train_linear([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    print("w =", float(w))
    plt.plot([float(l) for l in losses])
    plt.yscale("log")
    plt.show()
