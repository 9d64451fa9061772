"""Models without encode/head: the CLI finds the split in the scripted graph (a torchvision
ResNet-18 whose fc is Sequential(Dropout, Linear)), says so, and its numbers stay PyTorch's; where
the graph has no cut it says why and runs the whole model every pass."""
import os
import subprocess
import sys

import numpy as np
import torch
from PIL import Image

from clitest import CliTestCase, REPO, main, read_csv, run_cli, sample_files
from torch_oracle import load_bundle


def rgb_images(folder, count, side):
    """Random RGB PNGs already at the model's size, so no resize stands between the two sides."""
    random = np.random.default_rng(5)
    paths = []
    for i in range(count):
        path = os.path.join(folder, "img%d.png" % i)
        Image.fromarray(random.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths


def pytorch_probabilities(model_path, files):
    model, meta = load_bundle(model_path)
    mean = np.array(meta["input"]["mean"])[None, :, None, None]
    std = np.array(meta["input"]["std"])[None, :, None, None]
    pixels = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float64) / 255.0
                       for p in files]).transpose(0, 3, 1, 2)
    x = torch.from_numpy(((pixels - mean) / std).astype(np.float32))
    with torch.no_grad():
        return meta["classes"], torch.softmax(model(x), dim=1).numpy()


class AutoSplit(CliTestCase):
    def test_resnet_without_encode_head_is_cached_and_agrees_with_pytorch(self):
        bundle = self.path("resnet-no-split.pt")
        subprocess.run([sys.executable, os.path.join(REPO, "models", "export_your_model.py"),
                        "--no-split", "--out", bundle], check=True, timeout=300)
        proc = run_cli("info", "-m", bundle)
        self.assertRan(proc)
        self.assertIn("not exported, found automatically in the graph (after aten::flatten; the "
                      "head starts at fc.0 (aten::dropout)) and verified against forward: the "
                      "encoder runs once per image", proc.stdout)

        files = rgb_images(self.tmp, 3, 224)
        out = self.path("det.csv")
        self.assertRan(run_cli("analyze", "-m", bundle, "-i", *files, "--method",
                               "deterministic", "-o", out, "-q"))
        rows = read_csv(out)
        classes, expected = pytorch_probabilities(bundle, [r["path"] for r in rows])
        ours = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        self.assertLess(np.abs(ours - expected).max(), 1e-5)

        # The same seed gives the same draws whether the encoder is cached or not.
        means = []
        for extra in ([], ["--no-cache"]):
            out = self.path("mc%d.csv" % len(extra))
            self.assertRan(run_cli("analyze", "-m", bundle, "-i", *files, "-T", 6, "-o", out,
                                   "-q", *extra))
            means.append(np.array([[float(r["mean_" + c]) for c in classes]
                                   for r in read_csv(out)]))
        self.assertLess(np.abs(means[0] - means[1]).max(), 1e-5)
        self.assertGreater(np.abs(means[0] - expected).max(), 0)  # the passes are draws

    def test_no_cut_runs_the_whole_model_and_says_why(self):
        subprocess.run([sys.executable, os.path.join(REPO, "tests", "models",
                                                     "make_split_models.py"), "--out", self.tmp],
                       check=True, timeout=300)
        proc = run_cli("info", "-m", self.path("input-dropout.pt"))
        self.assertRan(proc)
        self.assertIn("not exported, and the graph has no cut: the input itself reaches drop "
                      "(aten::dropout)", proc.stdout)
        self.assertIn("every Monte Carlo pass runs the whole model", proc.stdout)
        proc = run_cli("info", "-m", self.path("two-branch.pt"))
        self.assertIn("two or more values cross every cut before it", proc.stdout)
        out = self.path("r.csv")
        self.assertRan(run_cli("analyze", "-m", self.path("two-branch.pt"), "-i",
                               *sample_files(per_class=1)[:3], "-T", 5, "-o", out, "-q"))
        self.assertEqual(len(read_csv(out)), 3)


if __name__ == "__main__":
    main()
