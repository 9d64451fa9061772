"""Deep ensembles, heteroscedastic and Bayes-by-backprop bundles through the CLI, checked
against PyTorch computing the same quantities (torch_oracle.py), and the aleatoric/epistemic
split checked against numpy on the raw samples."""
import collections
import json
import os
import sys

import numpy as np

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, REPO, TWIN_MODEL, main, read_csv,
                     run_cli, sample_files)
from torch_oracle import (ensemble_deterministic_samples, entropy_split, heteroscedastic_samples,
                          stochastic_forward_samples)

ENSEMBLE = os.path.join(REPO, "models", "fmnist-ensemble.json")
HETERO = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
BBB = os.path.join(REPO, "models", "fmnist-bbb-cnn.pt")


def raw_samples(path, classes):
    """{image path: [S, C]} from a --raw-out CSV, in the order written."""
    samples = collections.defaultdict(list)
    for row in read_csv(path):
        samples[row["path"]].append([float(row["p_" + c]) for c in classes])
    return {k: np.array(v) for k, v in samples.items()}


class Methods(CliTestCase):
    def analyze(self, model, files, *args):
        out, raw = self.path("out.csv"), self.path("raw.csv")
        self.assertRan(run_cli("analyze", "-m", model, "-i", *files, "-o", out, "--raw-out", raw,
                               "--threads", 1, "-q", *args))
        return read_csv(out), raw

    def assertSplitMatchesNumpy(self, rows, raw, classes):
        """The CSV's entropies equal numpy's on the raw samples, and total = aleatoric +
        epistemic."""
        samples = raw_samples(raw, classes)
        stacked = np.stack([samples[r["path"]] for r in rows])
        total, aleatoric, epistemic = entropy_split(stacked)
        for i, r in enumerate(rows):
            self.assertAlmostEqual(float(r["predictive_entropy"]), total[i], places=5)
            self.assertAlmostEqual(float(r["expected_entropy"]), aleatoric[i], places=5)
            self.assertAlmostEqual(float(r["mutual_information"]), max(epistemic[i], 0), places=5)
            self.assertAlmostEqual(float(r["predictive_entropy"]),
                                   float(r["expected_entropy"]) + float(r["mutual_information"]),
                                   places=5)
            variance = stacked[i].var(axis=0).mean()
            self.assertAlmostEqual(float(r["probability_variance"]), variance, places=5)

    def test_ensemble_deterministic_is_the_mean_of_the_members(self):
        files = sample_files(per_class=3)
        rows, raw = self.analyze(ENSEMBLE, files, "--method", "deterministic")
        with open(ENSEMBLE, encoding="utf-8") as f:
            members = len(json.load(f)["members"])
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        expected = ensemble_deterministic_samples(ENSEMBLE, [r["path"] for r in rows])
        ours = raw_samples(raw, classes)
        for i, r in enumerate(rows):
            self.assertEqual(int(r["samples"]), members)
            np.testing.assert_allclose(ours[r["path"]], expected[i], atol=2e-6)
            means = [float(r["mean_" + c]) for c in classes]
            np.testing.assert_allclose(means, expected[i].mean(0), atol=2e-6)
        self.assertSplitMatchesNumpy(rows, raw, classes)
        with open(raw, encoding="utf-8") as f:
            self.assertEqual(f.readline().split(",")[:3], ["path", "member", "pass"])

    def test_ensemble_with_mc_dropout_has_members_times_passes_samples(self):
        files = sample_files(per_class=1)[:4]
        rows, raw = self.analyze(ENSEMBLE, files, "-T", 6)
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        for r in rows:
            self.assertEqual(int(r["samples"]), 30)
            self.assertGreater(float(r["mutual_information"]), 0.0)
        self.assertSplitMatchesNumpy(rows, raw, classes)

    def test_heteroscedastic_deterministic_matches_pytorch_draw_for_draw(self):
        files = sample_files(per_class=2)
        rows, raw = self.analyze(HETERO, files, "--method", "deterministic", "-K", 40,
                                 "--seed", 5)
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        expected, variance = heteroscedastic_samples(HETERO, [r["path"] for r in rows], 1, 40,
                                                     seed=5, mc=False)
        ours = raw_samples(raw, classes)
        for i, r in enumerate(rows):
            np.testing.assert_allclose(ours[r["path"]], expected[i], atol=2e-6)
            self.assertAlmostEqual(float(r["logit_variance"]), variance[i], places=5)
            self.assertEqual(float(r["mutual_information"]), 0.0)
        self.assertSplitMatchesNumpy(rows, raw, classes)

    def test_heteroscedastic_mc_matches_pytorch_draw_for_draw(self):
        files = sample_files(per_class=1)
        rows, raw = self.analyze(HETERO, files, "-T", 12, "-K", 8, "--seed", 3)
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        expected, variance = heteroscedastic_samples(HETERO, [r["path"] for r in rows], 12, 8,
                                                     seed=3, mc=True)
        ours = raw_samples(raw, classes)
        for i, r in enumerate(rows):
            self.assertEqual(int(r["samples"]), 12)
            np.testing.assert_allclose(ours[r["path"]], expected[i], atol=2e-6)
            self.assertAlmostEqual(float(r["logit_variance"]), variance[i], places=5)
        self.assertSplitMatchesNumpy(rows, raw, classes)

    def test_bayes_by_backprop_matches_pytorch_pass_for_pass(self):
        files = sample_files(per_class=1)
        rows, raw = self.analyze(BBB, files, "-T", 16, "--seed", 11)
        classes = [k[len("mean_"):] for k in rows[0] if k.startswith("mean_")]
        expected = stochastic_forward_samples(BBB, [r["path"] for r in rows], 16, seed=11)
        ours = raw_samples(raw, classes)
        for i, r in enumerate(rows):
            np.testing.assert_allclose(ours[r["path"]], expected[i], atol=2e-6)
            self.assertGreater(float(r["mutual_information"]), 0.0)
            self.assertEqual(r["logit_variance"], "")
        self.assertSplitMatchesNumpy(rows, raw, classes)

    def test_options_the_model_or_method_cannot_use_warn(self):
        # -K only draws logits for a heteroscedastic model, -T only counts MC passes: given where
        # they cannot change the run, they used to be taken without a word.
        files = sample_files(per_class=1)[:2]
        cases = (
            (DEMO_MODEL, ["-T", 4, "-K", 7],
             f"warning: -K/--logit-samples has no effect: {DEMO_MODEL} is not heteroscedastic "
             "(its output is logits, not logits_logvar)\n"),
            (ENSEMBLE, ["--method", "deterministic", "-T", 4],
             "warning: -T/--samples has no effect with --method deterministic, which runs a "
             "single pass (T = 1)\n"),
            (HETERO, ["--method", "deterministic", "-K", 7], ""),  # K draws in one pass
            (HETERO, ["-T", 3, "-K", 7], ""),
        )
        for model, args, expected in cases:
            proc = run_cli("analyze", "-m", model, "-i", *files, "--threads", 1, "-q", *args)
            self.assertRan(proc)
            self.assertEqual(proc.stderr, expected, (model, args))

    def test_info_describes_each_kind(self):
        for model, words in ((ENSEMBLE, ["deep ensemble of 5 members", "Members"]),
                             (HETERO, ["heteroscedastic", "logits_logvar"]),
                             (BBB, ["stochastic forward", "its forward itself is random"])):
            proc = run_cli("info", "--model", model)
            self.assertRan(proc)
            for word in words:
                self.assertIn(word, proc.stdout, model)

    def test_members_that_disagree_are_refused_with_the_reason(self):
        sys.path.insert(0, os.path.join(REPO, "models"))
        import torch
        import bundle

        model, meta = torch.jit.load(TWIN_MODEL), bundle.load_meta(TWIN_MODEL)
        meta["classes"] = ["c%d" % i for i in range(10)]
        other = self.path("other.pt")
        bundle.save_bundle(model, other, meta)
        manifest = self.path("ensemble.json")
        with open(manifest, "w", encoding="utf-8") as f:
            json.dump({"format": "uncertainty-explorer-ensemble/1", "name": "bad",
                       "members": [DEMO_MODEL, other]}, f)
        proc = run_cli("info", "--model", manifest)
        self.assertEqual(proc.returncode, EXIT_CANNOT_RUN, proc.stderr)
        self.assertIn("differs from", proc.stderr)
        self.assertIn("'classes'", proc.stderr)


if __name__ == "__main__":
    main()
