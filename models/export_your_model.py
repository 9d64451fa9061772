#!/usr/bin/python3
"""Example: turn your own PyTorch classifier into an Uncertainty Explorer
bundle.

This wraps a torchvision ResNet-18 (RGB, 224x224, ImageNet normalization),
replaces its final ``fc`` layer by a dropout head, and saves it as a bundle
with ``bundle.save_bundle``. Runs offline in a few seconds:

  /usr/bin/python3 models/export_your_model.py --classes cat,dog,bird \\
      --out /tmp/resnet18-mc.pt [--weights my_finetuned_resnet18.pth]

What the app needs from a bundle
--------------------------------
* A TorchScript module made with ``torch.jit.script`` -- NOT
  ``torch.jit.trace``. Tracing records the operations that ran once; traced
  in eval mode, dropout is a no-op and simply vanishes from the graph (MC
  dropout then gives identical samples, i.e. zero epistemic uncertainty).
  Traced in train mode, dropout stays but BatchNorm is frozen into using
  batch statistics. Scripting keeps the ``self.training`` switches.
* Dropout as ``nn.Dropout`` modules (not ``F.dropout(x, p, True)`` calls
  or custom classes): for MC dropout the app puts the model in eval mode and
  then switches ONLY the Dropout modules (found by type/name) to train mode.
  BatchNorm therefore stays in eval mode and uses its running statistics --
  which is what you want; never run BatchNorm in train mode at inference.
* Optional: ``encode`` and ``head`` methods marked with
  ``@torch.jit.export``, with ``forward(x) == head(encode(x))`` and ALL
  dropout inside ``head``. The app then runs the expensive ``encode`` once
  per image and samples only the cheap ``head`` T times. Without them
  (``--no-split`` exports the plain torchvision ResNet whose ``fc`` is
  Sequential(Dropout, Linear)), the app looks for the same split in the
  scripted graph itself: the last point before the first dropout that only
  one tensor crosses. If your model has dropout inside the backbone, leave
  "methods" out of the meta; the app then runs the whole ``forward`` T
  times (or from the cut it finds).
* A ``meta.json`` (stored inside the .pt) with the class names and the
  preprocessing: pixels are scaled to [0, 1], then x' = (x - mean) / std per
  channel (RGB order), after stretching the image to height x width. If
  your model was trained with resize-256 + center-crop-224, predictions in
  the app will differ slightly from your evaluation pipeline.

Caveat: torchvision's ResNet-18 has no dropout. If you add a dropout head
to a network that was trained without one, MC sampling perturbs it in a way
it never saw; fine-tune at least the head with the dropout enabled (a few
epochs on cached features are enough) before trusting the uncertainties.
"""

import argparse
import os
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bundle  # noqa: E402

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
DEFAULT_CLASSES = "cat,dog,bird"


class MCDropoutClassifier(nn.Module):
    """Backbone (deterministic) + dropout head, in the bundle's shape."""

    def __init__(self, backbone: nn.Module, in_features: int,
                 num_classes: int, p: float):
        super().__init__()
        # The backbone must end at the pooled, flattened features. For a
        # torchvision ResNet that is the model with fc set to Identity.
        self.backbone = backbone
        # All stochasticity lives here, as nn.Dropout modules.
        self.classifier = nn.Sequential(
            nn.Dropout(p),
            nn.Linear(in_features, num_classes),
        )

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """[N,3,224,224] normalized image -> [N,512] features."""
        return self.backbone(x)

    @torch.jit.export
    def head(self, z: torch.Tensor) -> torch.Tensor:
        """[N,512] features -> [N,num_classes] logits."""
        return self.classifier(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encode(x))


ARCHITECTURES = ("resnet18", "resnet34", "resnet50")


def calibrate_batchnorm(resnet, batches=4):
    """Random weights only: sets BatchNorm's running statistics from a few random batches.

    With the default statistics (mean 0, variance 1) a random ResNet's activations grow layer
    by layer until the softmax saturates, and then rounding differences between two runs
    (GPU kernels, TF32) flip whole probabilities. Calibrated, the example behaves like a
    trained network numerically, which is what benchmarks and tests on it need."""
    for module in resnet.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.momentum = None  # cumulative average over the calibration batches
    resnet.train()
    with torch.no_grad():
        for _ in range(batches):
            resnet(torch.randn(8, 3, 224, 224))
    resnet.eval()


def build_model(num_classes, p, weights_path=None, arch="resnet18",
                split=True):
    # weights=None: nothing is downloaded. The weights are random, so the
    # exported example predicts nonsense, but the file is a valid bundle.
    resnet = getattr(torchvision.models, arch)(weights=None,
                                               num_classes=num_classes)

    # >>> Load YOUR weights here. A ResNet-18 fine-tuned on your classes
    # >>> (fc of shape [num_classes, 512]) loads directly:
    # >>>     resnet.load_state_dict(torch.load("my_resnet18.pth"))
    # >>> (--weights does exactly that.)
    if weights_path:
        state = torch.load(weights_path, map_location="cpu")
        resnet.load_state_dict(state)

    else:
        calibrate_batchnorm(resnet)

    in_features = resnet.fc.in_features
    fc = resnet.fc
    if not split:
        # The plain torchvision model, fc behind a dropout: no encode/head.
        resnet.fc = nn.Sequential(nn.Dropout(p), fc)
        return resnet.eval()
    # Move the trained fc into the dropout head, then cut it off the
    # backbone so that encode() returns the 512 pooled features.
    resnet.fc = nn.Identity()
    model = MCDropoutClassifier(resnet, in_features, num_classes, p)
    with torch.no_grad():
        model.classifier[1].weight.copy_(fc.weight)
        model.classifier[1].bias.copy_(fc.bias)
    return model.eval()


