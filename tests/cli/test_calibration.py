"""`uncertainty-cli calibration` against numpy: the same run's per-image results (analyze, same
seed and T) give the reliability bins, both ECEs, NLL, Brier and every score's AURC."""
import os
import re

import numpy as np

from clitest import (EXIT_CANNOT_RUN, REPO, CliTestCase, DEMO_MODEL, SAMPLES, main,
                     no_labelled_rows_error, read_csv, run_cli)

DIGITS = os.path.join(REPO, "resources", "samples", "ood-digits")  # no class-named folders
HETERO = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
NO_LABELS = no_labelled_rows_error("inputs")

# Larger = more uncertain, from the results CSV's columns (as the app orients the scores).
UNCERTAINTY = {
    "predictive entropy": lambda r: float(r["predictive_entropy"]),
    "mutual information": lambda r: float(r["mutual_information"]),
    "expected entropy": lambda r: float(r["expected_entropy"]),
    "variation ratio": lambda r: float(r["variation_ratio"]),
    "margin": lambda r: -float(r["margin"]),
    "max probability": lambda r: -float(r["max_prob"]),
}


def ece(confidence, correct, groups):
    n = len(confidence)
    return sum(len(g) / n * abs(correct[g].mean() - confidence[g].mean()) for g in groups if len(g))


