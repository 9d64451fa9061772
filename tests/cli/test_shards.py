"""Sharded runs: `analyze --shard i/n` on each of n processes, `merge` of their files, and the
set-level analyses on merged results with no new inference. The merged CSV must be the single
run's, byte for byte."""
import filecmp
import json
import os
import shutil
import subprocess

from clitest import (CLI, CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, REPO, SAMPLES, VALIDATION, main,
                     read_csv, run_cli)

OOD = os.path.join(REPO, "resources", "samples", "ood-digits")
HETERO = os.path.join(REPO, "models", "fmnist-hetero-cnn.pt")
SHARDS = 4


class ShardedRuns(CliTestCase):
    def analyze(self, out, *args, model=DEMO_MODEL, inputs=(SAMPLES,)):
        proc = run_cli("analyze", "-m", model, "-i", *inputs, "-o", out, "-q", *args)
        self.assertRan(proc)
        return proc

    def run_shards(self, prefix, *args, **kwargs):
        files = []
        for i in range(SHARDS):
            out = self.path(f"{prefix}-{i}.csv")
            self.analyze(out, "--shard", f"{i}/{SHARDS}", *args, **kwargs)
            files.append(out)
        return files

    def merge(self, files, out):
        proc = run_cli("merge", *files, "-o", out)
        self.assertRan(proc)
        return proc

    def test_four_shards_merge_into_the_single_run_byte_for_byte(self):
        single = self.path("single.csv")
        self.analyze(single, "-T", 20, "--seed", 7)
        shards = self.run_shards("shard", "-T", 20, "--seed", 7)

        rows = [read_csv(f) for f in shards]
        sizes = [len(r) for r in rows]
        self.assertEqual(sum(sizes), 300)
        self.assertTrue(all(40 <= s <= 110 for s in sizes), sizes)  # roughly a quarter each
        paths = [row["path"] for shard in rows for row in shard]
        self.assertEqual(len(set(paths)), 300)
        manifest = json.load(open(shards[1] + ".shard.json"))
        self.assertEqual((manifest["shard"], manifest["shards"], manifest["inputs"]), (1, 4, 300))

        merged = self.path("merged.csv")
        proc = self.merge([shards[2], shards[0], shards[3], shards[1]], merged)
        self.assertIn("Merged 4 shards: 300 images, 0 failed", proc.stdout)
        self.assertTrue(filecmp.cmp(single, merged, shallow=False))

    def test_merge_is_exact_for_logit_draws_and_augmented_copies(self):
        files = [os.path.join(SAMPLES, c) for c in sorted(os.listdir(SAMPLES))[:3]]
        args = ("-T", 6, "-K", 5, "--seed", 3, "--tta", 3, "--tta-flip", 0.5,
                "--tta-shift", 0.1)
        single = self.path("single.csv")
        self.analyze(single, *args, model=HETERO, inputs=files)
        merged = self.path("merged.csv")
        self.merge(self.run_shards("h", *args, model=HETERO, inputs=files), merged)
        self.assertTrue(filecmp.cmp(single, merged, shallow=False))

    def test_a_shard_keeps_its_images_and_numbers_when_the_folder_grows(self):
        folder = self.path("Bag")
        shutil.copytree(os.path.join(SAMPLES, "Bag"), folder)
        before = self.path("before.csv")
        self.analyze(before, "--shard", "0/3", "-T", 10, inputs=(folder,))
        for n in range(5):  # new files sort among the old ones
            shutil.copy(os.path.join(SAMPLES, "Coat", sorted(os.listdir(
                os.path.join(SAMPLES, "Coat")))[n]), os.path.join(folder, f"00{n}_new.png"))
        after = self.path("after.csv")
        self.analyze(after, "--shard", "0/3", "-T", 10, inputs=(folder,))
        old = {r["path"]: r for r in read_csv(before)}
        new = {r["path"]: r for r in read_csv(after) if "_new" not in r["path"]}
        self.assertEqual(old, new)

    def test_merge_refuses_shards_that_do_not_make_one_run(self):
        shards = self.run_shards("s", "-T", 5, inputs=(os.path.join(SAMPLES, "Bag"),))
        out = self.path("merged.csv")
        proc = run_cli("merge", shards[0], shards[1], shards[3], "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("missing shard(s) 2 of 4", proc.stderr)
        self.assertFalse(os.path.exists(out))

        other = self.path("other-2.csv")
        self.analyze(other, "--shard", "2/4", "-T", 5, "--seed", 9,
                     inputs=(os.path.join(SAMPLES, "Bag"),))
        proc = run_cli("merge", shards[0], shards[1], other, shards[3], "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("comes from another run", proc.stderr)

        proc = run_cli("merge", shards[0], shards[0], shards[1], shards[2], "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("shard 0 is given twice", proc.stderr)

        os.remove(shards[3] + ".shard.json")
        proc = run_cli("merge", *shards, "-o", out)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn(".shard.json: cannot open shard manifest: no such file", proc.stderr)
        self.assertFalse(os.path.exists(out))

    def test_bad_shard_arguments_cannot_run(self):
        for shard in ("4/4", "x/2", "1"):
            proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", self.path("r.csv"),
                           "--shard", shard)
            self.assertRan(proc, EXIT_CANNOT_RUN)
            self.assertIn("shard", proc.stderr)
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--shard", "0/2")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("--out", proc.stderr)
        # A shard's draws must not depend on its neighbours: asking for per-batch streams used
        # to be overridden without a word.
        out = self.path("r.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o", out, "--shard", "0/2",
                       "--random-streams", "per-batch")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertEqual(proc.stderr, "error: --shard needs per-image random streams (so that "
                                      "shards merge exactly), not --random-streams per-batch\n")
        self.assertFalse(os.path.exists(out))


class ClusterExamples(CliTestCase):
    """The Slurm and Kubernetes examples in deploy/, run here with the variables their schedulers
    set, merge into what one run writes."""
    FOLDER = os.path.join(SAMPLES, "Sandal")

    def environment(self, **extra):
        env = dict(os.environ, PATH=os.path.dirname(CLI) + os.pathsep + os.environ["PATH"])
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def single_run(self, *args):
        single = self.path("single.csv")
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", self.FOLDER, "-o", single,
                               "-q", *args))
        return single

    def test_slurm_array_script(self):
        script = os.path.join(REPO, "deploy", "slurm", "analyze-shards.sbatch")
        out = self.path("run")
        for task in range(3):
            subprocess.run(["bash", script], check=True, timeout=600, env=self.environment(
                MODEL=DEMO_MODEL, INPUT=self.FOLDER, OUT=out, SAMPLES=20, SEED=5,
                SLURM_ARRAY_TASK_ID=task, SLURM_ARRAY_TASK_COUNT=3, SLURM_CPUS_PER_TASK=1))
        merged = self.path("merged.csv")
        self.merge_files([os.path.join(out, f"shard-{i}.csv") for i in range(3)], merged)
        single = self.single_run("-T", 20, "--seed", 5)
        self.assertTrue(filecmp.cmp(single, merged, shallow=False))

    def test_kubernetes_indexed_job(self):
        import yaml
        folder = os.path.join(REPO, "deploy", "kubernetes")
        results = self.path("results")
        os.makedirs(results)
        data = self.path("data")
        os.makedirs(data)
        shutil.copy(DEMO_MODEL, os.path.join(data, "model.pt"))
        os.symlink(self.FOLDER, os.path.join(data, "images"))

        def local(command):
            return command.replace("/data/", data + "/").replace("/results/", results + "/")

        job = yaml.safe_load(open(os.path.join(folder, "analyze-shards.yaml")))
        self.assertEqual(job["spec"]["completionMode"], "Indexed")
        shards = job["spec"]["completions"]
        pod = job["spec"]["template"]["spec"]["containers"][0]
        for index in range(shards):
            subprocess.run([*pod["command"], local(pod["args"][0])], check=True, timeout=600,
                           env=self.environment(JOB_COMPLETION_INDEX=index))
        merge = yaml.safe_load(open(os.path.join(folder, "merge-job.yaml")))
        pod = merge["spec"]["template"]["spec"]["containers"][0]
        subprocess.run([*pod["command"], local(pod["args"][0])], check=True, timeout=600,
                       env=self.environment())
        # The same run on one process, the images named as the pods name them.
        single = self.path("single.csv")
        self.assertRan(run_cli("analyze", "-m", os.path.join(data, "model.pt"), "-i",
                               os.path.join(data, "images"), "-o", single, "-q", "-T", 100,
                               "--seed", 0))
        self.assertTrue(filecmp.cmp(single, os.path.join(results, "results.csv"), shallow=False))

    def merge_files(self, files, out):
        self.assertRan(run_cli("merge", *files, "-o", out))


