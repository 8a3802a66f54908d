# The classic tutorial script: NumPy first, then PyTorch, all at top level.
import numpy as np
import torch
import matplotlib.pyplot as plt

x = np.linspace(-1, 1, 100).reshape(100, 1)
y = 3 * np.power(x, 2) + 2 + 0.2 * np.random.rand(x.size).reshape(100, 1)

plt.scatter(x, y)
plt.show()

w1 = np.random.rand(1, 1)
b1 = np.random.rand(1, 1)
lr = 0.001
for i in range(800):
    y_pred = np.power(x, 2) * w1 + b1
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.sum()
    grad_w = np.sum((y_pred - y) * np.power(x, 2))
    grad_b = np.sum(y_pred - y)
    w1 -= lr * grad_w
    b1 -= lr * grad_b
print(w1, b1)

x = torch.linspace(-1, 1, 100).view(100, 1)
y = 3 * x.pow(2) + 2 + 0.2 * torch.rand(x.size())
w = torch.randn(1, 1, requires_grad=True)
b = torch.zeros(1, 1, requires_grad=True)
for ii in range(800):
    y_pred = x.pow(2).mm(w) + b
    loss = 0.5 * (y_pred - y) ** 2
    loss = loss.sum()
    loss.backward()
    w.data.sub_(lr * w.grad.data)
    b.data.sub_(lr * b.grad.data)
    w.grad.data.zero_()
    b.grad.data.zero_()
print(w, b)
plt.plot(x.numpy(), y_pred.detach().numpy())
plt.show()
