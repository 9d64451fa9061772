"""uncertainty-cli analyze / info on the bundled demo model and samples."""
import filecmp
import math
import os
import re

from clitest import (EXIT_SOME_FAILED, CliTestCase, DEMO_MODEL, REPO, SAMPLES, TWIN_MODEL, main,
                     read_csv, run_cli)

COLUMNS = ["path", "label", "status", "error", "samples", "pred_argmax", "pred_median_rule",
           "pred_threshold_rule",
           "correct_argmax", "max_prob", "margin", "predictive_entropy", "expected_entropy",
           "mutual_information", "variation_ratio", "probability_variance", "logit_variance"]


class AnalyzeDemo(CliTestCase):
    def test_demo_run_writes_every_image_and_matches_the_readme(self):
        out = self.path("results.csv")
        proc = run_cli("analyze", "--model", DEMO_MODEL, "--input", SAMPLES, "--samples", 100,
                       "--seed", 0, "--out", out)
        self.assertRan(proc)
        rows = read_csv(out)
        self.assertEqual(len(rows), 300)
        with open(out, newline="", encoding="utf-8") as f:
            header = f.readline().rstrip("\r\n").split(",")
        self.assertEqual(header[:len(COLUMNS)], COLUMNS)
        self.assertEqual(len(header), len(COLUMNS) + 10)
        self.assertTrue(all(r["status"] == "ok" and r["label"] for r in rows))
        for r in rows:
            probs = [float(r[c]) for c in header[len(COLUMNS):]]
            self.assertAlmostEqual(sum(probs), 1.0, places=5)
            self.assertEqual(r["samples"], "100")
            self.assertGreaterEqual(float(r["mutual_information"]), 0.0)
            self.assertLessEqual(float(r["mutual_information"]),
                                 float(r["predictive_entropy"]) + 1e-9)

        accuracy = sum(r["correct_argmax"] == "1" for r in rows) / len(rows)
        printed = re.search(r"accuracy \(argmax of mean\)\s+([\d.]+) %", proc.stdout)
        self.assertIsNotNone(printed, proc.stdout)
        self.assertAlmostEqual(float(printed.group(1)), 100 * accuracy, places=2)
        self.assertGreater(accuracy, 0.85)
        # The README quotes this very run; keep the two in step.
        with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        quoted = re.search(r"demo samples, T = 100, seed 0: accuracy ([\d.]+) %", readme)
        self.assertIsNotNone(quoted, "README must quote the demo run's accuracy")
        self.assertAlmostEqual(float(quoted.group(1)), 100 * accuracy, places=2)

        coverage = sum(r["pred_median_rule"] != "unclassified" for r in rows) / len(rows)
        printed = re.search(r"median rule\s+coverage ([\d.]+) %", proc.stdout)
        self.assertAlmostEqual(float(printed.group(1)), 100 * coverage, places=2)
        self.assertIn("Most uncertain", proc.stdout)

    def test_most_uncertain_list_follows_rank_by(self):
        # The list is checked against the results CSV of the same run, sorted here: most
        # uncertain first (lowest first for the confidences), ties in the CSV's input order.
        hetero = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
        cases = [(DEMO_MODEL, "predictive-entropy", "predictive_entropy", True),
                 (DEMO_MODEL, "mutual-information", "mutual_information", True),
                 (DEMO_MODEL, "margin", "margin", False),
                 (DEMO_MODEL, "max-probability", "max_prob", False),
                 (hetero, "logit-variance", "logit_variance", True)]
        for model, option, column, higher_first in cases:
            out, ranking = self.path("r.csv"), self.path("ranking.csv")
            proc = run_cli("analyze", "-m", model, "-i", SAMPLES, "-T", 20, "--top", 7,
                           "--rank-by", option, "-o", out, "--ranking-out", ranking, "-q")
            self.assertRan(proc)
            rows = read_csv(out)
            ranked = sorted(rows, key=lambda r: -float(r[column]) if higher_first
                            else float(r[column]))
            listed = re.findall(r"^  \S.*? / \S+  (.+?\.png)  predicted", proc.stdout, re.M)
            self.assertEqual(listed, [r["path"] for r in ranked[:7]], option)
            # --ranking-out: the same images, each with the value the results file has.
            written = read_csv(ranking)
            self.assertEqual([w["rank"] for w in written], [str(k) for k in range(1, 8)])
            for w, r in zip(written, ranked[:7]):
                self.assertEqual((w["path"], w["label"], w["prediction"], w["score"]),
                                 (r["path"], r["label"], r["pred_argmax"], option))
                self.assertAlmostEqual(float(w["value"]), float(r[column]), places=6)
                self.assertAlmostEqual(float(w["mutual_information"]),
                                       float(r["mutual_information"]), places=6)
            if option != "predictive-entropy":
                self.assertIn("Most uncertain by " + option.replace("-", " "), proc.stdout)
                first = re.search(r"^  ([\d.]+); ", proc.stdout, re.M)
                self.assertAlmostEqual(float(first.group(1)), float(ranked[0][column]),
                                       places=3)
        # Two outputs naming one file: refused before the run, and neither is written.
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", self.path("x.csv"),
                       "--ranking-out", os.path.join(self.tmp, ".", "x.csv"), "-q")
        self.assertRan(proc, 2)
        self.assertIn("--out and --ranking-out both name", proc.stderr)
        self.assertFalse(os.path.exists(self.path("x.csv")))
        # Another model has no variance to rank by: every image would tie at 0.
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--rank-by", "logit-variance")
        self.assertRan(proc, 2)
        self.assertIn("needs a heteroscedastic model", proc.stderr)
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--rank-by", "entropy")
        self.assertRan(proc, 2)

    def test_same_seed_gives_the_same_file(self):
        a, b = self.path("a.csv"), self.path("b.csv")
        for out in (a, b):
            self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 20,
                                   "--seed", 5, "-o", out, "-q"))
        self.assertTrue(filecmp.cmp(a, b, shallow=False))

    def test_raw_samples_hold_every_pass(self):
        out, raw = self.path("r.csv"), self.path("raw.csv")
        trouser = os.path.join(SAMPLES, "Trouser")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", trouser, "-T", 7, "-o", out,
                               "--raw-out", raw, "-q"))
        rows, samples = read_csv(out), read_csv(raw)
        self.assertEqual(len(samples), 7 * len(rows))
        first = [s for s in samples if s["path"] == rows[0]["path"]]
        self.assertEqual([s["pass"] for s in first], [str(t) for t in range(7)])
        mean = sum(float(s["p_Trouser"]) for s in first) / 7
        self.assertAlmostEqual(mean, float(rows[0]["mean_Trouser"]), places=5)

    def test_deterministic_method_is_one_pass(self):
        out = self.path("d.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "-o", out, "-q"))
        rows = read_csv(out)
        self.assertTrue(all(r["samples"] == "1" for r in rows))
        self.assertTrue(all(float(r["mutual_information"]) == 0.0 for r in rows))

    def test_twin_under_mc_warns_and_has_no_epistemic_spread(self):
        out = self.path("t.csv")
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "-T", 10, "-o", out, "-q")
        self.assertRan(proc)
        self.assertIn("has no active stochastic layer", proc.stderr)
        # Identical passes up to GEMM rounding across batch rows.
        self.assertTrue(all(float(r["mutual_information"]) < 1e-6 for r in read_csv(out)))

    def test_a_missing_input_is_in_the_summary(self):
        # Exit 1 for the missing input, and the summary says why (it used to say only "30
        # analysed, 0 failed").
        missing = self.path("nonexistent")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"), missing,
                       "-T", 2, "-q", "--threads", 1)
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertEqual(proc.stderr, f"error: {missing}: no such file or folder\n")
        self.assertIn("\nImages     30 analysed, 0 failed, 30 in total; 1 input not found or not "
                      "readable (listed below)\n", proc.stdout)
        self.assertTrue(proc.stdout.endswith(
            f"\nInputs not analysed:\n  {missing}: no such file or folder\n"), proc.stdout)


class Info(CliTestCase):
    def test_mc_model_is_stochastic(self):
        proc = run_cli("info", "--model", DEMO_MODEL)
        self.assertRan(proc)
        self.assertIn("Name          fmnist-mc-cnn", proc.stdout)
        self.assertRegex(proc.stdout, r"Dropout       [1-9]\d* modules?: ")
        self.assertIn("Stochastic    yes", proc.stdout)
        self.assertIn("verified, the encoder runs once per image", proc.stdout)

    def test_twin_has_no_stochastic_layers(self):
        proc = run_cli("info", "--model", TWIN_MODEL)
        self.assertRan(proc)
        self.assertIn("Dropout       0 modules", proc.stdout)
        self.assertIn("Stochastic    no", proc.stdout)


if __name__ == "__main__":
    main()
