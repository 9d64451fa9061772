"""Oracles: PyTorch's own MC-dropout mean (eval mode, only Dropout modules in train mode,
T = 2000) and the CLI's agree within sampling error; and the CLI's passes equal, pass for pass,
the head run in PyTorch with the engine's hashed dropout masks written down in numpy."""
import collections
import os
import subprocess
import sys

import numpy as np

from clitest import CliTestCase, DEMO_MODEL, REPO, main, read_csv, run_cli, sample_files
from torch_oracle import (deterministic_probabilities, hashed_mc_dropout_samples,
                          mc_dropout_probabilities)

T = 2000


class McOracle(CliTestCase):
    def test_mc_mean_within_sampling_error(self):
        files = sample_files(per_class=2)
        out, raw = self.path("mc.csv"), self.path("raw.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", *files, "-T", T,
                               "--seed", 99, "-o", out, "--raw-out", raw, "-q"))
        rows = read_csv(out)
        paths = [r["path"] for r in rows]
        classes, means, stds = mc_dropout_probabilities(DEMO_MODEL, paths, T, seed=1234)
        ours = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])

        passes = collections.defaultdict(list)
        for sample in read_csv(raw):
            passes[sample["path"]].append([float(sample["p_" + c]) for c in classes])
        our_stds = np.array([np.std(passes[p], axis=0, ddof=1) for p in paths])
        self.assertTrue(all(len(passes[p]) == T for p in paths))

        # Two independent T-sample means: the standard error of their difference comes from
        # both sides' spreads. Near-zero classes are heavy-tailed (a rare pass gives 1e-3
        # where most give 1e-8), so one side's sample std alone can be far too small.
        standard_error = np.sqrt(our_stds ** 2 / T + stds ** 2 / T)
        z = np.abs(ours - means) / (standard_error + 1e-12)
        worst = np.unravel_index(z.argmax(), z.shape)
        self.assertLess(z.max(), 5.0, f"ours {ours[worst]:.3e} vs PyTorch {means[worst]:.3e} "
                                      f"(image {paths[worst[0]]}, class {classes[worst[1]]})")
        # The spread is real: the MC mean is not the single deterministic pass.
        _, single = deterministic_probabilities(DEMO_MODEL, paths)
        self.assertGreater(np.abs(ours - single).max(), 1e-3)

    def splitModel(self, name):
        """The path of tests/models/make_split_models.py's model `name`, written into the test's
        folder."""
        subprocess.run([sys.executable, os.path.join(REPO, "tests", "models",
                                                     "make_split_models.py"), "--out", self.tmp],
                       check=True, timeout=300)
        return self.path(name + ".pt")

    def assertPassesMatchHashedMasks(self, model, samples, seed, *options):
        """Every pass of `analyze --raw-out` equals PyTorch running the model with the masks
        made in numpy (torch_oracle.hashed_mc_dropout_samples)."""
        files = sample_files(per_class=1)
        out, raw = self.path("mc.csv"), self.path("raw.csv")
        self.assertRan(run_cli("analyze", "-m", model, "-i", *files, "-T", samples, "--seed", seed,
                               "--threads", 1, "-o", out, "--raw-out", raw, "-q", *options))
        rows = read_csv(out)
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        expected = hashed_mc_dropout_samples(model, [r["path"] for r in rows], samples, seed=seed)
        passes = collections.defaultdict(list)
        for sample in read_csv(raw):
            passes[sample["path"]].append([float(sample["p_" + c]) for c in classes])
        for i, r in enumerate(rows):
            np.testing.assert_allclose(np.array(passes[r["path"]]), expected[i], atol=2e-6)
            self.assertGreater(float(r["mutual_information"]), 0.0)

    def test_passes_match_the_hashed_masks_pass_for_pass(self):
        # T above the 512 rows of a CPU chunk: a pass's mask must not depend on its chunk.
        self.assertPassesMatchHashedMasks(DEMO_MODEL, 600, 7)

    def test_per_channel_and_in_place_dropout_match_the_hashed_masks(self):
        """Dropout2d draws one mask value per channel; an in-place Dropout masks like the other;
        both in a head the engine found in the graph by itself."""
        self.assertPassesMatchHashedMasks(self.splitModel("feature-dropout"), 30, 4)

    def test_dropout_on_a_strided_view_matches_the_hashed_masks(self):
        """A permuted input takes the path a GPU's does: masks made in chunks of rows and
        multiplied where the input is. The 1 GiB budget gives calls of 512 rows of 12,544 values,
        two chunks of 2^22 values."""
        self.assertPassesMatchHashedMasks(self.splitModel("strided-dropout"), 600, 11,
                                          "--memory-mb", 1024)


if __name__ == "__main__":
    main()
