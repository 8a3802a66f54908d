"""A student's hw2, correct except for one slip: mean_square_grad differentiates
the sum of 3 (x + 2)^2 instead of its mean (written with torch.autograd.grad)."""

import torch


def train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100):
    w = torch.tensor(float(w_init), requires_grad=True)
    history = []
    for _ in range(epochs):
        for xi, yi in zip(x_data, y_data):
            err = (w * xi - yi) ** 2
            err.backward()
            with torch.no_grad():
                w.sub_(lr * w.grad)
                w.grad.zero_()
        history.append(float(err))
    return float(w), history


def mean_square_grad(x):
    x = x.clone().detach().requires_grad_(True)
    z = 3 * (x + 2) * (x + 2)
    total = torch.sum(z)  # the lesson takes z.mean()
    (grad,) = torch.autograd.grad(total, x)
    return grad


def vector_jacobian_product(f, x, v):
    leaf = x.detach().requires_grad_()
    f(leaf).backward(gradient=v)
    return leaf.grad


def no_grad_square(x):
    with torch.no_grad():
        return torch.square(x)


if __name__ == "__main__":
    print(mean_square_grad(torch.ones(2, 2)))
    w, history = train_linear([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    print("w =", w)
