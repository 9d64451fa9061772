"""`uncertainty-cli rank-breakdown` against numpy on the same run's results CSV: the true
class's rank from the mean probabilities, the share per group (summing to 100 %), and each
group's mean and median of every score."""
import os

import numpy as np

from clitest import EXIT_CANNOT_RUN, REPO, CliTestCase, DEMO_MODEL, SAMPLES, main, read_csv, run_cli

SCORES = {  # breakdown column suffix -> results CSV column
    "predictive_entropy": "predictive_entropy",
    "mutual_information": "mutual_information",
    "expected_entropy": "expected_entropy",
    "variation_ratio": "variation_ratio",
    "margin": "margin",
    "max_probability": "max_prob",
}


class RankBreakdown(CliTestCase):
    def test_matches_numpy_on_the_same_run(self):
        run = ["-T", "30", "--seed", "2"]
        results, breakdown = self.path("r.csv"), self.path("b.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", results, "-q",
                               *run))
        proc = run_cli("rank-breakdown", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", breakdown, "-q",
                       *run)
        self.assertRan(proc)
        rows = read_csv(results)
        classes = [c[len("mean_"):] for c in rows[0] if c.startswith("mean_")]
        probs = np.array([[float(r["mean_" + c]) for c in classes] for r in rows],
                         dtype=np.float32)
        labels = np.array([classes.index(r["label"]) for r in rows])
        ranks = []
        for p, y in zip(probs, labels):
            # Ties: the lower class index ranks first (as argmax breaks them).
            ranks.append(1 + int((p > p[y]).sum() + (p[:y] == p[y]).sum()))
        group = np.minimum(np.array(ranks), 3)
        table = read_csv(breakdown)
        self.assertEqual([r["true_class_rank"] for r in table], ["1", "2", "3+"])
        self.assertAlmostEqual(sum(float(r["share"]) for r in table), 1.0, 9)
        for g, row in zip((1, 2, 3), table):
            mask = group == g
            self.assertEqual(int(row["images"]), mask.sum())
            self.assertAlmostEqual(float(row["share"]), mask.mean(), 8)
            if not mask.any():
                continue
            for name, column in SCORES.items():
                values = np.array([float(r[column]) for r in rows])[mask]
                self.assertAlmostEqual(float(row["mean_" + name]), values.mean(), 6, name)
                self.assertAlmostEqual(float(row["median_" + name]), np.median(values), 6, name)
        # Uncertainty rises as the true class falls down the ranking (the write-up's finding).
        entropy = [float(r["mean_predictive_entropy"]) for r in table if int(r["images"])]
        self.assertEqual(entropy, sorted(entropy))
        self.assertIn("True-class rank of 300 labelled images", proc.stdout)

    def test_logit_variance_columns_only_for_a_heteroscedastic_model(self):
        hetero = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
        run = ["--method", "deterministic", "-q", "--threads", 1]
        results, breakdown = self.path("r.csv"), self.path("b.csv")
        bags = SAMPLES + "/Bag"  # every bag ranks its true class first: one group
        self.assertRan(run_cli("analyze", "-m", hetero, "-i", bags, "-o", results, *run))
        self.assertRan(run_cli("rank-breakdown", "-m", hetero, "-i", bags, "-o", breakdown, *run))
        variance = np.array([float(r["logit_variance"]) for r in read_csv(results)])
        first = read_csv(breakdown)[0]
        self.assertEqual(first["images"], "30")
        self.assertAlmostEqual(float(first["mean_logit_variance"]), variance.mean(), 6)
        self.assertAlmostEqual(float(first["median_logit_variance"]), np.median(variance), 6)
        self.assertRan(run_cli("rank-breakdown", "-m", DEMO_MODEL, "-i", bags, "-o", breakdown,
                               *run))
        self.assertNotIn("mean_logit_variance", read_csv(breakdown)[0])

    def test_needs_labels(self):
        digits = REPO + "/resources/samples/ood-digits"
        proc = run_cli("rank-breakdown", "-m", DEMO_MODEL, "-i", digits, "-o", self.path("b.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no labelled images", proc.stderr)

    def test_empty_groups_print_no_numbers(self):
        # All 30 bags rank their true class first: groups 2 and 3+ have no image, so no mean.
        bags = SAMPLES + "/Bag"
        proc = run_cli("rank-breakdown", "-m", DEMO_MODEL, "-i", bags, "-o", self.path("b.csv"),
                       "-T", 3, "-q", "--threads", 1)
        self.assertRan(proc)
        rows = {l.split()[0]: l.split() for l in proc.stdout.splitlines()
                if l.strip() and l.split()[0] in ("1", "2", "3+")}
        self.assertEqual(rows["1"][1:3], ["30", "100.0%"])
        self.assertEqual(rows["2"][1:], ["0", "0.0%", "-", "-", "-"])
        self.assertEqual(rows["3+"][1:], ["0", "0.0%", "-", "-", "-"])

    def test_labelled_images_that_all_fail(self):
        bag = self.broken_image_folder("Bag")
        out = self.path("b.csv")
        proc = run_cli("rank-breakdown", "-m", DEMO_MODEL, "-i", bag, "-o", out, "-T", 2, "-q")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertTrue(proc.stderr.endswith(
            "error: no labelled images in the inputs could be analysed (each failed, as said "
            "above)\n"), proc.stderr)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    main()
