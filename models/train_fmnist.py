#!/usr/bin/python3
"""Trains the two bundled Fashion-MNIST models and writes the sample images.

Outputs (paths relative to the repository root, by default):

  models/fmnist-mc-cnn.pt    CNN with MC dropout in its head (bundle)
  models/fmnist-det-cnn.pt   deterministic twin, dropout replaced by Identity
  models/metrics.json        accuracies, timings, versions, seeds
  resources/samples/fashion-mnist/<class>/<NNNNN>.png
                             first 30 test images of each class

Reads Debian's ``dataset-fashion-mnist`` package from
/usr/share/datasets/fashion-mnist. Run from the repository root:

  /usr/bin/python3 models/train_fmnist.py

Everything is seeded and deterministic (torch.use_deterministic_algorithms,
PYTHONHASHSEED=0), so a rerun with the same torch build and thread count
reproduces byte-identical files.
"""

import argparse
import ctypes
import gzip
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bundle  # noqa: E402

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
           "Shirt", "Sneaker", "Bag", "Ankle boot"]
SAMPLES_PER_CLASS = 30
MC_PASSES = 30
DROPOUT_P = 0.5
BATCH_SIZE = 128
LEARNING_RATE = 2e-3
EVAL_BATCH = 1000


# --------------------------------------------------------------------------
# Data


def read_idx(path):
    """Parses a gzipped IDX file (images: magic 2051, labels: magic 2049)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big")
            for i in range(ndim)]
    offset = 4 + 4 * ndim
    array = np.frombuffer(data, dtype=np.uint8, offset=offset)
    if array.size != int(np.prod(dims)):
        raise ValueError("%s: size mismatch" % path)
    return array.reshape(dims)


def load_split(data_dir, split):
    images = read_idx(os.path.join(data_dir,
                                   "%s-images-idx3-ubyte.gz" % split))
    labels = read_idx(os.path.join(data_dir,
                                   "%s-labels-idx1-ubyte.gz" % split))
    assert images.shape[0] == labels.shape[0]
    assert images.shape[1:] == (28, 28)
    return images, labels.astype(np.int64)


def normalize(images, mean, std):
    """uint8 [N,28,28] -> float32 [N,1,28,28], x' = (x/255 - mean)/std."""
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return (x - mean) / std


# --------------------------------------------------------------------------
# Model


class FashionCNN(nn.Module):
    """Small CNN split into a deterministic encoder and a dropout head.

    ``encode`` maps [N,1,28,28] to 256 features. It holds BatchNorm but no
    dropout, so its output does not change when Dropout modules are put in
    train mode. ``head`` maps features to [N,10] logits; it holds all the
    dropout (or Identity in the deterministic twin). The app caches
    ``encode(x)`` and samples ``head`` T times for MC dropout.

    Three conv blocks (down to 3x3) keep the fully connected layer small:
    the bundle stays under 1 MB and an epoch takes ~25 s on two CPU cores.
    """

    def __init__(self, mc_dropout=True, p=DROPOUT_P, num_classes=10):
        super().__init__()

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout),
                    nn.ReLU(inplace=True), nn.MaxPool2d(2)]

        def drop():
            return nn.Dropout(p) if mc_dropout else nn.Identity()

        self.features = nn.Sequential(
            *block(1, 16),    # 28 -> 14
            *block(16, 32),   # 14 -> 7
            *block(32, 64),   # 7 -> 3
            nn.Flatten(),
            nn.Linear(64 * 3 * 3, 256),
            nn.ReLU(inplace=True),
        )
        self.classifier = nn.Sequential(
            drop(),
            nn.Linear(256, 128),
            nn.ReLU(inplace=True),
            drop(),
            nn.Linear(128, num_classes),
        )

    @torch.jit.export
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return self.features(x)

    @torch.jit.export
    def head(self, z: torch.Tensor) -> torch.Tensor:
        return self.classifier(z)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encode(x))


# --------------------------------------------------------------------------
# Training and evaluation