def parse_classes(args):
    if args.classes is not None:
        classes = [c.strip() for c in args.classes.split(",") if c.strip()]
    elif args.num_classes is not None:
        classes = ["class_%d" % i for i in range(args.num_classes)]
    else:
        classes = DEFAULT_CLASSES.split(",")
    if args.num_classes is not None and args.num_classes != len(classes):
        sys.exit("error: --num-classes %d but --classes lists %d names"
                 % (args.num_classes, len(classes)))
    if len(classes) < 2:
        sys.exit("error: need at least two classes")
    return classes


def check_bundle(path, model, meta):
    """Reloads the bundle and checks what the app relies on."""
    loaded = torch.jit.load(path, map_location="cpu")
    assert bundle.load_meta(path) == meta
    x = torch.randn(2, 3, meta["input"]["height"], meta["input"]["width"])
    loaded.eval()
    split = "methods" in meta
    with torch.no_grad():
        out = loaded(x)
        eager = model(x)
        if split:
            halves = loaded.head(loaded.encode(x))
            assert torch.allclose(out, halves, atol=1e-5), \
                "forward != head(encode)"
    assert out.shape == (2, len(meta["classes"])), out.shape
    assert torch.allclose(out, eager, atol=1e-4), "scripted != eager"

    # MC mode as in the app: only Dropout in train mode.
    bundle.set_mc_dropout(loaded, True)
    with torch.no_grad():
        if split:
            z = loaded.encode(x)
            assert torch.equal(z, loaded.encode(x)), \
                "encode is not deterministic"
            assert not torch.equal(loaded.head(z), loaded.head(z)), \
                "head is not stochastic: no active dropout"
        else:
            assert not torch.equal(loaded(x), loaded(x)), \
                "forward is not stochastic: no active dropout"
    names = [n for n, m in loaded.named_modules() if bundle.is_dropout(m)]
    print("checks passed; dropout modules: %s" % names)


def main():
    p = argparse.ArgumentParser(
        description="Export a ResNet-18 with a dropout head as a bundle.")
    p.add_argument("--classes", default=None,
                   help="comma-separated class names (default %s)"
                        % DEFAULT_CLASSES)
    p.add_argument("--num-classes", type=int, default=None,
                   help="number of classes; must match --classes if both "
                        "are given")
    p.add_argument("--dropout", type=float, default=0.2,
                   help="dropout probability of the head (default 0.2)")
    p.add_argument("--weights", default=None,
                   help="optional state_dict (.pth) of a torchvision "
                        "ResNet-18 with fc sized to your classes")
    p.add_argument("--name", default="resnet18-mc",
                   help="bundle name stored in meta.json")
    p.add_argument("--out",
                   default=os.path.join(tempfile.gettempdir(),
                                        "resnet18-mc.pt"),
                   help="output .pt path (default: in the temp directory)")
    p.add_argument("--arch", default="resnet18", choices=ARCHITECTURES,
                   help="torchvision backbone (default resnet18)")
    p.add_argument("--no-split", action="store_true",
                   help="export the plain torchvision model (fc = Sequential("
                        "Dropout, Linear)) without encode/head: the app then "
                        "finds the split in the graph")
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    start = time.perf_counter()
    classes = parse_classes(args)
    model = build_model(len(classes), args.dropout, args.weights, args.arch,
                        split=not args.no_split)

    # Script (never trace), from an eval-mode model. The saved training
    # flags do not matter: the app sets the modes itself.
    scripted = torch.jit.script(model)

    meta = {
        "format": bundle.FORMAT,
        "name": args.name,
        "classes": classes,
        "input": {"channels": 3, "height": 224, "width": 224,
                  "mean": IMAGENET_MEAN, "std": IMAGENET_STD,
                  "resize": "stretch"},
        "output": "logits",
        "methods": {"encode": "encode", "head": "head"},
        "description": "%s with a dropout head (example export%s%s)"
                       % (args.arch, "" if args.weights else ", random weights",
                          ", no encode/head" if args.no_split else ""),
    }
    if args.no_split:
        del meta["methods"]
    bundle.save_bundle(scripted, args.out, meta)
    print("wrote %s (%.1f MiB)" % (args.out,
                                   os.path.getsize(args.out) / 2.0**20))
    check_bundle(args.out, model, meta)
    print("done in %.1f s" % (time.perf_counter() - start))


if __name__ == "__main__":
    main()
