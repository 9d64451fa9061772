"""`uncertainty-cli conformal` against numpy: the same runs' mean probabilities (analyze, same
seed and T) give the LAC and APS scores, q-hat, every prediction set, the coverage and sizes."""
import math
import os
import shutil

import numpy as np

from clitest import (EXIT_CANNOT_RUN, REPO, CliTestCase, DEMO_MODEL, SAMPLES, VALIDATION, main,
                     read_csv, run_cli, no_labelled_rows_error)


def mean_probabilities(path):
    rows = read_csv(path)
    classes = [c[len("mean_"):] for c in rows[0] if c.startswith("mean_")]
    # The engine works on float32; the CSV's 9 digits round-trip them.
    probs = np.array([[float(r["mean_" + c]) for c in classes] for r in rows], dtype=np.float32)
    labels = np.array([classes.index(r["label"]) for r in rows])
    return classes, [r["path"] for r in rows], probs.astype(np.float64), labels


def scores(method, probs, labels):
    if method == "lac":
        return 1.0 - probs[np.arange(len(labels)), labels]
    out = []
    for p, y in zip(probs, labels):
        order = np.argsort(-p, kind="stable")  # ties: lower class index first
        cumulative = np.cumsum(p[order])
        out.append(cumulative[list(order).index(y)])
    return np.array(out)


def overlap_warning(shared, total):
    """What conformal says when `shared` of its `total` test images were calibration images."""
    return (f"{shared} of the {total} test images are also validation images: their coverage "
            "is optimistic (calibrate and test on disjoint images)")


def image_count(folder):
    return len(os.listdir(folder))


def prediction_set(method, p, qhat):
    order = np.argsort(-p, kind="stable")
    kept = (1.0 - p[order] if method == "lac" else np.cumsum(p[order])) <= qhat
    return [int(c) for c, keep in zip(order, kept) if keep]


