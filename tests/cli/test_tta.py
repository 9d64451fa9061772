"""Test-time augmentation from the CLI: the mirror average against PyTorch's own flip, spread for
a model without dropout, thresholds from TTA means against numpy, and the policy file."""
import json

import numpy as np
import torch

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, SAMPLES, TWIN_MODEL, VALIDATION,
                     main, read_csv, run_cli, sample_files)
from torch_oracle import gray_inputs, load_bundle

POLICY = ["--tta-flip", 0.5, "--tta-shift", 0.08, "--tta-rotate", 10, "--tta-noise", 0.02]


def means_of(rows, classes):
    return np.array([[float(r["mean_" + c]) for c in classes] for r in rows])


class TestTimeAugmentation(CliTestCase):
    def test_original_plus_mirror_is_pytorchs_mean_of_both(self):
        results = self.path("r.csv")
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "--tta", 2, "--tta-keep-original", "--tta-flip",
                               1, "-o", results, "-q"))
        model, meta = load_bundle(TWIN_MODEL)
        files = sample_files()
        x = gray_inputs(files, meta)
        with torch.no_grad():
            expected = (torch.softmax(model(x), 1) + torch.softmax(model(torch.flip(x, [3])), 1))
        expected = (expected / 2).numpy()
        rows = read_csv(results)
        self.assertEqual([r["path"] for r in rows], files)
        self.assertTrue(all(r["samples"] == "2" for r in rows))
        np.testing.assert_allclose(means_of(rows, meta["classes"]), expected, atol=2e-5)

    def test_a_model_without_dropout_gets_spread_from_augmentation(self):
        mc, tta = self.path("mc.csv"), self.path("tta.csv")
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "-T", 10, "-o", mc,
                               "-q"))
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method", "deterministic",
                       "--tta", 16, *POLICY, "-o", tta, "-q")
        self.assertRan(proc)
        self.assertIn("deterministic + TTA x16: flip 0.5, shift 0.08, rotate 10°, noise 0.02",
                      proc.stdout)
        self.assertIn("x 16 copies", proc.stdout)
        mc_mi = np.array([float(r["mutual_information"]) for r in read_csv(mc)])
        tta_rows = read_csv(tta)
        tta_mi = np.array([float(r["mutual_information"]) for r in tta_rows])
        self.assertLess(mc_mi.max(), 1e-6)  # MC dropout cannot move this model
        self.assertGreater(np.median(tta_mi), 0.01)
        self.assertTrue(all(r["samples"] == "16" for r in tta_rows))
        # Same seed, same numbers; another augmentation seed, other numbers.
        again, other = self.path("again.csv"), self.path("other.csv")
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "--tta", 16, *POLICY, "-o", again, "-q"))
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "--tta", 16, *POLICY, "--tta-seed", 9, "-o",
                               other, "-q"))
        classes = load_bundle(TWIN_MODEL)[1]["classes"]
        np.testing.assert_array_equal(means_of(read_csv(again), classes),
                                      means_of(tta_rows, classes))
        self.assertGreater(np.abs(means_of(read_csv(other), classes) -
                                  means_of(tta_rows, classes)).max(), 1e-3)

    def test_combined_with_mc_dropout_every_copy_runs_T_passes(self):
        results = self.path("r.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 5, "--tta", 4, *POLICY,
                       "-o", results, "-q")
        self.assertRan(proc)
        self.assertIn("T = 5 passes x 4 copies", proc.stdout)
        self.assertTrue(all(r["samples"] == "20" for r in read_csv(results)))

    def test_thresholds_from_tta_means_match_numpy_and_work_in_the_study(self):
        thresholds, val, study = self.path("t.json"), self.path("val.csv"), self.path("s.csv")
        args = ["--method", "deterministic", "--tta", 8, *POLICY, "--tta-seed", 4]
        self.assertRan(run_cli("thresholds", "-m", TWIN_MODEL, "--val", VALIDATION, *args,
                               "--percentile", 10, "-o", thresholds))
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", VALIDATION, *args, "-o", val,
                               "-q"))
        with open(thresholds) as f:
            saved = json.load(f)
        self.assertEqual(saved["augmentation"]["copies"], 8)
        self.assertEqual(saved["augmentation"]["seed"], 4)
        self.assertThresholdsMatchNumpy(saved, read_csv(val), 10)
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, *args, "--thresholds",
                       thresholds, "--threshold-report", study, "-q")
        self.assertRan(proc)
        overall = {r["class"]: r for r in read_csv(study)}["all"]
        self.assertLess(float(overall["coverage"]), 1.0)
        self.assertGreater(float(overall["accuracy_after"]), float(overall["accuracy_before"]))

    def test_policy_file_gives_the_same_run_as_the_flags(self):
        policy, by_file, by_flags = self.path("p.json"), self.path("a.csv"), self.path("b.csv")
        with open(policy, "w") as f:
            json.dump({"copies": 6, "flip": 0.5, "shift": 0.08, "rotate_degrees": 10,
                       "noise": 0.02, "seed": 0}, f)
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "--tta-policy", policy, "-o", by_file, "-q"))
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--method",
                               "deterministic", "--tta", 6, *POLICY, "-o", by_flags, "-q"))
        classes = load_bundle(TWIN_MODEL)[1]["classes"]
        np.testing.assert_array_equal(means_of(read_csv(by_file), classes),
                                      means_of(read_csv(by_flags), classes))

    def test_raw_samples_name_the_copy_and_the_pass(self):
        raw = self.path("raw.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES + "/Bag", "-T", 3,
                               "--tta", 4, *POLICY, "--raw-out", raw, "-q"))
        rows = read_csv(raw)
        self.assertEqual(list(rows[0])[:3], ["path", "copy", "pass"])
        first = [(int(r["copy"]), int(r["pass"])) for r in rows[:12]]
        self.assertEqual(first, [(c, t) for c in range(4) for t in range(3)])

    def test_tta_zero_turns_a_policy_file_off(self):
        policy, results = self.path("p.json"), self.path("r.csv")
        with open(policy, "w") as f:
            json.dump({"copies": 6, "shift": 0.1}, f)
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES + "/Bag", "--method",
                               "deterministic", "--tta-policy", policy, "--tta", 0, "-o",
                               results, "-q"))
        self.assertTrue(all(r["samples"] == "1" for r in read_csv(results)))

    def test_thresholds_from_another_augmentation_are_flagged(self):
        thresholds = self.path("t.json")
        self.assertRan(run_cli("thresholds", "-m", TWIN_MODEL, "--val", SAMPLES + "/Bag",
                               "--method", "deterministic", "--tta", 3, "-o", thresholds))
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES + "/Bag", "--method",
                       "deterministic", "--thresholds", thresholds, "-q")
        self.assertRan(proc)
        self.assertIn("was computed with TTA x3", proc.stderr)
        self.assertIn("this run uses no augmentation", proc.stderr)

    def test_bad_settings_say_what_is_wrong(self):
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--tta-flip", 0.5)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("add --tta N", proc.stderr)
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--tta", 4, "--tta-shift", 0.9)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("shift must be between 0 and 0.5", proc.stderr)
        policy = self.path("bad.json")
        with open(policy, "w") as f:
            f.write('{"copies": 4, "rotation": 10}')
        proc = run_cli("analyze", "-m", TWIN_MODEL, "-i", SAMPLES, "--tta-policy", policy)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn('unknown augmentation setting "rotation"', proc.stderr)


if __name__ == "__main__":
    main()