class SetLevelAnalysesOnResults(CliTestCase):
    """Each set-level command gives the same answer from finished results as from its own run
    (same model, seed and T), with no inference."""
    RUN = ("-T", 10, "--seed", 4)
    CLASSES = ("Bag", "Coat", "Shirt")  # labelled folders enough for every statistic

    def results_of(self, name, inputs):
        out = self.path(name)
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", *inputs, "-o", out, "-q",
                               *self.RUN))
        return out

    def same_csv(self, a, b, places=6):
        rows_a, rows_b = read_csv(a), read_csv(b)
        self.assertEqual(len(rows_a), len(rows_b))
        for ra, rb in zip(rows_a, rows_b):
            self.assertEqual(ra.keys(), rb.keys())
            for key in ra:
                try:
                    self.assertAlmostEqual(float(ra[key]), float(rb[key]), places=places, msg=key)
                except ValueError:
                    self.assertEqual(ra[key], rb[key], key)

    def test_calibration_thresholds_ood_and_conformal(self):
        test_folders = [os.path.join(SAMPLES, c) for c in self.CLASSES]
        val_folders = [os.path.join(VALIDATION, c) for c in self.CLASSES]
        samples = self.results_of("samples.csv", test_folders)
        val = self.results_of("val.csv", val_folders)
        ood = self.results_of("ood.csv", [OOD])

        for name, ran, replayed in (
                ("calibration", ["-i", *test_folders], ["--results", samples]),
                ("thresholds", ["--val", *val_folders], ["--val-results", val]),
                ("ood", ["--in", *test_folders, "--ood", OOD],
                 ["--in-results", samples, "--ood-results", ood]),
                ("conformal", ["--val", *val_folders, "-i", *test_folders],
                 ["--val-results", val, "--input-results", samples])):
            outputs = []
            for kind, args in (("ran", ran), ("replayed", replayed)):
                out = self.path(f"{name}-{kind}.out")
                extra = [] if name == "thresholds" else ["-q"]
                # Replayed, the run options change nothing (a warning says so).
                run = self.RUN if kind == "ran" else []
                proc = run_cli(name, "-m", DEMO_MODEL, *args, "-o", out, *run, *extra)
                self.assertRan(proc)
                if kind == "replayed":
                    self.assertEqual(proc.stderr, "", name)
                outputs.append(out)
            if name == "thresholds":
                a, b = (json.load(open(p)) for p in outputs)
                self.assertEqual(a["classes"], b["classes"])
                self.assertEqual(a["support"], b["support"])
                for x, y in zip(a["thresholds"], b["thresholds"]):
                    self.assertAlmostEqual(x, y, places=7)
            else:
                self.same_csv(*outputs)

    def test_results_of_another_model_are_refused(self):
        other = self.path("other.csv")
        with open(other, "w") as f:
            f.write("path,label,status\r\nx.png,,ok\r\n")
        proc = run_cli("calibration", "-m", DEMO_MODEL, "--results", other, "-o",
                       self.path("c.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("not a results CSV", proc.stderr)


if __name__ == "__main__":
    main()