class Conformal(CliTestCase):
    def test_matches_numpy_on_the_same_runs(self):
        run = ["-T", "20", "--seed", "4"]
        val_csv, test_csv = self.path("val.csv"), self.path("test.csv")
        for inputs, out in ((VALIDATION, val_csv), (SAMPLES, test_csv)):
            self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", inputs, "-o", out, "-q",
                                   *run))
        sets_csv, sizes_csv = self.path("sets.csv"), self.path("sizes.csv")
        alpha = 0.1
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val", VALIDATION, "-i", SAMPLES,
                       "--alpha", alpha, "-o", sets_csv, "--sizes", sizes_csv, "-q", *run)
        self.assertRan(proc)

        classes, _, val_probs, val_labels = mean_probabilities(val_csv)
        _, paths, test_probs, test_labels = mean_probabilities(test_csv)
        n = len(val_labels)
        self.assertEqual(n, 500)
        rank = math.ceil((n + 1) * (1 - alpha))
        sets = {(r["path"], r["method"]): r for r in read_csv(sets_csv)}
        sizes = {(r["method"], int(r["size"])): int(r["images"]) for r in read_csv(sizes_csv)}
        for method in ("lac", "aps"):
            qhat = np.sort(scores(method, val_probs, val_labels))[rank - 1]
            covered, size_counts = 0, np.zeros(len(classes) + 1, int)
            for path, p, y in zip(paths, test_probs, test_labels):
                row = sets[(path, method)]
                self.assertAlmostEqual(float(row["qhat"]), qhat, 8)
                expected = prediction_set(method, p, qhat)
                got = [classes.index(c) for c in row["set"].split("|")] if row["set"] else []
                self.assertEqual(got, expected, (path, method))
                self.assertEqual(int(row["set_size"]), len(expected))
                self.assertEqual(row["covered"], "1" if y in expected else "0")
                covered += y in expected
                size_counts[len(expected)] += 1
            coverage = covered / len(paths)
            self.assertIn("%s  qhat" % method, proc.stdout)
            self.assertIn("coverage %.2f %%" % (100 * coverage), proc.stdout)
            for size, count in enumerate(size_counts):
                self.assertEqual(sizes[(method, size)], count, (method, size))
            # The guarantee is marginal, in expectation; on 300 images it holds within noise.
            self.assertGreater(coverage, 1 - alpha - 0.05, method)
        # Disjoint sets: no word about overlap.
        self.assertNotIn("optimistic", proc.stdout + proc.stderr)

    def assertWarnsOfOverlap(self, proc, shared, total):
        self.assertRan(proc)  # a warning, not an error
        warning = overlap_warning(shared, total)
        self.assertIn(f"warning: {warning}\n", proc.stderr)
        self.assertIn(f"Warning: {warning}\n", proc.stdout)

    def test_test_images_that_are_validation_images_are_warned_about(self):
        # The same folder spelt two ways (absolute, and ./Bag/ from its parent) plus one that is
        # not: the coverage of those 50 test images was measured on the calibration set.
        val_bag, test_bag = os.path.join(VALIDATION, "Bag"), os.path.join(SAMPLES, "Bag")
        shared, others = image_count(val_bag), image_count(test_bag)
        run = ["--method", "deterministic", "--threads", 1, "-q", "-o", self.path("s.csv")]
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val", val_bag, "-i", "./Bag/", test_bag,
                       *run, cwd=VALIDATION)
        self.assertWarnsOfOverlap(proc, shared, shared + others)
        self.assertIn(f"; {shared + others} test images", proc.stdout)

        # Through a symlinked folder.
        linked = self.path("linked")
        os.symlink(VALIDATION, linked)
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val", os.path.join(linked, "Bag"),
                       "-i", val_bag + "/", *run)
        self.assertWarnsOfOverlap(proc, shared, shared)

        # Disjoint folders: no warning.
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val", val_bag, "-i", test_bag, *run)
        self.assertRan(proc)
        self.assertNotIn("optimistic", proc.stdout + proc.stderr)

    def test_overlap_is_found_in_results_files_too(self):
        # Rows hold the paths as written: relative here, and spelt differently in the two files.
        val, test = self.path("val.csv"), self.path("test.csv")
        run = ["--method", "deterministic", "--threads", 1, "-q"]
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", "Bag", "-o", val, *run,
                               cwd=VALIDATION))
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", "./Bag//", "Coat", "-o", test,
                               *run, cwd=VALIDATION))
        bag = image_count(os.path.join(VALIDATION, "Bag"))
        coat = image_count(os.path.join(VALIDATION, "Coat"))
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val-results", val, "--input-results",
                       test, "-o", self.path("s.csv"), cwd=VALIDATION)
        self.assertWarnsOfOverlap(proc, bag, bag + coat)
        # Disjoint results files: no warning.
        other = self.path("other.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"),
                               "-o", other, *run))
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val-results", val, "--input-results",
                       other, "-o", self.path("s.csv"), cwd=VALIDATION)
        self.assertRan(proc)
        self.assertNotIn("optimistic", proc.stdout + proc.stderr)

    def test_needs_labelled_validation_images(self):
        digits = os.path.join(REPO, "resources", "samples", "ood-digits")  # no class folders
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val", digits,
                       "-i", SAMPLES, "-o", self.path("s.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no labelled images in the validation inputs", proc.stderr)

    def test_needs_labelled_validation_results(self):
        # As --val with no labelled image: exit 2, no sets (it used to give q-hat = inf and a
        # coverage of 100 %).
        digits = os.path.join(REPO, "resources", "samples", "ood-digits")
        results = self.path("digits.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", digits, "-T", 2, "-q",
                               "--threads", 1, "-o", results))
        sets, test = self.path("s.csv"), self.path("test.csv")
        shutil.copy(results, test)
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val-results", results,
                       "--input-results", test, "-o", sets)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, no_labelled_rows_error("validation inputs"))
        self.assertEqual(proc.stdout, "")
        self.assertFalse(os.path.exists(sets))

    def test_one_results_file_as_both_sets_is_refused(self):
        # Calibrating on the test images themselves: the coverage would say nothing. It used to
        # run.
        results, sets = self.path("val.csv"), self.path("s.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(VALIDATION, "Bag"),
                               "-T", 2, "-q", "--threads", 1, "-o", results))
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val-results", results,
                       "--input-results", results, "-o", sets)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, f"error: {results} is given to both --val-results and "
                                      "--input-results: the two sets would be the same images\n")
        self.assertFalse(os.path.exists(sets))

    def test_coverage_of_unlabelled_test_images_is_not_a_number(self):
        # No labelled test image: there is no coverage, so it is "n/a", not "0.00 %" (the sets
        # CSV leaves `covered` empty the same way).
        digits = os.path.join(REPO, "resources", "samples", "ood-digits")
        val, test = self.path("val.csv"), self.path("test.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(SAMPLES, "Bag"),
                               "-T", 2, "-q", "--threads", 1, "-o", val))
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", digits, "-T", 2, "-q",
                               "--threads", 1, "-o", test))
        sets = self.path("s.csv")
        proc = run_cli("conformal", "-m", DEMO_MODEL, "--val-results", val, "--input-results",
                       test, "-o", sets, "--score", "lac")
        self.assertRan(proc)
        self.assertIn("100 test images (0 labelled)", proc.stdout)
        line = next(l for l in proc.stdout.splitlines() if l.startswith("  lac  qhat"))
        self.assertIn("  coverage n/a (no labelled test image)  mean set size ", line)
        self.assertNotIn("%", line)
        self.assertEqual({r["covered"] for r in read_csv(sets)}, {""})


if __name__ == "__main__":
    main()
