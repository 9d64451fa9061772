"""`uncertainty-cli bench` runs both sides and our numbers equal PyTorch's. Timings are not
asserted: this is a benchmark, not a timed unit test."""
import os
import re
import subprocess
import sys

from clitest import CLI, REPO, CliTestCase, DEMO_MODEL, SAMPLES, main, read_csv, run_cli

# uncertainty-bench (tensors in, no OpenCV) is built next to uncertainty-cli.
TENSOR_BENCH = os.path.join(os.path.dirname(CLI), "uncertainty-bench")


class Bench(CliTestCase):
    def test_bench_runs_both_sides_and_agrees_with_pytorch(self):
        out = self.path("bench.csv")
        proc = run_cli("bench", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 10, "--images", 16,
                       "--seconds", 0.2, "--threads", 1, "--rounds", 2, "-o", out)
        self.assertRan(proc)
        rows = read_csv(out)
        approaches = {(r["side"], r["approach"]) for r in rows}
        # Every approach in each round, both sides.
        self.assertEqual(sorted((r["side"], r["approach"], r["round"]) for r in rows),
                         sorted((side, approach, str(n)) for side, approach in approaches
                                for n in (1, 2)))
        self.assertIn("2 rounds, both sides in each", proc.stdout)
        self.assertRegex(proc.stdout, r"best plain-PyTorch MC: [0-9.]+x \(rounds [0-9.]+-[0-9.]+x\)")
        for expected in [("ours", "single pass (deterministic)"),
                         ("ours", "mc default (encode once)"),
                         ("ours", "mc replicated (--no-cache)"),
                         ("pytorch", "loop (one image, T passes)"),
                         ("pytorch", "replicated batch (256-row chunks)"),
                         ("pytorch", "encode once + head T times"),
                         ("pytorch", "single pass (deterministic)")]:
            self.assertIn(expected, approaches)
        self.assertTrue(all(float(r["images_per_second"]) > 0 for r in rows))
        self.assertTrue(all(r["threads"] == "1" and r["samples"] == "10" for r in rows))
        difference = re.search(r"max \|ours - PyTorch\|: ([0-9.e+-]+)", proc.stdout)
        self.assertIsNotNone(difference, proc.stdout)
        self.assertLess(float(difference.group(1)), 1e-5)
        self.assertIn("ours (best MC) / PyTorch loop", proc.stdout)
        self.assertRegex(proc.stdout, r"ours, mc default: [0-9.]+ s = inputs")
        self.assertTrue(all(r["device"] == "cpu" and r["precision"] == "fp32" for r in rows))

    def test_a_slow_approach_is_cut_to_the_time_budget_on_both_sides(self):
        """The whole model T = 100 times per image runs about 40 images/s here: 64 images would
        take over a second, against a budget of 0.1 s."""
        out = self.path("bench.csv")
        proc = run_cli("bench", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 100, "--images", 64,
                       "--seconds", 0.1, "--threads", 1, "--rounds", 1, "-o", out)
        self.assertRan(proc)
        images = {(r["side"], r["approach"]): int(r["images"]) for r in read_csv(out)}
        self.assertLess(images[("ours", "mc replicated (--no-cache)")], 64)
        self.assertGreaterEqual(images[("ours", "mc replicated (--no-cache)")], 4)
        self.assertLess(images[("pytorch", "loop (one image, T passes)")], 64)
        self.assertNotIn("rounds", proc.stdout)

    def test_tensor_bench_runs_on_preprocessed_tensors(self):
        """The GPU machine's path (scripts/gpu-bench.sh): Pillow-made tensors, no OpenCV."""
        tensors = self.path("inputs.f32")
        subprocess.run([sys.executable, os.path.join(REPO, "scripts", "bench_tensors.py"),
                        "--model", DEMO_MODEL, "--images", SAMPLES, "--count", "40",
                        "--out", tensors], check=True, capture_output=True)
        self.assertEqual(os.path.getsize(tensors), 40 * 28 * 28 * 4)
        proc = subprocess.run([TENSOR_BENCH, "--model", DEMO_MODEL, "--tensors", tensors,
                               "-T", "5", "--images", "24", "--seconds", "0.2", "--threads", "1",
                               "--python", sys.executable],
                              capture_output=True, text=True, timeout=600)
        self.assertRan(proc)
        self.assertIn("Benchmark: 24 images, T = 5, 1 thread, cpu, fp32", proc.stdout)
        difference = re.search(r"max \|ours - PyTorch\|: ([0-9.e+-]+)", proc.stdout)
        self.assertIsNotNone(difference, proc.stdout)
        self.assertLess(float(difference.group(1)), 1e-5)

    def test_tensor_bench_rejects_a_file_of_the_wrong_size(self):
        tensors = self.path("short.f32")
        with open(tensors, "wb") as f:
            f.write(b"\0" * 100)
        proc = subprocess.run([TENSOR_BENCH, "--model", DEMO_MODEL, "--tensors", tensors],
                              capture_output=True, text=True, timeout=120)
        self.assertRan(proc, 2)
        self.assertIn("not a raw float32 file of whole 1 x 28 x 28 images", proc.stderr)


if __name__ == "__main__":
    main()
