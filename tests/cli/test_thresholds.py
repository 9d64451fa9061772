"""Per-class thresholds: `thresholds --val` against numpy's percentile of the same per-image mean
probabilities, and `analyze --thresholds` applying the rule exactly as defined."""
import json
import os

import numpy as np

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, EXIT_SOME_FAILED, REPO, SAMPLES,
                     TWIN_MODEL, VALIDATION, main, no_labelled_rows_error, read_csv,
                     run_cli)

DIGITS = os.path.join(REPO, "resources", "samples", "ood-digits")  # no class-named folders


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

    def test_unlabelled_validation_results_are_refused(self):
        # As --val with no labelled image: exit 2, no file (it used to write all-zero thresholds).
        results, thresholds = self.path("digits.csv"), self.path("t.json")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", DIGITS, "-T", 2, "-q",
                               "--threads", 1, "-o", results))
        proc = run_cli("thresholds", "-m", DEMO_MODEL, "--val-results", results, "-o",
                       thresholds)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, no_labelled_rows_error("validation inputs"))
        self.assertEqual(proc.stdout, "")
        self.assertFalse(os.path.exists(thresholds))

    def test_results_given_twice_or_from_a_gamma_sweep_are_refused(self):
        # The same rows twice would count twice; a gamma sweep's per-image CSV (the results
        # columns plus gamma, one row per image and gamma) used to be read as results.
        results, thresholds = self.path("r.csv"), self.path("t.json")
        bag = os.path.join(VALIDATION, "Bag")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, "-T", 2, "-q",
                               "--threads", 1, "-o", results))
        link = self.path("link.csv")
        os.symlink(results, link)
        sweep = self.path("per_image.csv")
        self.assertRan(run_cli("gamma-sweep", "-m", DEMO_MODEL, "-i", bag, "-T", 2, "-q",
                               "--threads", 1, "--gammas", "1", "-o", self.path("sweep.csv"),
                               "--per-image", sweep))
        for files, message in (
                ([results, results], f"{results} is given twice to --val-results: its rows "
                                     "would count twice"),
                ([results, link], f"{results} and {link} are one file, given twice to "
                                  "--val-results: its rows would count twice"),
                ([sweep], f"{sweep} (--val-results) is a gamma-sweep per-image CSV (it has a "
                          "gamma column: one row per image and gamma value), not a results CSV "
                          "from `analyze` or `merge`")):
            proc = run_cli("thresholds", "-m", DEMO_MODEL, "--val-results", *files, "-o",
                           thresholds)
            self.assertRan(proc, EXIT_CANNOT_RUN)
            self.assertEqual(proc.stderr, f"error: {message}\n")
            self.assertFalse(os.path.exists(thresholds))

    def test_run_options_with_results_warn(self):
        # Results files are not run again: the run options cannot change the thresholds.
        results, thresholds = self.path("r.csv"), self.path("t.json")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(VALIDATION, "Bag"),
                               "-T", 2, "-q", "--threads", 1, "-o", results))
        proc = run_cli("thresholds", "-m", DEMO_MODEL, "--val-results", results, "-o", thresholds,
                       "--method", "deterministic", "-K", 3, "--tta", 2, "--tta-flip", 0.5)
        self.assertRan(proc)
        self.assertEqual(proc.stderr, "warning: --method, -K/--logit-samples, --tta, --tta-flip "
                                      "have no effect with --val-results: results files are "
                                      "read, not run again\n")

    def test_quiet_and_the_seed_is_recorded(self):
        # -q as on every other inference command: no progress on stderr. The JSON records
        # --seed; thresholds from results files, whose seed is not known, record none.
        thresholds, results = self.path("t.json"), self.path("r.csv")
        proc = run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3, "--seed", 9,
                       "--threads", 1, "-q", "-o", thresholds)
        self.assertRan(proc)
        self.assertEqual(proc.stderr, "")
        with open(thresholds) as f:
            saved = json.load(f)
        self.assertEqual(saved["seed"], 9)
        self.assertEqual(saved["samples"], 3)
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", VALIDATION, "-T", 3, "--seed",
                               9, "--threads", 1, "-q", "-o", results))
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val-results", results,
                               "--quiet", "-o", thresholds))
        with open(thresholds) as f:
            from_results = json.load(f)
        self.assertNotIn("seed", from_results)
        # Same images, same seed and T: the same thresholds either way.
        self.assertEqual(from_results["thresholds"], saved["thresholds"])

    def test_thresholds_of_another_model_method_or_t_warn(self):
        thresholds = self.path("t.json")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3,
                               "--threads", 1, "-q", "-o", thresholds))
        bag = os.path.join(SAMPLES, "Bag")
        # Same classes, so applied; but another model and method: said on stderr.
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", bag, "--method", "deterministic",
                       "--thresholds", thresholds, "-q", "--threads", 1)
        self.assertRan(proc)
        self.assertEqual(proc.stderr,
                         f'warning: {thresholds} was computed for model "fmnist-mc-cnn", this '
                         'run uses model "fmnist-det-cnn"\n'
                         f"warning: {thresholds} was computed with mc-dropout, this run uses "
                         "deterministic\n")
        self.assertIn("threshold rule", proc.stdout)
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, "-T", 5, "--thresholds",
                       thresholds, "-q", "--threads", 1)
        self.assertRan(proc)
        self.assertEqual(proc.stderr, f"warning: {thresholds} was computed with T = 3 passes, "
                                      "this run uses T = 5\n")
        # The run the thresholds were made for: nothing to say.
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, "-T", 3, "--thresholds",
                       thresholds, "-q", "--threads", 1)
        self.assertRan(proc)
        self.assertEqual(proc.stderr, "")

    def test_study_prints_no_rate_for_a_class_without_images(self):
        # Only bags: every other class has no test image, so no accuracy or coverage (they used
        # to print 0.0%).
        thresholds = self.path("t.json")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3,
                               "--threads", 1, "-q", "-o", thresholds))
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"), "-T", 3,
                       "--thresholds", thresholds, "-q", "--threads", 1)
        self.assertRan(proc)
        study = proc.stdout[proc.stdout.index("Threshold rule (q = 10)"):].splitlines()
        rows = {line.split()[0]: line.split() for line in study[2:] if line.strip()}
        self.assertEqual(rows["Trouser"][-4:], ["0", "-", "-", "-"])
        self.assertEqual(rows["Bag"][-4], "30")
        self.assertTrue(all(cell.endswith("%") for cell in rows["Bag"][-3:]), rows["Bag"])
        self.assertNotRegex(proc.stdout, r"(?<![0-9])0\.0%")

    def test_threshold_report_needs_labelled_images(self):
        # It used to write no report, say nothing and exit 0; now it stops before running.
        thresholds, study, results = self.path("t.json"), self.path("s.csv"), self.path("r.csv")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3,
                               "--threads", 1, "-q", "-o", thresholds))
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", DIGITS, "-T", 3, "--thresholds",
                       thresholds, "--threshold-report", study, "-o", results, "-q")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr,
                         "error: --threshold-report needs labelled images, and none of the inputs "
                         "is labelled (labels come from folders named after the model's "
                         "classes)\n")
        self.assertFalse(os.path.exists(study))
        self.assertFalse(os.path.exists(results))

    def test_threshold_report_when_every_labelled_image_fails(self):
        # Labelled, but none readable: known only after the run, so a warning says why no
        # report was written (the failures make it exit 1).
        thresholds, study = self.path("t.json"), self.path("s.csv")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3,
                               "--threads", 1, "-q", "-o", thresholds))
        bag = self.broken_image_folder("Bag")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, "-T", 3,
                       "--thresholds", thresholds, "--threshold-report", study, "-q")
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertTrue(proc.stderr.endswith(
            f"warning: no threshold report written to {study}: none of the labelled images "
            "could be analysed\n"), proc.stderr)
        self.assertFalse(os.path.exists(study))

    def test_a_shard_without_labelled_images_does_not_fail_the_job(self):
        # One labelled image among 100 unlabelled, in two shards: one shard holds it and writes
        # its report; the other holds none, and says so instead of failing the sharded job.
        thresholds = self.path("t.json")
        self.assertRan(run_cli("thresholds", "-m", DEMO_MODEL, "--val", VALIDATION, "-T", 3,
                               "--threads", 1, "-q", "-o", thresholds))
        bag = self.path("Bag")
        os.makedirs(bag)
        source = os.path.join(SAMPLES, "Bag", sorted(os.listdir(os.path.join(SAMPLES, "Bag")))[0])
        with open(source, "rb") as f, open(os.path.join(bag, "one.png"), "wb") as g:
            g.write(f.read())
        reports = []
        for shard in ("0/2", "1/2"):
            study = self.path(f"s{shard[0]}.csv")
            proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", bag, DIGITS, "-T", 2, "--shard",
                           shard, "--thresholds", thresholds, "--threshold-report", study,
                           "-o", self.path(f"r{shard[0]}.csv"), "-q")
            self.assertRan(proc)
            reports.append((os.path.exists(study), proc.stderr))
        self.assertEqual(sorted(written for written, _ in reports), [False, True])
        for written, stderr in reports:
            self.assertEqual("this shard holds no labelled image" in stderr, not written, stderr)


if __name__ == "__main__":
    main()
