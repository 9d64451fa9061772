"""Per-class thresholds: `thresholds --val` against numpy's percentile of the same per-image mean
probabilities, and `analyze --thresholds` applying the rule exactly as defined."""
import json

import numpy as np

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, SAMPLES, TWIN_MODEL, main,
                     read_csv, run_cli)


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
        means = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        labels = np.array([classes.index(r["label"]) for r in rows])
        predicted = means.argmax(axis=1)
        for c, name in enumerate(classes):
            correct = means[(labels == c) & (predicted == c), c]
            self.assertEqual(saved["support"][c], len(correct), name)
            self.assertAlmostEqual(saved["thresholds"][c], np.percentile(correct, 10), places=6)
        expected = [classes[p] if means[i, p] >= saved["thresholds"][p] else "unclassified"
                    for i, p in enumerate(predicted)]
        self.assertEqual([r["pred_threshold_rule"] for r in rows], expected)
        self.assertIn("unclassified", expected)

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
