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


def logits_of(output):
    """The class logits in a model output.

    ``output`` is a [N,C] logits tensor, or a (logits, logvar) tuple from a
    heteroscedastic model.
    """
    return output[0] if isinstance(output, tuple) else output


def cross_entropy_loss(model, xb, yb):
    """Default training loss; returns (loss, logits) for one batch."""
    logits = model(xb)
    return F.cross_entropy(logits, yb), logits


def train(model, x_train, y_train, x_test, y_test, epochs, seed, label,
          loss_fn=cross_entropy_loss):
    """Adam with cosine decay, batch ``BATCH_SIZE``; returns epoch times.

    ``loss_fn(model, xb, yb)`` returns (scalar loss, [B,C] logits); the
    logits only serve the printed training accuracy.
    """
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
            loss, logits = loss_fn(model, xb, yb)
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


def accuracy(scores, y):
    """Fraction of rows of ``scores`` (logits or probabilities) whose argmax
    is the label."""
    return (scores.argmax(1) == y).sum().item() / y.shape[0]


@torch.no_grad()
def evaluate(model, x, y):
    """Accuracy of argmax logits with the model in eval mode (one pass)."""
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], EVAL_BATCH):
        logits = logits_of(model(x[i:i + EVAL_BATCH]))
        correct += (logits.argmax(1) == y[i:i + EVAL_BATCH]).sum().item()
    return correct / x.shape[0]


@torch.no_grad()
def predict_probs(model, x, passes=0, seed=0):
    """[N,C] mean softmax of the (first) logits.

    ``passes`` == 0: one pass in eval mode. Otherwise the mean of ``passes``
    stochastic passes with only Dropout modules in train mode (BatchNorm in
    eval), as in the app; the encoder is deterministic, so it runs once per
    batch and ``head`` ``passes`` times. Models whose ``head`` is random in
    eval mode (stochastic weights) are sampled the same way.
    """
    if passes == 0:
        model.eval()
        return torch.cat([F.softmax(logits_of(model(x[i:i + EVAL_BATCH])),
                                    dim=1)
                          for i in range(0, x.shape[0], EVAL_BATCH)])
    bundle.set_mc_dropout(model, True)
    torch.manual_seed(seed)
    chunks = []
    for i in range(0, x.shape[0], EVAL_BATCH):
        z = model.encode(x[i:i + EVAL_BATCH])
        probs = torch.zeros(z.shape[0], len(CLASSES))
        for _ in range(passes):
            probs += F.softmax(logits_of(model.head(z)), dim=1)
        chunks.append(probs / passes)
    model.eval()
    return torch.cat(chunks)


def evaluate_mc(model, x, y, passes, seed):
    """MC accuracy: argmax of the mean softmax over ``passes`` passes."""
    return accuracy(predict_probs(model, x, passes, seed), y)


# --------------------------------------------------------------------------
# Export


def make_meta(name, mean, std, description, test_accuracy, output="logits"):
    return {
        "format": bundle.FORMAT,
        "name": name,
        "classes": list(CLASSES),
        "input": {"channels": 1, "height": 28, "width": 28,
                  "mean": [mean], "std": [std], "resize": "stretch"},
        "output": output,
        "methods": {"encode": "encode", "head": "head"},
        "description": description,
        "test_accuracy": round(test_accuracy, 4),
    }


CHECK_SEED = 7


def _seeded(fn, x, seed):
    """Runs ``fn(x)`` after torch.manual_seed(seed) (if seed is not None);
    returns the output as a tuple of tensors."""
    if seed is not None:
        torch.manual_seed(seed)
    out = fn(x)
    return out if isinstance(out, tuple) else (out,)


def _close(a, b, atol):
    return len(a) == len(b) and all(torch.allclose(u, v, atol=atol)
                                    for u, v in zip(a, b))


def _equal(a, b):
    return len(a) == len(b) and all(torch.equal(u, v) for u, v in zip(a, b))


