"""`uncertainty-cli compare` against an independent computation: on deterministic methods (one
exactly reproducible pass each) PyTorch's probabilities give accuracy, NLL, Brier, ECE, AURC
and the OOD AUROCs of every row; stochastic methods agree with `analyze` run alone; the demo's
methods keep the field's known ordering; bad models, corrupt images and Ctrl-C behave as in
the other commands."""
import json
import os
import shutil
import signal
import subprocess
import time

import numpy as np
from PIL import Image
from sklearn.metrics import roc_auc_score

from clitest import (CLI, EXIT_CANNOT_RUN, EXIT_OK, EXIT_SOME_FAILED, DEMO_MODEL, REPO, SAMPLES,
                     TWIN_MODEL, CliTestCase, main, read_csv, run_cli, sample_files,
                     wait_until_writing)
from torch_oracle import deterministic_probabilities

OOD = os.path.join(REPO, "resources", "samples", "ood-digits")
DEMO_METHODS = os.path.join(REPO, "resources", "compare", "demo-methods.json")


def entropy(p):
    return -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0)).sum(axis=1)


def expected_row(probs, labels, out_probs):
    """Every number of a deterministic method's row, from its probabilities alone."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == labels
    n = len(labels)
    onehot = np.eye(probs.shape[1])[labels]
    ece = 0.0
    for b in range(15):
        lo, hi = b / 15, (b + 1) / 15
        inside = (conf > lo) & (conf <= hi) if b > 0 else (conf <= hi)
        if inside.any():
            ece += inside.sum() / n * abs(correct[inside].mean() - conf[inside].mean())

    def aurc(uncertainty):
        order = np.argsort(uncertainty, kind="stable")
        errors = np.cumsum(~correct[order])
        return (errors / np.arange(1, n + 1)).mean()

    h_in, h_out = entropy(probs.astype(np.float64)), entropy(out_probs.astype(np.float64))
    truth = np.r_[np.zeros(n), np.ones(len(out_probs))]
    return {
        "accuracy": correct.mean(),
        "nll": -np.log(np.maximum(probs[np.arange(n), labels], 1e-12)).mean(),
        "brier": ((probs - onehot) ** 2).sum(axis=1).mean(),
        "ece": ece,
        "aurc_max_prob": aurc(-conf),
        "aurc_entropy": aurc(h_in),
        "ood_auroc_entropy": roc_auc_score(truth, np.r_[h_in, h_out]),
        "ood_auroc_mi": 0.5,  # one pass: no epistemic spread anywhere, every image ties
        "mean_predictive_entropy": h_in.mean(),
        "mean_mutual_information": 0.0,
    }


def ood_files():
    return sorted(os.path.join(OOD, f) for f in os.listdir(OOD))


class Compare(CliTestCase):
    def test_deterministic_rows_match_pytorch(self):
        table, images = self.path("table.csv"), self.path("images.csv")
        proc = run_cli("compare", "-i", SAMPLES, "--ood", OOD, "-q", "-o", table,
                       "--per-image", images,
                       "--add", f"label=twin,model={TWIN_MODEL},method=deterministic",
                       "--add", f"label=mc eval,model={DEMO_MODEL},method=deterministic")
        self.assertRan(proc)
        rows = {r["method"]: r for r in read_csv(table)}
        self.assertEqual(list(rows), ["twin", "mc eval"])
        files = sample_files()
        for label, model in (("twin", TWIN_MODEL), ("mc eval", DEMO_MODEL)):
            classes, probs = deterministic_probabilities(model, files)
            _, out_probs = deterministic_probabilities(model, ood_files())
            labels = np.array([classes.index(os.path.basename(os.path.dirname(f)).replace(
                "_", "/")) for f in files])
            row = rows[label]
            self.assertEqual((row["images"], row["labelled"], row["ood_images"]),
                             ("300", "300", "100"))
            self.assertEqual(row["description"], "deterministic")
            self.assertEqual(row["complete"], "1")
            for column, value in expected_row(probs, labels, out_probs).items():
                self.assertAlmostEqual(float(row[column]), value, places=5,
                                       msg=f"{label}: {column}")
            self.assertEqual(row["mean_logit_variance"], "")  # not a heteroscedastic model
            # The per-image file holds the same images under the same method.
            mine = [r for r in read_csv(images) if r["method"] == label]
            self.assertEqual(len(mine), 400)
            inside = [r for r in mine if r["set"] == "in"]
            self.assertEqual([r["path"] for r in inside], files)
            # Each image runs alone here (per-image streams), as the oracle runs them; the
            # decoders' float64 vs float32 arithmetic leaves ~1e-6.
            _, alone = deterministic_probabilities(model, files, one_at_a_time=True)
            self.assertLess(np.abs(np.array([float(r["max_prob"]) for r in inside]) -
                                   alone.max(axis=1)).max(), 2e-6)
        # The aligned table on stdout names both methods and every column.
        self.assertIn("AUROC-MI", proc.stdout)
        self.assertIn("mc eval", proc.stdout)

    def test_stochastic_rows_agree_with_analyze(self):
        # Same model, T and seed: a compare row is the run `analyze` does alone.
        files = sample_files(per_class=5)
        folder = self.path("in")
        for f in files:
            os.makedirs(os.path.join(folder, os.path.basename(os.path.dirname(f))), exist_ok=True)
            shutil.copy(f, os.path.join(folder, os.path.basename(os.path.dirname(f))))
        policy = os.path.join(REPO, "resources", "tta", "demo-policy.json")
        table = self.path("table.csv")
        proc = run_cli("compare", "-i", folder, "--ood", OOD, "-q", "-o", table, "--seed", 3,
                       "--add", f"label=MC,model={DEMO_MODEL},T=20",
                       "--add", f"label=TTA,model={TWIN_MODEL},method=deterministic,tta={policy}")
        self.assertRan(proc)
        rows = {r["method"]: r for r in read_csv(table)}
        for label, extra in (("MC", ["-T", 20]),
                             ("TTA", ["--method", "deterministic", "--tta-policy", policy])):
            model = DEMO_MODEL if label == "MC" else TWIN_MODEL
            results = self.path(label + ".csv")
            self.assertRan(run_cli("analyze", "-m", model, "-i", folder, "-o", results, "--seed",
                                   3, "-q", *extra))
            analyzed = read_csv(results)
            for column in ("predictive_entropy", "expected_entropy", "mutual_information"):
                mean = np.mean([float(r[column]) for r in analyzed])
                self.assertAlmostEqual(float(rows[label]["mean_" + column]), mean, places=6,
                                       msg=f"{label}: {column}")
            accuracy = np.mean([r["correct_argmax"] == "1" for r in analyzed])
            self.assertAlmostEqual(float(rows[label]["accuracy"]), accuracy, places=9)
        self.assertIn("TTA x32", rows["TTA"]["description"])
        self.assertEqual(rows["TTA"]["samples_per_image"], "32")
        self.assertEqual(rows["MC"]["samples_per_image"], "20")
        # MC dropout has epistemic spread, and it flags the digits better than chance.
        self.assertGreater(float(rows["MC"]["mean_mutual_information"]), 0.0)
        self.assertGreater(float(rows["MC"]["ood_auroc_mi"]), 0.7)

    def test_methods_file_and_add_combine(self):
        methods = self.path("methods.json")
        with open(methods, "w") as f:
            json.dump({"format": "uncertainty-explorer-methods/1", "methods": [
                {"label": "twin", "model": os.path.relpath(TWIN_MODEL, self.tmp),
                 "method": "deterministic"}]}, f)
        table = self.path("table.csv")
        proc = run_cli("compare", "-i", os.path.join(SAMPLES, "Bag"), "-q", "-o", table,
                       "--methods", methods, "--add", f"label=mc,model={DEMO_MODEL},T=3")
        self.assertRan(proc)
        rows = read_csv(table)
        self.assertEqual([r["method"] for r in rows], ["twin", "mc"])
        self.assertEqual(rows[0]["ood_auroc_entropy"], "")  # no --ood: no AUROC
        # A saved methods file always carries samples and logit_samples: no warning for them.
        self.assertNotIn("warning", proc.stderr)

    def test_add_fields_that_cannot_change_the_run_are_warned_about(self):
        # As analyze warns about -T with deterministic and -K without a heteroscedastic model.
        table = self.path("table.csv")
        proc = run_cli("compare", "-i", os.path.join(SAMPLES, "Bag"), "-q", "-o", table,
                       "--add", f"label=det,model={TWIN_MODEL},method=deterministic,T=30",
                       "--add", f"label=mc,model={DEMO_MODEL},T=3,K=20")
        self.assertRan(proc)
        self.assertIn('warning: method "det": T has no effect with method=deterministic',
                      proc.stderr)
        self.assertIn('warning: method "mc": K has no effect: ' + DEMO_MODEL +
                      " is not heteroscedastic", proc.stderr)
        self.assertEqual(proc.stderr.count("warning"), 2)
        self.assertEqual([r["method"] for r in read_csv(table)], ["det", "mc"])

    def test_per_image_logit_variance_is_empty_without_one(self):
        # As analyze's results and the table's mean_logit_variance: empty, not 0, for a model
        # with no logit variance; the heteroscedastic model's is a number.
        hetero = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
        images = self.path("images.csv")
        proc = run_cli("compare", "-i", os.path.join(SAMPLES, "Bag"), "-q", "--threads", 1,
                       "-o", self.path("table.csv"), "--per-image", images,
                       "--add", f"label=twin,model={TWIN_MODEL},method=deterministic",
                       "--add", f"label=hetero,model={hetero},T=2,K=2")
        self.assertRan(proc)
        rows = read_csv(images)
        self.assertEqual(len(rows), 60)
        self.assertEqual({r["logit_variance"] for r in rows if r["method"] == "twin"}, {""})
        self.assertTrue(all(float(r["logit_variance"]) > 0
                            for r in rows if r["method"] == "hetero"))
        table = {r["method"]: r for r in read_csv(self.path("table.csv"))}
        self.assertEqual(table["twin"]["mean_logit_variance"], "")

    def test_aleatoric_score_is_higher_on_noisy_and_ambiguous_images(self):
        model = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
        method = "label=aleatoric,model={},T=10".format(model)
        files = sample_files(per_class=6)
        sets = {name: self.path(name) for name in ("clean", "noisy", "ambiguous")}
        for folder in sets.values():
            os.makedirs(folder)
        rng = np.random.default_rng(0)
        pixels = [np.asarray(Image.open(f).convert("L"), dtype=np.float64) / 255 for f in files]
        for i, x in enumerate(pixels):
            noisy = np.clip(x + rng.normal(0, 0.35, x.shape), 0, 1)
            # Half one garment, half a garment of another class.
            mixed = 0.5 * x + 0.5 * pixels[(i + 6 * 3) % len(pixels)]
            for name, image in (("clean", x), ("noisy", noisy), ("ambiguous", mixed)):
                Image.fromarray((image * 255).round().astype(np.uint8)).save(
                    os.path.join(sets[name], f"{i:03d}.png"))
        aleatoric, logit_variance = {}, {}
        for name, folder in sets.items():
            table = self.path(name + ".csv")
            self.assertRan(run_cli("compare", "-i", folder, "-q", "-o", table, "--add", method))
            row = read_csv(table)[0]
            aleatoric[name] = float(row["mean_expected_entropy"])
            if row["mean_logit_variance"]:
                logit_variance[name] = float(row["mean_logit_variance"])
        self.assertGreater(aleatoric["noisy"], aleatoric["clean"], aleatoric)
        self.assertGreater(aleatoric["ambiguous"], aleatoric["clean"], aleatoric)
        # The heteroscedastic head's own aleatoric estimate rises on noise and on blends too.
        self.assertGreater(logit_variance["noisy"], logit_variance["clean"], logit_variance)
        self.assertGreater(logit_variance["ambiguous"], logit_variance["clean"], logit_variance)

    def test_demo_methods_keep_the_known_ordering(self):
        table = self.path("table.csv")
        proc = run_cli("compare", "-i", SAMPLES, "--ood", OOD, "-q", "-o", table, "--methods",
                       DEMO_METHODS, timeout=1800)
        self.assertRan(proc)
        rows = {r["method"]: r for r in read_csv(table)}
        self.assertEqual(len(rows), 6)
        ensemble, mc = rows["deep ensemble x5"], rows["MC dropout T=30"]
        # Lakshminarayanan et al. 2017; Ovadia et al. 2019: ensembles detect OOD at least as
        # well as MC dropout.
        for column in ("ood_auroc_entropy", "ood_auroc_mi"):
            self.assertGreaterEqual(float(ensemble[column]), float(mc[column]), column)
        self.assertNotEqual(rows["heteroscedastic T=30 K=10"]["mean_logit_variance"], "")
        for row in rows.values():
            self.assertGreater(float(row["accuracy"]), 0.85, row["method"])

    def test_a_bad_model_names_its_method(self):
        proc = run_cli("compare", "-i", SAMPLES, "-o", self.path("t.csv"), "-q",
                       "--add", f"label=good,model={TWIN_MODEL},method=deterministic",
                       "--add", "label=broken one,model=" + self.path("missing.pt"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn('method "broken one"', proc.stderr)
        self.assertIn("missing.pt", proc.stderr)
        self.assertFalse(os.path.exists(self.path("t.csv")))
        proc = run_cli("compare", "-i", SAMPLES, "-o", self.path("t.csv"), "-q",
                       "--add", f"label=a,model={TWIN_MODEL},T=0")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("T must be a whole number", proc.stderr)
        proc = run_cli("compare", "-i", SAMPLES, "-o", self.path("t.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no methods to compare", proc.stderr)

    def test_a_corrupt_image_is_reported_once_and_skipped_by_every_method(self):
        folder = os.path.join(self.tmp, "Bag")
        shutil.copytree(os.path.join(SAMPLES, "Bag"), folder)
        with open(os.path.join(folder, "00_text.png"), "w") as f:
            f.write("I am not a picture")
        table = self.path("table.csv")
        proc = run_cli("compare", "-i", folder, "-o", table, "-q",
                       "--add", f"label=a,model={TWIN_MODEL},method=deterministic",
                       "--add", f"label=b,model={DEMO_MODEL},T=2")
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertEqual(proc.stderr.count("00_text.png"), 1, proc.stderr)
        self.assertEqual([r["images"] for r in read_csv(table)], ["30", "30"])

    def test_ctrl_c_leaves_no_half_written_file(self):
        table = self.path("table.csv")
        proc = subprocess.Popen([CLI, "compare", "-i", SAMPLES, "-o", table, "-q",
                                 "--per-image", self.path("images.csv"), "--threads", "1",
                                 "--device", "cpu", "--add", f"label=slow,model={DEMO_MODEL},T=20000"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Once the output files are open the models are loaded and the run is under way. At
        # T=2000 a fast CI machine finished it inside a 1.5 s wait; at T=20000 it takes about
        # 10 s on one core here, so the signal 0.3 s in finds it running.
        self.assertTrue(wait_until_writing(proc, self.tmp), proc.poll())
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 130, stderr)
        self.assertIn("cancelled: partial", stdout)
        # Only the two committed files: no temporary left behind; the table is complete CSV
        # whose row says it is partial.
        self.assertEqual(sorted(os.listdir(self.tmp)), ["images.csv", "table.csv"])
        rows = read_csv(table)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["complete"], "0")
        self.assertLess(int(rows[0]["images"]), 300)


if __name__ == "__main__":
    main()
