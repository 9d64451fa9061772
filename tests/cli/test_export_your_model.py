"""models/export_your_model.py produces a bundle (RGB ResNet-18 with a dropout head) that the
CLI loads and runs, gray 28x28 samples converted to its RGB 224x224 input."""
import os
import subprocess
import sys

from clitest import CliTestCase, REPO, main, read_csv, run_cli, sample_files


class ExportYourModel(CliTestCase):
    def test_exported_resnet_runs(self):
        bundle = self.path("resnet.pt")
        subprocess.run([sys.executable, os.path.join(REPO, "models", "export_your_model.py"),
                        "--out", bundle], check=True, timeout=300)
        proc = run_cli("info", "-m", bundle)
        self.assertRan(proc)
        self.assertIn("3 x 224 x 224", proc.stdout)
        self.assertIn("verified, the encoder runs once per image", proc.stdout)
        self.assertIn("Stochastic    yes", proc.stdout)

        out = self.path("r.csv")
        proc = run_cli("analyze", "-m", bundle, "-i", *sample_files(per_class=1)[:3], "-T", 8,
                       "-o", out, "-q")
        self.assertRan(proc)
        rows = read_csv(out)
        self.assertEqual(len(rows), 3)
        self.assertTrue(all(r["status"] == "ok" and r["label"] == "" for r in rows))


if __name__ == "__main__":
    main()
