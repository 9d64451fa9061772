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

    def test_exif_orientation_is_not_applied(self):
        """A JPEG whose EXIF says "rotate 90°" is analysed as stored, as PIL (and so torchvision's
        ImageFolder) reads it: the same numbers as the same pixels without the tag."""
        import os
        from PIL import Image
        folder = os.path.join(SAMPLES, "Sandal")
        source = os.path.join(folder, sorted(os.listdir(folder))[0])
        pixels = Image.open(source).convert("L")
        plain, tagged = self.path("plain.jpg"), self.path("tagged.jpg")
        pixels.save(plain, quality=95)
        exif = Image.Exif()
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
        pixels.save(tagged, quality=95, exif=exif)
        self.assertEqual(Image.open(tagged).getexif().get(0x0112), 6)
        out = self.path("exif.csv")
        self.assertRan(run_cli("analyze", "-m", TWIN_MODEL, "-i", plain, tagged, "--method",
                               "deterministic", "-o", out, "-q"))
        rows = read_csv(out)
        classes, expected = deterministic_probabilities(TWIN_MODEL, [plain, tagged])
        ours = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        self.assertLess(np.abs(ours - expected).max(), 1e-5)
        np.testing.assert_array_equal(ours[0], ours[1])
        # The tag would matter: the rotated pixels give other probabilities.
        rotated = self.path("rotated.png")
        pixels.transpose(Image.Transpose.ROTATE_270).save(rotated)
        _, turned = deterministic_probabilities(TWIN_MODEL, [rotated])
        self.assertGreater(np.abs(turned[0] - expected[1]).max(), 0.05)


if __name__ == "__main__":
    main()
