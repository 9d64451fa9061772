"""`uncertainty-cli gamma-sweep` against an independent computation: PyTorch + PIL apply
x -> x^gamma to the same files and run the model; numpy recomputes the set-level table from the
per-image CSV."""
import math
import os

import numpy as np

from clitest import (EXIT_CANNOT_RUN, REPO, CliTestCase, DEMO_MODEL, SAMPLES, main, read_csv,
                     run_cli, sample_files)
from torch_oracle import deterministic_probabilities_at_gamma


def entropy(p):
    p = np.clip(p, 0, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=-1)


class GammaSweep(CliTestCase):
    def sweep(self, *extra, inputs=None):
        out, per_image = self.path("sweep.csv"), self.path("per_image.csv")
        proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", *(inputs or [SAMPLES]), "-o", out,
                       "--per-image", per_image, "-q", *extra)
        self.assertRan(proc)
        return proc, read_csv(out), read_csv(per_image)

    def test_probabilities_match_pytorch_and_table_matches_numpy(self):
        files = sample_files(per_class=3)
        _, table, rows = self.sweep("--method", "deterministic", "--gammas", "0.5,1,2.5",
                                    inputs=files)
        self.assertEqual([float(r["gamma"]) for r in table], [0.5, 1.0, 2.5])
        self.assertEqual(len(rows), 3 * len(files))
        classes = [c[len("mean_"):] for c in rows[0] if c.startswith("mean_")]
        for point in table:
            gamma = float(point["gamma"])
            mine = [r for r in rows if float(r["gamma"]) == gamma]
            self.assertEqual([r["path"] for r in mine], files)
            _, expected = deterministic_probabilities_at_gamma(DEMO_MODEL, files, gamma)
            ours = np.array([[float(r["mean_" + c]) for c in classes] for r in mine])
            self.assertLess(np.abs(ours - expected).max(), 1e-5, f"gamma {gamma}")

            # The set-level row from the per-image rows, by numpy.
            labels = np.array([classes.index(r["label"]) for r in mine])
            predicted = ours.argmax(axis=1)
            covered = ours.max(axis=1) > 0.5  # T = 1: the median is the probability
            truth = ours[np.arange(len(labels)), labels]
            onehot = np.eye(len(classes))[labels]
            expected_row = {
                "accuracy": np.mean(predicted == labels),
                "median_rule_coverage": covered.mean(),
                "median_rule_covered_accuracy": np.mean(predicted[covered] == labels[covered]),
                "nll": np.mean(-np.log(np.maximum(truth, 1e-12))),
                "brier": np.mean(np.sum((ours - onehot) ** 2, axis=1)),
                "mean_predictive_entropy": entropy(ours).mean(),
                "mean_mutual_information": 0.0,
                "mean_margin": np.mean(np.sort(ours, axis=1)[:, -1] - np.sort(ours, axis=1)[:, -2]),
            }
            for column, value in expected_row.items():
                self.assertAlmostEqual(float(point[column]), value, places=5, msg=column)
            self.assertEqual(point["threshold_rule_coverage"], "")

    def test_default_grid_is_log_spaced_with_reference_points(self):
        _, table, _ = self.sweep("-T", "3", inputs=sample_files(per_class=1))
        gammas = [float(r["gamma"]) for r in table]
        self.assertEqual(gammas, sorted(gammas))
        expected = set(np.round(np.geomspace(0.2, 3.0, 9), 6)) | {0.5, 1.0, 2.0}
        self.assertEqual(set(np.round(gammas, 6)), expected)
        self.assertTrue(all(r["images"] == "10" for r in table))

    def test_darker_and_brighter_images_are_less_accurate_and_less_sure(self):
        _, table, _ = self.sweep("--method", "deterministic", "--gammas", "0.2,1,3")
        by_gamma = {float(r["gamma"]): r for r in table}
        for far in (0.2, 3.0):
            self.assertLess(float(by_gamma[far]["accuracy"]), float(by_gamma[1.0]["accuracy"]))
            self.assertGreater(float(by_gamma[far]["mean_predictive_entropy"]),
                               float(by_gamma[1.0]["mean_predictive_entropy"]))

    def test_rates_without_labelled_images_read_as_dashes_not_zero(self):
        """The CSV leaves them empty; the console used to print 0.00 % for each."""
        ood = os.path.join(REPO, "resources", "samples", "ood-digits")
        proc, table, _ = self.sweep("--method", "deterministic", "--gammas", "1", inputs=[ood])
        row = next(line for line in proc.stdout.splitlines()
                   if line.strip().startswith("1.000"))
        self.assertEqual(row.split()[1:4], ["-", "-", "-"], proc.stdout)
        self.assertEqual((table[0]["accuracy"], table[0]["median_rule_covered_accuracy"]),
                         ("", ""))

    def test_bad_gamma_values_cannot_run(self):
        for bad in ["0,1", "-1", "one", "1,,2"]:
            proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", SAMPLES, "-o",
                           self.path("x.csv"), "--gammas", bad)
            self.assertRan(proc, EXIT_CANNOT_RUN)
        proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", self.path("x.csv"),
                       "--gamma-min", "2", "--gamma-max", "1")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("0 < min <= max", proc.stderr)

    def test_gammas_with_range_options_cannot_run(self):
        # --gammas replaces the range: a --gamma-min, --gamma-max or --steps beside it used to be
        # dropped without a word.
        for option, value in (("--gamma-min", "0.5"), ("--gamma-max", "2"), ("--steps", "5")):
            proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", SAMPLES, "-o",
                           self.path("x.csv"), "--gammas", "0.5,1", option, value)
            self.assertRan(proc, EXIT_CANNOT_RUN)
            self.assertTrue(f"--gammas excludes {option}" in proc.stderr
                            or f"{option} excludes --gammas" in proc.stderr, proc.stderr)
            self.assertFalse(os.path.exists(self.path("x.csv")))

    def test_one_step_over_a_range_cannot_run(self):
        # --steps 1 used to sweep --gamma-min alone (plus 0.5, 1 and 2 when in range), dropping
        # --gamma-max silently.
        out = self.path("x.csv")
        proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", out,
                       "--gamma-min", "0.5", "--gamma-max", "3", "--steps", "1")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr,
                         "error: --steps 1 gives one gamma value, so the range 0.5 to 3 would "
                         "lose --gamma-max: give --steps 2 or more (both ends are swept), or "
                         "--gammas G for one value\n")
        self.assertFalse(os.path.exists(out))
        # The default range too; a range of one value is one step.
        proc = run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", out, "--steps", 1)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("the range 0.2 to 3 would lose --gamma-max", proc.stderr)
        _, table, _ = self.sweep("--method", "deterministic", "--gamma-min", "1.5",
                                 "--gamma-max", "1.5", "--steps", "1",
                                 inputs=sample_files(per_class=1))
        self.assertEqual([float(r["gamma"]) for r in table], [1.5])
        # Two steps sweep both ends (and the reference points between them).
        _, table, _ = self.sweep("--method", "deterministic", "--gamma-min", "0.8",
                                 "--gamma-max", "3", "--steps", "2",
                                 inputs=sample_files(per_class=1))
        self.assertEqual([float(r["gamma"]) for r in table], [0.8, 1.0, 2.0, 3.0])

    def test_samples_with_deterministic_warn(self):
        # -T cannot change a deterministic sweep (one pass): said on stderr, the sweep runs.
        proc, _, rows = self.sweep("--method", "deterministic", "-T", 5, "--gammas", "1",
                                   inputs=sample_files(per_class=1))
        self.assertEqual(proc.stderr, "warning: -T/--samples has no effect with --method "
                                      "deterministic, which runs a single pass (T = 1)\n")
        self.assertEqual({r["samples"] for r in rows}, {"1"})


if __name__ == "__main__":
    main()
