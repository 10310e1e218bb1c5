#!/usr/bin/env python3
"""The PyTorch reference for `npm run bench`: the project's simple CNN (conv32-conv32-pool-
conv64-conv64-pool-dense512-dense10, 3x3 'same' convs, BN before ReLU optional, no bias before
BN), batch 64, 32x32x3 synthetic data, SGD with momentum 0.9, on one thread by default.
Prints images/s (median step time over the timed steps).

  python3 bench/torch-reference.py [--bn] [--channels-last] [--threads 1] [--steps 20] [--warmup 5]

--channels-last stores activations NHWC (the lab's layout), which oneDNN's convolutions prefer on
some CPUs; the faster of the two layouts is the fair reference.

Debian: apt-get install python3-torch (1.13, oneDNN). bench/quiet-machine.sh alternates it with
the lab's bench so both see the same machine state.
"""
import argparse
import statistics
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument("--bn", action="store_true")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--steps", type=int, default=20)
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--batch", type=int, default=64)
p.add_argument("--channels-last", action="store_true")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)


def block(cin, cout):
    layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=not a.bn)]
    if a.bn:
        layers.append(nn.BatchNorm2d(cout, eps=1e-3, momentum=0.1))
    layers.append(nn.ReLU())
    return layers


dense = [nn.Linear(64 * 8 * 8, 512, bias=not a.bn)]
if a.bn:
    dense.append(nn.BatchNorm1d(512, eps=1e-3, momentum=0.1))
model = nn.Sequential(
    *block(3, 32), *block(32, 32), nn.MaxPool2d(2),
    *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
    nn.Flatten(), *dense, nn.ReLU(), nn.Linear(512, 10),
)
fmt = torch.channels_last if a.channels_last else torch.contiguous_format
model = model.to(memory_format=fmt)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.rand(a.batch, 3, 32, 32).contiguous(memory_format=fmt)
y = torch.randint(0, 10, (a.batch,))
loss_fn = nn.CrossEntropyLoss()
times = []
for i in range(a.warmup + a.steps):
    t0 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    float(loss)
    if i >= a.warmup:
        times.append(time.perf_counter() - t0)
ms = statistics.median(times) * 1000
print(f"pytorch {torch.__version__} simple-cnn bn={'before-activation' if a.bn else 'none'} "
      f"{'channels-last ' if a.channels_last else ''}threads={a.threads}: {a.batch * 1000 / ms:.1f} images/s ({ms:.1f} ms/step)")
