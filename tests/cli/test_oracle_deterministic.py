"""Oracle: PyTorch computes the deterministic probabilities of the same image files
(decoded independently with PIL); the CLI's must agree to 1e-5."""
import numpy as np

from clitest import CliTestCase, DEMO_MODEL, SAMPLES, TWIN_MODEL, main, read_csv, run_cli
from torch_oracle import deterministic_probabilities


class DeterministicOracle(CliTestCase):
    def check(self, model_path):
        out = self.path("det.csv")
        self.assertRan(run_cli("analyze", "-m", model_path, "-i", SAMPLES, "--method",
                               "deterministic", "-o", out, "-q"))
        rows = read_csv(out)
        self.assertEqual(len(rows), 300)
        classes, expected = deterministic_probabilities(model_path, [r["path"] for r in rows])
        ours = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        worst = np.abs(ours - expected).max()
        self.assertLess(worst, 1e-5, f"largest difference {worst}")
        self.assertEqual([classes.index(r["pred_argmax"]) for r in rows],
                         list(expected.argmax(axis=1)))

    def test_mc_model_in_deterministic_mode(self):
        self.check(DEMO_MODEL)

    def test_deterministic_twin(self):
        self.check(TWIN_MODEL)


if __name__ == "__main__":
    main()