def export(model, path, meta, x_check, expect_stochastic,
           random_forward=False):
    """Scripts ``model``, saves it as a bundle, reloads it and checks it.

    ``expect_stochastic``: ``head`` must vary between calls in MC mode (only
    Dropout modules training). ``random_forward``: the forward is random
    even in eval mode (stochastic weights); then eager and scripted outputs
    are compared under the same torch.manual_seed, and two eval-mode passes,
    as well as identical rows of one batch, must differ. Tuple outputs
    (``output`` "logits_logvar") are checked element by element.
    """
    model.eval()
    scripted = torch.jit.script(model)
    bundle.save_bundle(scripted, path, meta)

    # Reload and check against the eager model.
    seed = CHECK_SEED if random_forward else None
    loaded = torch.jit.load(path, map_location="cpu")
    loaded.eval()
    with torch.no_grad():
        eager = _seeded(model, x_check, seed)
        out = _seeded(loaded, x_check, seed)
        split = _seeded(lambda x: loaded.head(loaded.encode(x)), x_check,
                        seed)
        again = _seeded(loaded, x_check, None)
    expected_len = 2 if meta["output"] == "logits_logvar" else 1
    assert len(out) == expected_len, "%s: %d output tensors" % (path,
                                                                len(out))
    for t in out:
        assert t.shape == (x_check.shape[0], len(CLASSES)), t.shape
    assert _close(out, eager, 1e-5), \
        "%s: scripted output differs from eager" % path
    assert _close(split, out, 1e-6), \
        "%s: head(encode(x)) differs from forward(x)" % path
    assert bundle.load_meta(path) == meta, "%s: meta.json mismatch" % path
    assert (not _equal(again, out)) == random_forward, \
        "%s: eval-mode forward randomness is not as expected" % path
    if random_forward:
        # The app replicates one image T times in a batch: rows must differ.
        with torch.no_grad():
            rows = loaded(x_check[:1].expand(8, -1, -1, -1).contiguous())
        rows = logits_of(rows)
        assert all(not torch.equal(rows[i], rows[j])
                   for i in range(8) for j in range(i)), \
            "%s: replicated rows of one batch got the same sample" % path

    # MC mode: encoder must be deterministic; head stochastic iff MC model.
    bundle.set_mc_dropout(loaded, True)
    with torch.no_grad():
        z1, z2 = loaded.encode(x_check), loaded.encode(x_check)
        h1, h2 = _seeded(loaded.head, z1, None), _seeded(loaded.head, z1,
                                                          None)
    assert torch.equal(z1, z2), "%s: encoder is stochastic" % path
    assert torch.allclose(z1, model.encode(x_check).detach(), atol=1e-5), \
        "%s: encoder output changed in MC mode (BatchNorm in train?)" % path
    assert (not _equal(h1, h2)) == expect_stochastic, \
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


MERGED_SECTIONS = ("models", "ensembles")


def update_metrics(path, updates):
    """Merges ``updates`` into the JSON file at ``path``.

    Top-level keys are replaced, except the sections "models" and
    "ensembles", whose entries are replaced one by one: each training script
    rewrites its own models and leaves the others' entries alone.
    """
    metrics = {}
    if os.path.exists(path):
        with open(path) as f:
            metrics = json.load(f)
    for key, value in updates.items():
        if key in MERGED_SECTIONS and isinstance(metrics.get(key), dict):
            metrics[key].update(value)
        else:
            metrics[key] = value
    with open(path, "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")


# --------------------------------------------------------------------------
# Setup shared by the training scripts


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


def setup_torch(threads):
    """Deterministic, seeded runs: hash seed, malloc, threads, algorithms."""
    ensure_hash_seed()
    tune_malloc()
    torch.set_num_threads(threads)
    torch.use_deterministic_algorithms(True)


def load_data(data_dir):
    """Loads Fashion-MNIST; returns a namespace with ``mean``/``std`` (the
    training-set pixel statistics rounded to 4 decimals, as in the meta),
    normalized ``x_train``/``x_test`` [N,1,28,28], labels ``y_train``/
    ``y_test``, and the raw uint8 ``test_images``/``test_labels``."""
    train_images, train_labels = load_split(data_dir, "train")
    test_images, test_labels = load_split(data_dir, "t10k")
    pixels = train_images.astype(np.float64) / 255.0
    mean = round(float(pixels.mean()), 4)
    std = round(float(pixels.std()), 4)
    print("train %s, test %s; normalization mean %.4f std %.4f "
          "(exact %.6f / %.6f)" % (train_images.shape, test_images.shape,
                                   mean, std, pixels.mean(), pixels.std()),
          flush=True)
    del pixels
    return argparse.Namespace(
        mean=mean, std=std,
        x_train=normalize(train_images, mean, std),
        y_train=torch.from_numpy(train_labels),
        x_test=normalize(test_images, mean, std),
        y_test=torch.from_numpy(test_labels),
        test_images=test_images, test_labels=test_labels)


def common_args(description, epochs, seed, threads=1, seed_help=None):
    """Argument parser with the options every training script has:
    --epochs, --out-dir, --data-dir, --threads, --seed."""
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--epochs", type=int, default=epochs,
                   help="epochs per model (default %d)" % epochs)
    p.add_argument("--out-dir", default=here,
                   help="where the bundles and metrics.json go "
                        "(default models/)")
    p.add_argument("--data-dir", default=DATA_DIR,
                   help="Fashion-MNIST IDX files (default %s)" % DATA_DIR)
    p.add_argument("--threads", type=int, default=threads,
                   help="torch intra-op threads (default %d)" % threads)
    p.add_argument("--seed", type=int, default=seed,
                   help=seed_help or "training seed (default %d)" % seed)
    return p


def parse_args():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p = common_args(__doc__.split("\n")[0], epochs=6, seed=1234, threads=2,
                    seed_help="seed of the MC model; the deterministic model "
                              "uses seed+1 (default 1234)")
    p.add_argument("--samples-dir",
                   default=os.path.join(root, "resources", "samples",
                                        "fashion-mnist"),
                   help="sample image folder "
                        "(default resources/samples/fashion-mnist)")
    return p.parse_args()


def main():
    args = parse_args()
    setup_torch(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    wall_start = time.perf_counter()

    data = load_data(args.data_dir)
    mean, std = data.mean, data.std
    x_train, y_train = data.x_train, data.y_train
    x_test, y_test = data.x_test, data.y_test
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
    update_metrics(os.path.join(args.out_dir, "metrics.json"), metrics)

    write_samples(data.test_images, data.test_labels, args.samples_dir)
    print("done in %.1f s" % (time.perf_counter() - wall_start))


if __name__ == "__main__":
    main()