def train(model, x_train, y_train, x_test, y_test, epochs, seed, label):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    steps_per_epoch = (x_train.shape[0] + BATCH_SIZE - 1) // BATCH_SIZE
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(
        opt, T_max=epochs * steps_per_epoch)
    epoch_times = []
    for epoch in range(epochs):
        model.train()
        start = time.perf_counter()
        perm = torch.randperm(x_train.shape[0], generator=gen)
        total_loss, correct = 0.0, 0
        for i in range(steps_per_epoch):
            idx = perm[i * BATCH_SIZE:(i + 1) * BATCH_SIZE]
            xb, yb = x_train[idx], y_train[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * xb.shape[0]
            correct += (logits.argmax(1) == yb).sum().item()
        elapsed = time.perf_counter() - start
        epoch_times.append(elapsed)
        test_acc = evaluate(model, x_test, y_test)
        print("[%s] epoch %d/%d  loss %.4f  train acc %.4f  test acc %.4f  "
              "%.1f s" % (label, epoch + 1, epochs,
                          total_loss / x_train.shape[0],
                          correct / x_train.shape[0], test_acc, elapsed),
              flush=True)
    model.eval()
    return epoch_times


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], EVAL_BATCH):
        logits = model(x[i:i + EVAL_BATCH])
        correct += (logits.argmax(1) == y[i:i + EVAL_BATCH]).sum().item()
    return correct / x.shape[0]


@torch.no_grad()
def evaluate_mc(model, x, y, passes, seed):
    """MC-dropout accuracy: mean softmax over ``passes`` stochastic passes.

    Only Dropout modules are in train mode (BatchNorm stays in eval), as in
    the app. The encoder is deterministic, so it runs once per batch.
    """
    bundle.set_mc_dropout(model, True)
    torch.manual_seed(seed)
    correct = 0
    for i in range(0, x.shape[0], EVAL_BATCH):
        z = model.encode(x[i:i + EVAL_BATCH])
        probs = torch.zeros(z.shape[0], len(CLASSES))
        for _ in range(passes):
            probs += F.softmax(model.head(z), dim=1)
        probs /= passes
        correct += (probs.argmax(1) == y[i:i + EVAL_BATCH]).sum().item()
    model.eval()
    return correct / x.shape[0]


# --------------------------------------------------------------------------
# Export


def make_meta(name, mean, std, description, test_accuracy):
    return {
        "format": bundle.FORMAT,
        "name": name,
        "classes": list(CLASSES),
        "input": {"channels": 1, "height": 28, "width": 28,
                  "mean": [mean], "std": [std], "resize": "stretch"},
        "output": "logits",
        "methods": {"encode": "encode", "head": "head"},
        "description": description,
        "test_accuracy": round(test_accuracy, 4),
    }


def export(model, path, meta, x_check, expect_stochastic):
    model.eval()
    scripted = torch.jit.script(model)
    bundle.save_bundle(scripted, path, meta)

    # Reload and check against the eager model.
    loaded = torch.jit.load(path, map_location="cpu")
    loaded.eval()
    with torch.no_grad():
        eager = model(x_check)
        out = loaded(x_check)
        split = loaded.head(loaded.encode(x_check))
    assert out.shape == (x_check.shape[0], len(CLASSES)), out.shape
    assert torch.allclose(out, eager, atol=1e-5), \
        "%s: scripted output differs from eager" % path
    assert torch.allclose(split, out, atol=1e-6), \
        "%s: head(encode(x)) differs from forward(x)" % path
    assert bundle.load_meta(path) == meta, "%s: meta.json mismatch" % path

    # MC mode: encoder must be deterministic; head stochastic iff MC model.
    bundle.set_mc_dropout(loaded, True)
    with torch.no_grad():
        z1, z2 = loaded.encode(x_check), loaded.encode(x_check)
        h1, h2 = loaded.head(z1), loaded.head(z1)
    assert torch.equal(z1, z2), "%s: encoder is stochastic" % path
    assert torch.allclose(z1, model.encode(x_check).detach(), atol=1e-5), \
        "%s: encoder output changed in MC mode (BatchNorm in train?)" % path
    assert (not torch.equal(h1, h2)) == expect_stochastic, \
        "%s: head stochasticity is not as expected" % path
    loaded.eval()

    dropout_layers = [(n, getattr(m, "original_name", type(m).__name__))
                      for n, m in loaded.named_modules()
                      if bundle.is_dropout(m)]
    size = os.path.getsize(path)
    print("wrote %s (%.1f KiB); dropout modules: %s"
          % (path, size / 1024.0, dropout_layers or "none"), flush=True)
    return scripted, size


def write_samples(images, labels, out_dir):
    count = 0
    for c, name in enumerate(CLASSES):
        folder = os.path.join(out_dir, name.replace("/", "_"))
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):
            if old.endswith(".png"):
                os.remove(os.path.join(folder, old))
        indices = np.nonzero(labels == c)[0][:SAMPLES_PER_CLASS]
        for i in indices:
            Image.fromarray(images[i], mode="L").save(
                os.path.join(folder, "%05d.png" % i), optimize=True)
            count += 1
    print("wrote %d sample images under %s" % (count, out_dir), flush=True)
    return count


# --------------------------------------------------------------------------


