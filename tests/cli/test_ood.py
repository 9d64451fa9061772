"""`uncertainty-cli ood` against scikit-learn: the same runs' per-image scores (analyze on each
set, same seed and T) give AUROC, average precision and the FPR at 95 % TPR of every score."""
import os

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

from clitest import (EXIT_CANNOT_RUN, EXIT_SOME_FAILED, REPO, CliTestCase, DEMO_MODEL, SAMPLES,
                     main, read_csv, run_cli)

OOD = os.path.join(REPO, "resources", "samples", "ood-digits")
HETERO = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
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
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in", SAMPLES, "--ood", OOD, "-o", report,
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

    def test_logit_variance_is_a_score_of_a_heteroscedastic_model_only(self):
        # One eval-mode pass: each image's logit variance is PyTorch's mean exp(log variance).
        from torch_oracle import heteroscedastic_samples
        report, roc, scores = self.path("ood.csv"), self.path("roc.csv"), self.path("s.csv")
        proc = run_cli("ood", "-m", HETERO, "--in", SAMPLES, "--ood", OOD, "-o", report, "--roc",
                       roc, "--scores-out", scores, "--method", "deterministic", "-K", 2, "-q")
        self.assertRan(proc)
        images = read_csv(scores)
        paths = [r["path"] for r in images]
        _, variance = heteroscedastic_samples(HETERO, paths, 1, 1, seed=0, mc=False)
        ours = np.array([float(r["logit variance"]) for r in images])
        np.testing.assert_allclose(ours, variance, rtol=1e-5)
        truth = np.array([r["set"] == "out" for r in images], dtype=int)
        self.assertEqual(list(truth).count(0), 300)
        rows = {r["score"]: r for r in read_csv(report)}
        self.assertEqual(len(rows), 7)
        row = rows["logit variance"]
        # Larger variance = more uncertain, so flagged as OOD.
        self.assertAlmostEqual(float(row["auroc"]), roc_auc_score(truth, ours), places=6)
        self.assertAlmostEqual(float(row["auroc"]), roc_auc_score(truth, variance), delta=1e-3)
        self.assertAlmostEqual(float(row["aupr"]), average_precision_score(truth, ours), places=6)
        self.assertIn("logit variance", {r["score"] for r in read_csv(roc)})
        self.assertRegex(proc.stdout, r"\n  logit variance +0\.\d{4} ")

        # Any other model's images all have a logit variance of 0: no such row, column or line.
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in", SAMPLES, "--ood", OOD, "-o", report,
                       "--roc", roc, "--scores-out", scores, "--method", "deterministic", "-q")
        self.assertRan(proc)
        self.assertEqual(len(read_csv(report)), 6)
        self.assertNotIn("logit variance", {r["score"] for r in read_csv(report)})
        self.assertNotIn("logit variance", {r["score"] for r in read_csv(roc)})
        self.assertNotIn("logit variance", read_csv(scores)[0])
        self.assertNotIn("logit variance", proc.stdout)

    def test_an_empty_set_cannot_run(self):
        empty = self.path("empty")
        os.makedirs(empty)
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in", SAMPLES, "--ood", empty, "-o",
                       self.path("o.csv"), "-T", "2", "-q")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no images found in the --ood inputs", proc.stderr)

    def test_no_rates_when_a_set_has_no_analysed_image(self):
        # Every --out image fails: no AUROC, AUPR or FPR exists, so "-" (not a number).
        out = self.broken_image_folder("broken")
        results = self.path("in.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"),
                               "-T", 2, "-q", "--threads", 1, "-o", results))
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", results, "--ood", out, "-o",
                       self.path("o.csv"), "-T", "2", "-q")
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertIn("30 in-distribution, 0 OOD images", proc.stdout)
        table = proc.stdout.splitlines()
        start = next(i for i, l in enumerate(table) if l.split()[:2] == ["score", "AUROC"])
        rows = [l.split()[-3:] for l in table[start + 1:start + 7]]
        self.assertEqual(rows, [["-", "-", "-"]] * 6)

    def results_of(self, name, folder):
        out = self.path(name)
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", folder, "-T", 2, "-q",
                               "--threads", 1, "-o", out))
        return out

    def test_out_is_the_report_as_in_every_other_command(self):
        # -o/--out is the report CSV (as in analyze, calibration, ...); --report is its old name.
        # The OOD images are --ood, as in `compare`.
        bag = os.path.join(SAMPLES, "Bag")
        for flag in ("-o", "--out", "--report"):
            report = self.path(f"report{flag}.csv")
            proc = run_cli("ood", "-m", DEMO_MODEL, "--in", bag, "--ood", OOD, flag, report,
                           "-T", 2, "--threads", 1, "-q")
            self.assertRan(proc)
            self.assertEqual(len(read_csv(report)), 6)
            self.assertIn(f"Report     {report}", proc.stdout)
        help_text = run_cli("ood", "--help").stdout
        self.assertIn("-o,--out,--report", help_text)
        self.assertIn("--ood TEXT", help_text)
        self.assertIn("--ood-results", help_text)

    def test_an_old_command_line_is_refused_not_read_another_way(self):
        # Before, --out named the OOD images and -o/--report the report: such a command line
        # now gives the report two paths, which stops with a note instead of writing one of them.
        bag = os.path.join(SAMPLES, "Bag")
        for old in (["--out", OOD, "-o"], ["--out", OOD, bag, "--report"]):
            report = self.path("report.csv")
            proc = run_cli("ood", "-m", DEMO_MODEL, "--in", bag, *old, report, "-T", 2, "-q")
            self.assertRan(proc, EXIT_CANNOT_RUN)
            given = ", ".join(old[1:-1] + [report])
            self.assertEqual(
                proc.stderr,
                f"error: -o/--out/--report takes one path, the report CSV, but got "
                f"{len(old) - 1} ({given}): give the out-of-distribution images with --ood "
                "(--out named them before it became the report, as -o/--out is in the other "
                "commands)\n")
            self.assertFalse(os.path.exists(report))
            self.assertFalse(any(os.path.isfile(p) for p in old[1:-1]))

    def test_old_results_name_still_works(self):
        # --out-results, the old name of --ood-results, meant the OOD results then too: kept.
        inside = self.results_of("in.csv", os.path.join(SAMPLES, "Bag"))
        outside = self.results_of("out.csv", OOD)
        reports = []
        for flag in ("--ood-results", "--out-results"):
            reports.append(self.path(f"r{flag}.csv"))
            self.assertRan(run_cli("ood", "-m", DEMO_MODEL, "--in-results", inside, flag, outside,
                                   "-o", reports[-1]))
        self.assertEqual(read_csv(reports[0]), read_csv(reports[1]))
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", inside, "--ood-results", outside,
                       "--out-results", outside, "-o", self.path("r.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, "error: --out-results (the old name of --ood-results) "
                                      "cannot be given with --ood-results\n")

    def test_one_results_file_as_both_sets_is_refused(self):
        inside = self.results_of("in.csv", os.path.join(SAMPLES, "Bag"))
        report = self.path("r.csv")
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", inside, "--ood-results", inside,
                       "-o", report)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, f"error: {inside} is given to both --in-results and "
                                      "--ood-results: the two sets would be the same images\n")
        self.assertFalse(os.path.exists(report))

    def test_run_options_with_only_results_warn(self):
        # Nothing runs when both sets are results files: -T and --seed cannot change a number.
        inside = self.results_of("in.csv", os.path.join(SAMPLES, "Bag"))
        outside = self.results_of("out.csv", OOD)
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", inside, "--ood-results", outside,
                       "-o", self.path("r.csv"), "-T", 50, "--seed", 4, "-q")
        self.assertRan(proc)
        self.assertEqual(proc.stderr, "warning: -T/--samples, --seed have no effect with "
                                      "--in-results and --ood-results: results files are read, "
                                      "not run again\n")
        # One set from images: they apply to its run, so no warning.
        proc = run_cli("ood", "-m", DEMO_MODEL, "--in-results", inside, "--ood", OOD,
                       "-o", self.path("r.csv"), "-T", 2, "--seed", 4, "--threads", 1, "-q")
        self.assertRan(proc)
        self.assertEqual(proc.stderr, "")


if __name__ == "__main__":
    main()
