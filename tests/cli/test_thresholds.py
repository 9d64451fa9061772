"""Per-class thresholds: `thresholds --val` against numpy's percentile of the same per-image mean
probabilities, and `analyze --thresholds` applying the rule exactly as defined."""
import json

import numpy as np

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, SAMPLES, TWIN_MODEL, VALIDATION,
                     main, read_csv, run_cli)


class Thresholds(CliTestCase):
    def test_thresholds_match_numpy_and_the_rule_is_applied(self):
        thresholds, results = self.path("t.json"), self.path("r.csv")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", SAMPLES, "-T", 30,
                               "--seed", 3, "--percentile", 10, "-o", thresholds))
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 30, "--seed", 3,
                               "--thresholds", thresholds, "-o", results, "-q"))
        with open(thresholds) as f:
            saved = json.load(f)
        classes = saved["classes"]
        rows = read_csv(results)
        means, labels, predicted = self.assertThresholdsMatchNumpy(saved, rows, 10)
        expected = [classes[p] if means[i, p] >= saved["thresholds"][p] else "unclassified"
                    for i, p in enumerate(predicted)]
        self.assertEqual([r["pred_threshold_rule"] for r in rows], expected)
        self.assertIn("unclassified", expected)

    def test_study_on_a_separate_test_set_matches_numpy(self):
        # Fitted on the validation images, judged on the disjoint demo test images.
        thresholds, results, study = self.path("t.json"), self.path("r.csv"), self.path("s.csv")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 20,
                               "--seed", 5, "-o", thresholds))
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 20, "--seed", 5,
                       "--thresholds", thresholds, "--threshold-report", study, "-o", results,
                       "-q")
        self.assertRan(proc)
        self.assertIn("Threshold rule (q = 10)", proc.stdout)
        with open(thresholds) as f:
            saved = json.load(f)
        self.assertEqual(sum(saved["support"]) > 400, True)  # of 500 validation images
        classes = saved["classes"]
        rows = read_csv(results)
        means = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        labels = np.array([classes.index(r["label"]) for r in rows])
        predicted = means.argmax(axis=1)
        # The engine compares float32 values: CSV and JSON hold them to 9 digits, which round-trip.
        top = means[np.arange(len(rows)), predicted].astype(np.float32)
        covered = top >= np.array(saved["thresholds"], dtype=np.float32)[predicted]
        correct = predicted == labels
        table = {r["class"]: r for r in read_csv(study)}
        self.assertEqual(list(table), classes + ["all"])
        for name, mask in [(c, labels == i) for i, c in enumerate(classes)] + [
                ("all", np.ones(len(rows), bool))]:
            row = table[name]
            self.assertEqual(int(row["images"]), mask.sum(), name)
            self.assertAlmostEqual(float(row["accuracy_before"]), correct[mask].mean(), 7)
            self.assertAlmostEqual(float(row["coverage"]), covered[mask].mean(), 7)
            after = correct[mask & covered].mean() if (mask & covered).any() else 0.0
            self.assertAlmostEqual(float(row["accuracy_after"]), after, 7)
            self.assertEqual(int(row["unclassified"]), (mask & ~covered).sum())
        # The seed study's effect: fewer answers, more of them right.
        self.assertLess(float(table["all"]["coverage"]), 1.0)
        self.assertGreater(float(table["all"]["accuracy_after"]),
                           float(table["all"]["accuracy_before"]))

    def test_thresholds_of_another_model_are_refused(self):
        thresholds = self.path("t.json")
        with open(thresholds, "w") as f:
            json.dump({"format": "uncertainty-explorer-thresholds/1", "model": "other",
                       "classes": ["a", "b"], "percentile": 10, "thresholds": [0.5, 0.5]}, f)
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--thresholds", thresholds)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("its classes do not match the model's", proc.stderr)


if __name__ == "__main__":
    main()