def ensure_hash_seed():
    """Re-executes with PYTHONHASHSEED=0 so the .pt files are byte-identical.

    TorchScript serializes some class constants in set order, which depends
    on Python's per-process string hash seed.
    """
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def tune_malloc():
    """Keeps freed tensor buffers in glibc's heap instead of unmapping them.

    With the default thresholds every large activation is mmap()ed and
    munmap()ed per step; the page faults made training ~2x slower in VMs.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    libc.mallopt(m_trim_threshold, 1 << 30)
    libc.mallopt(m_top_pad, 256 << 20)
    libc.mallopt(m_mmap_threshold, 32 << 20)


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--epochs", type=int, default=6,
                   help="epochs per model (default 6)")
    p.add_argument("--out-dir", default=here,
                   help="where the bundles and metrics.json go "
                        "(default models/)")
    p.add_argument("--samples-dir",
                   default=os.path.join(root, "resources", "samples",
                                        "fashion-mnist"),
                   help="sample image folder "
                        "(default resources/samples/fashion-mnist)")
    p.add_argument("--data-dir", default=DATA_DIR,
                   help="Fashion-MNIST IDX files (default %s)" % DATA_DIR)
    p.add_argument("--threads", type=int, default=2,
                   help="torch intra-op threads (default 2)")
    p.add_argument("--seed", type=int, default=1234,
                   help="seed of the MC model; the deterministic model "
                        "uses seed+1 (default 1234)")
    return p.parse_args()


def main():
    args = parse_args()
    ensure_hash_seed()
    tune_malloc()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out_dir, exist_ok=True)
    wall_start = time.perf_counter()

    train_images, train_labels = load_split(args.data_dir, "train")
    test_images, test_labels = load_split(args.data_dir, "t10k")
    pixels = train_images.astype(np.float64) / 255.0
    mean = round(float(pixels.mean()), 4)
    std = round(float(pixels.std()), 4)
    print("train %s, test %s; normalization mean %.4f std %.4f "
          "(exact %.6f / %.6f)" % (train_images.shape, test_images.shape,
                                   mean, std, pixels.mean(), pixels.std()),
          flush=True)
    del pixels

    x_train = normalize(train_images, mean, std)
    y_train = torch.from_numpy(train_labels)
    x_test = normalize(test_images, mean, std)
    y_test = torch.from_numpy(test_labels)
    x_check = x_test[:256]

    metrics = {
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "threads": args.threads,
        "batch_size": BATCH_SIZE,
        "optimizer": "Adam lr %g, cosine decay per step" % LEARNING_RATE,
        "normalization": {"mean": [mean], "std": [std]},
        "models": {},
    }

    specs = [
        ("fmnist-mc-cnn", True, args.seed,
         "Fashion-MNIST CNN, dropout p=%.1f x2 in the head for MC dropout"
         % DROPOUT_P),
        ("fmnist-det-cnn", False, args.seed + 1,
         "Fashion-MNIST CNN, deterministic twin of fmnist-mc-cnn "
         "(no dropout)"),
    ]
    for name, mc, seed, description in specs:
        torch.manual_seed(seed)
        model = FashionCNN(mc_dropout=mc)
        start = time.perf_counter()
        epoch_times = train(model, x_train, y_train, x_test, y_test,
                            args.epochs, seed, name)
        train_time = time.perf_counter() - start
        acc = evaluate(model, x_test, y_test)
        entry = {
            "test_accuracy": acc,
            "epochs": args.epochs,
            "seed": seed,
            "train_wall_s": round(train_time, 1),
            "epoch_wall_s": [round(t, 1) for t in epoch_times],
            "parameters": sum(p.numel() for p in model.parameters()),
        }
        if mc:
            mc_acc = evaluate_mc(model, x_test, y_test, MC_PASSES, seed)
            entry["mc_accuracy"] = mc_acc
            entry["mc_passes"] = MC_PASSES
            print("[%s] test acc (eval) %.4f, MC-dropout acc (T=%d) %.4f"
                  % (name, acc, MC_PASSES, mc_acc), flush=True)
        else:
            print("[%s] test acc (eval) %.4f" % (name, acc), flush=True)
        path = os.path.join(args.out_dir, name + ".pt")
        _, size = export(model, path,
                         make_meta(name, mean, std, description, acc),
                         x_check, expect_stochastic=mc)
        entry["bundle_bytes"] = size
        metrics["models"][name] = entry

    metrics["total_wall_s"] = round(time.perf_counter() - wall_start, 1)
    with open(os.path.join(args.out_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")

    write_samples(test_images, test_labels, args.samples_dir)
    print("done in %.1f s" % (time.perf_counter() - wall_start))


if __name__ == "__main__":
    main()