class Calibration(CliTestCase):
    def test_matches_numpy_on_the_same_run(self):
        run = ["-T", "40", "--seed", "3"]
        results = self.path("results.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", results, "-q",
                               *run))
        bins_csv, curve_csv, scores_csv = (self.path(n) for n in ("bins.csv", "rc.csv", "s.csv"))
        proc = run_cli("calibration", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", bins_csv,
                       "--risk-coverage", curve_csv, "--scores-out", scores_csv, "-q", *run)
        self.assertRan(proc)

        rows = read_csv(results)
        classes = [c[len("mean_"):] for c in rows[0] if c.startswith("mean_")]
        probs = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        labels = np.array([classes.index(r["label"]) for r in rows])
        confidence = np.array([float(r["max_prob"]) for r in rows])
        correct = (probs.argmax(axis=1) == labels).astype(float)
        n = len(rows)

        # Equal-width bins (lo, hi], the first also taking 0; equal-mass: array_split.
        edges = np.linspace(0, 1, 16)
        width_index = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, 14)
        width_groups = [np.where(width_index == b)[0] for b in range(15)]
        mass_groups = np.array_split(np.argsort(confidence, kind="stable"), 15)
        bins = read_csv(bins_csv)
        width_rows = [b for b in bins if b["scheme"] == "equal_width"]
        mass_rows = [b for b in bins if b["scheme"] == "equal_mass"]
        self.assertEqual([int(b["count"]) for b in width_rows], [len(g) for g in width_groups])
        self.assertEqual([int(b["count"]) for b in mass_rows], [len(g) for g in mass_groups])
        for row, group in zip(mass_rows, mass_groups):
            self.assertAlmostEqual(float(row["accuracy"]), correct[group].mean(), places=7)
            self.assertAlmostEqual(float(row["mean_confidence"]), confidence[group].mean(),
                                   places=6)

        printed = dict(re.findall(r"(ECE \(.*?\)|NLL|Brier) ([0-9.]+)", proc.stdout))
        self.assertAlmostEqual(float(printed["ECE (15 equal-width bins)"]),
                               ece(confidence, correct, width_groups), places=4)
        self.assertAlmostEqual(float(printed["ECE (equal-mass bins)"]),
                               ece(confidence, correct, mass_groups), places=4)
        self.assertAlmostEqual(float(printed["NLL"]),
                               np.mean(-np.log(np.maximum(probs[np.arange(n), labels], 1e-12))),
                               places=4)
        onehot = np.eye(len(classes))[labels]
        self.assertAlmostEqual(float(printed["Brier"]), np.mean(np.sum((probs - onehot) ** 2, 1)),
                               places=4)

        # Risk-coverage and AURC of every score.
        curves = read_csv(curve_csv)
        scores = {r["score"]: r for r in read_csv(scores_csv)}
        errors = 1.0 - correct
        e = int(errors.sum())
        optimal = np.mean([max(0, k - (n - e)) / k for k in range(1, n + 1)])
        for name, uncertainty in UNCERTAINTY.items():
            order = np.argsort([uncertainty(r) for r in rows], kind="stable")
            risk = np.cumsum(errors[order]) / np.arange(1, n + 1)
            mine = np.array([float(r["risk"]) for r in curves if r["score"] == name])
            self.assertEqual(len(mine), n, name)
            self.assertLess(np.abs(mine - risk).max(), 1e-6, name)
            self.assertAlmostEqual(float(scores[name]["aurc"]), risk.mean(), places=6, msg=name)
            self.assertAlmostEqual(float(scores[name]["optimal_aurc"]), optimal, places=7)
        # Scores are listed best first; the confidence-based ones beat chance (the error rate).
        aurcs = [float(r["aurc"]) for r in read_csv(scores_csv)]
        self.assertEqual(aurcs, sorted(aurcs))
        self.assertLess(float(scores["max probability"]["aurc"]), errors.mean())

    def test_logit_variance_is_a_score_of_a_heteroscedastic_model_only(self):
        run = ["--method", "deterministic", "-K", 2, "-q"]
        results = self.path("results.csv")
        self.assertRan(run_cli("analyze", "-m", HETERO, "-i", SAMPLES, "-o", results, *run))
        curve_csv, scores_csv = self.path("rc.csv"), self.path("s.csv")
        proc = run_cli("calibration", "-m", HETERO, "--results", results, "-o",
                       self.path("bins.csv"), "--risk-coverage", curve_csv, "--scores-out",
                       scores_csv)
        self.assertRan(proc)
        rows = read_csv(results)
        classes = [c[len("mean_"):] for c in rows[0] if c.startswith("mean_")]
        probs = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        labels = np.array([classes.index(r["label"]) for r in rows])
        errors = (probs.argmax(axis=1) != labels).astype(float)
        # Least predicted variance kept first (ties in input order).
        order = np.argsort([float(r["logit_variance"]) for r in rows], kind="stable")
        risk = np.cumsum(errors[order]) / np.arange(1, len(rows) + 1)
        mine = np.array([float(r["risk"]) for r in read_csv(curve_csv)
                         if r["score"] == "logit variance"])
        self.assertLess(np.abs(mine - risk).max(), 1e-6)
        scores = {r["score"]: r for r in read_csv(scores_csv)}
        self.assertEqual(len(scores), 7)
        self.assertAlmostEqual(float(scores["logit variance"]["aurc"]), risk.mean(), places=6)
        self.assertIn("  logit variance ", proc.stdout)

        # Any other model's images all have a logit variance of 0: no such curve or row.
        proc = run_cli("calibration", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", self.path("b.csv"),
                       "--risk-coverage", curve_csv, "--scores-out", scores_csv, "--method",
                       "deterministic", "-q")
        self.assertRan(proc)
        self.assertEqual(len(read_csv(scores_csv)), 6)
        self.assertNotIn("logit variance", {r["score"] for r in read_csv(curve_csv)})
        self.assertNotIn("logit variance", proc.stdout)

    def test_unlabelled_images_cannot_be_calibrated(self):
        unlabelled = self.path("flat")
        import os
        import shutil
        os.makedirs(unlabelled)
        shutil.copy(os.path.join(SAMPLES, "Bag", os.listdir(os.path.join(SAMPLES, "Bag"))[0]),
                    unlabelled)
        proc = run_cli("calibration", "-m", DEMO_MODEL, "-i", unlabelled, "-o",
                       self.path("c.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no labelled images", proc.stderr)

    def test_unlabelled_results_cannot_be_calibrated(self):
        # The --results path refuses, as the image path does, rows with no label: it used to
        # print "Calibration of 0 labelled images", accuracy 0.00 %, and exit 0.
        results = self.path("digits.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", DIGITS, "-T", 2, "-q",
                               "--threads", 1, "-o", results))
        out = self.path("c.csv")
        proc = run_cli("calibration", "-m", DEMO_MODEL, "--results", results, "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, NO_LABELS)
        self.assertEqual(proc.stdout, "")
        self.assertFalse(os.path.exists(out))
        # A results file with a header and no row has no image at all.
        with open(results, newline="") as f:
            header = f.readline()
        with open(results, "w", newline="") as f:
            f.write(header)
        proc = run_cli("calibration", "-m", DEMO_MODEL, "--results", results, "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr,
                         "error: no images found in the inputs (the results files have no rows)\n")

    def test_results_given_twice_or_from_a_gamma_sweep_are_refused(self):
        bag = os.path.join(SAMPLES, "Bag")
        results, sweep, out = self.path("r.csv"), self.path("per_image.csv"), self.path("c.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, "-T", 2, "-q",
                               "--threads", 1, "-o", results))
        self.assertRan(run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", bag, "-T", 2, "-q",
                               "--threads", 1, "--gammas", "0.5,2", "-o", self.path("s.csv"),
                               "--per-image", sweep))
        proc = run_cli("calibration", "-m", DEMO_MODEL, "--results", results, sweep, "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr,
                         f"error: {sweep} (--results) is a gamma-sweep per-image CSV (it has a "
                         "gamma column: one row per image and gamma value), not a results CSV "
                         "from `analyze` or `merge`\n")
        proc = run_cli("calibration", "-m", DEMO_MODEL, "--results", results,
                       os.path.join(self.tmp, ".", "r.csv"), "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("are one file, given twice to --results: its rows would count twice",
                      proc.stderr)
        self.assertFalse(os.path.exists(out))

    def test_labelled_images_that_all_fail_cannot_be_calibrated(self):
        # Labelled, but none can be read: no labelled image is left to calibrate on.
        bag = self.broken_image_folder("Bag")
        out = self.path("c.csv")
        proc = run_cli("calibration", "-m", DEMO_MODEL, "-i", bag, "-o", out, "-q")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertTrue(proc.stderr.endswith(
            "error: no labelled images in the inputs could be analysed (each failed, as said "
            "above)\n"), proc.stderr)
        self.assertIn("broken.png", proc.stderr)
        self.assertEqual(proc.stdout, "")
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    main()
