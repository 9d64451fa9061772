#!/usr/bin/python3
"""Small bundles without encode/head, for the tests of the automatic encode/head split.

  /usr/bin/python3 tests/models/make_split_models.py --out DIR

writes into DIR (Fashion-MNIST's input and classes, random weights, a few KiB each):

* dropout-head.pt: conv - BatchNorm - ReLU - pool - flatten, then a
  Sequential(Dropout, Linear, ReLU, Dropout, Linear) head: the app should cut
  after the flatten.
* input-dropout.pt: Dropout on the input itself: no cut (the input reaches it).
* two-branch.pt: conv_b(x) + dropout(conv_a(x)), conv_b first: two tensors
  cross every point before the dropout, so no cut.
* feature-dropout.pt: conv - ReLU - pool, then a head of Dropout2d (one draw per
  channel), flatten, Linear, ReLU, Dropout(inplace=True), Linear: the hashed
  dropout's per-channel and in-place variants.
* strided-dropout.pt: conv - ReLU, then Dropout, a permute, Dropout, the permute back,
  pool, Linear: the second dropout's input is a strided view (the hashed dropout's path for
  inputs that are not contiguous float32 on the CPU, as a GPU's are), wide enough for its
  masks to be made in several chunks.
* late-noise.pt: the head adds torch.randn_like noise (no Dropout module):
  random ops other than dropout also end the encoder.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "models"))
import bundle  # noqa: E402

CLASSES = ["T-shirt_top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
           "Sneaker", "Bag", "Ankle_boot"]


def features():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.MaxPool2d(4), nn.Flatten())


# "Dropout" in the class's name on purpose: the app must not take the model itself for a Dropout
# module (it would then train all of it, BatchNorm included, in MC mode).
class DropoutHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = features()
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(8 * 7 * 7, 32), nn.ReLU(),
                                        nn.Dropout(0.5), nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class NoisyInput(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.2)
        self.features = features()
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        return self.fc(self.features(self.drop(x)))


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 4, 3, padding=1)
        self.b = nn.Conv2d(1, 4, 3, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(4 * 28 * 28, 10)

    def forward(self, x):
        b = self.b(x)
        return self.fc(torch.flatten(self.drop(self.a(x)) + b, 1))


class LateNoise(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = features()
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        z = self.features(x)
        return self.fc(z + 0.1 * torch.randn_like(z))


class FeatureDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4))
        self.classifier = nn.Sequential(nn.Dropout2d(0.4), nn.Flatten(), nn.Linear(8 * 7 * 7, 32),
                                        nn.ReLU(), nn.Dropout(0.3, inplace=True),
                                        nn.Linear(32, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class ChannelsLast(nn.Module):
    def forward(self, x):
        return x.permute(0, 2, 3, 1)


class ChannelsFirst(nn.Module):
    def forward(self, x):
        return x.permute(0, 3, 1, 2)


class StridedDropout(nn.Module):
    """The second Dropout sees a permuted (non-contiguous) view, 16 x 28 x 28 values a row."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU())
        self.classifier = nn.Sequential(nn.Dropout(0.2), ChannelsLast(), nn.Dropout(0.3),
                                        ChannelsFirst(), nn.MaxPool2d(4), nn.Flatten(),
                                        nn.Linear(16 * 7 * 7, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


MODELS = {"dropout-head": DropoutHead, "input-dropout": NoisyInput, "two-branch": TwoBranch,
          "late-noise": LateNoise, "feature-dropout": FeatureDropout,
          "strided-dropout": StridedDropout}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(7)
    for name, make in MODELS.items():
        model = make().eval()
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):  # not the identity statistics
                module.running_mean.uniform_(-0.2, 0.2)
                module.running_var.uniform_(0.5, 1.5)
        meta = {"format": bundle.FORMAT, "name": name, "classes": CLASSES,
                "input": {"channels": 1, "height": 28, "width": 28, "mean": [0.2860],
                          "std": [0.3530], "resize": "stretch"},
                "output": "logits", "description": "test model without encode/head"}
        bundle.save_bundle(torch.jit.script(model), os.path.join(args.out, name + ".pt"), meta)


if __name__ == "__main__":
    main()
