"""`uncertainty-cli ood` against scikit-learn: the same runs' per-image scores (analyze on each
set, same seed and T) give AUROC, average precision and the FPR at 95 % TPR of every score."""
import os

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from clitest import (EXIT_CANNOT_RUN, EXIT_SOME_FAILED, REPO, CliTestCase, DEMO_MODEL, SAMPLES,
                     main, read_csv, run_cli)

OOD = os.path.join(REPO, "resources", "samples", "ood-digits")
# Larger = more uncertain, from the results CSV's columns (as the app orients the scores).
UNCERTAINTY = {
    "predictive entropy": lambda r: float(r["predictive_entropy"]),
    "mutual information": lambda r: float(r["mutual_information"]),
    "expected entropy": lambda r: float(r["expected_entropy"]),
    "variation ratio": lambda r: float(r["variation_ratio"]),
    "margin": lambda r: -float(r["margin"]),
    "max probability": lambda r: -float(r["max_prob"]),
}


class Ood(CliTestCase):
    def test_matches_scikit_learn_on_the_same_runs(self):
        run = ["-T", "30", "--seed", "5", "-q"]
        in_csv, out_csv = self.path("in.csv"), self.path("out.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", in_csv, *run))
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", OOD, "-o", out_csv, *run))
        report, roc = self.path("ood.csv"), self.path("roc.csv")
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in", SAMPLES, "--out", OOD, "-o", report,
                       "--roc", roc, *run)
        self.assertRan(proc)
        inside, outside = read_csv(in_csv), read_csv(out_csv)
        self.assertEqual((len(inside), len(outside)), (300, 100))
        rows = {r["score"]: r for r in read_csv(report)}
        curves = read_csv(roc)
        for name, uncertainty in UNCERTAINTY.items():
            scores = np.array([uncertainty(r) for r in inside] + [uncertainty(r) for r in outside])
            truth = np.array([0] * len(inside) + [1] * len(outside))
            row = rows[name]
            self.assertEqual((row["in_images"], row["out_images"]), ("300", "100"))
            self.assertAlmostEqual(float(row["auroc"]), roc_auc_score(truth, scores), places=6,
                                   msg=name)
            self.assertAlmostEqual(float(row["aupr"]), average_precision_score(truth, scores),
                                   places=6, msg=name)
            fpr, tpr, _ = roc_curve(truth, scores, drop_intermediate=False)
            self.assertAlmostEqual(float(row["fpr_at_95_tpr"]), fpr[np.argmax(tpr >= 0.95)],
                                   places=6, msg=name)
            mine = np.array([[float(r["fpr"]), float(r["tpr"])] for r in curves
                             if r["score"] == name])
            self.assertLess(np.abs(mine - np.stack([fpr, tpr], 1)).max(), 1e-6, name)
        # Best first; on handwritten digits the demo's entropy flags OOD well above chance.
        aurocs = [float(r["auroc"]) for r in read_csv(report)]
        self.assertEqual(aurocs, sorted(aurocs, reverse=True))
        self.assertGreater(float(rows["predictive entropy"]["auroc"]), 0.8)

    def test_an_empty_set_cannot_run(self):
        empty = self.path("empty")
        os.makedirs(empty)
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in", SAMPLES, "--out", empty, "-o",
                       self.path("o.csv"), "-T", "2", "-q")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no images found in the --out inputs", proc.stderr)

    def test_no_rates_when_a_set_has_no_analysed_image(self):
        # Every --out image fails: no AUROC, AUPR or FPR exists, so "-" (not a number).
        out = self.broken_image_folder("broken")
        results = self.path("in.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"),
                               "-T", 2, "-q", "--threads", 1, "-o", results))
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", results, "--out", out, "-o",
                       self.path("o.csv"), "-T", "2", "-q")
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertIn("30 in-distribution, 0 OOD images", proc.stdout)
        table = proc.stdout.splitlines()
        start = next(i for i, l in enumerate(table) if l.split()[:2] == ["score", "AUROC"])
        rows = [l.split()[-3:] for l in table[start + 1:start + 7]]
        self.assertEqual(rows, [["-", "-", "-"]] * 6)


if __name__ == "__main__":
    main()
