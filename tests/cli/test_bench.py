"""`uncertainty-cli bench` runs both sides and our numbers equal PyTorch's. Timings are not
asserted: this is a benchmark, not a timed unit test."""
import re

from clitest import CliTestCase, DEMO_MODEL, SAMPLES, main, read_csv, run_cli


class Bench(CliTestCase):
    def test_bench_runs_both_sides_and_agrees_with_pytorch(self):
        out = self.path("bench.csv")
        proc = run_cli("bench", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 10, "--images", 16,
                       "--seconds", 0.2, "--threads", 1, "-o", out)
        self.assertRan(proc)
        rows = read_csv(out)
        approaches = {(r["side"], r["approach"]) for r in rows}
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


if __name__ == "__main__":
    main()
