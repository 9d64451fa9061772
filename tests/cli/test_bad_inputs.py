"""Bad input gets a clear error and loses nothing: corrupt images are reported and skipped,
unusable models say what is wrong, with the documented exit codes."""
import json
import os
import shutil

import torch

from clitest import (CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, EXIT_SOME_FAILED, SAMPLES,
                     main, read_csv, run_cli)
from torch_oracle import load_bundle


class CorruptImages(CliTestCase):
    def test_corrupt_files_are_reported_and_the_folder_completes(self):
        folder = os.path.join(self.tmp, "Bag")
        shutil.copytree(os.path.join(SAMPLES, "Bag"), folder)
        good = sorted(os.listdir(folder))
        with open(os.path.join(folder, good[0]), "rb") as f:
            png = f.read()
        with open(os.path.join(folder, "00a_truncated.png"), "wb") as f:
            f.write(png[: len(png) // 3])
        with open(os.path.join(folder, "00b_text.png"), "w") as f:
            f.write("I am not a picture")
        open(os.path.join(folder, "00c_empty.png"), "w").close()

        out = self.path("results.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", folder, "-T", 10, "-o", out, "-q")
        self.assertRan(proc, EXIT_SOME_FAILED)
        rows = read_csv(out)
        self.assertEqual(len(rows), len(good) + 3)
        errors = {os.path.basename(r["path"]): r["error"] for r in rows if r["status"] == "error"}
        self.assertEqual(sorted(errors), ["00a_truncated.png", "00b_text.png", "00c_empty.png"])
        self.assertIn("00a_truncated.png: not a readable image", errors["00a_truncated.png"])
        self.assertIn("00c_empty.png: file is empty", errors["00c_empty.png"])
        self.assertTrue(all(r["status"] == "ok" for r in rows if r["status"] != "error"))
        self.assertIn("3 failed", proc.stdout)
        self.assertIn("Failed images:", proc.stdout)

    def test_no_images_cannot_run(self):
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(self.tmp, "nothing"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no such file or folder", proc.stderr)
        self.assertIn("no images found", proc.stderr)

    def test_output_in_a_missing_folder_cannot_run(self):
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-o",
                       os.path.join(self.tmp, "no", "such", "dir", "r.csv"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("cannot create a file in that folder", proc.stderr)

    def test_bad_arguments_cannot_run(self):
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", 0),
                       EXIT_CANNOT_RUN)
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--method", "magic"),
                       EXIT_CANNOT_RUN)

    def test_unavailable_device_and_precision_are_explained(self):
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--device", "gpu")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn('unknown device "gpu"', proc.stderr)
        # This test machine has no GPU (Debian's LibTorch is CPU-only).
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--device", "cuda")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertRegex(proc.stderr, "no CUDA support|no usable GPU")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "--device", "cpu",
                       "--precision", "bf16")
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("runs only on a CUDA device", proc.stderr)


class BrokenModels(CliTestCase):
    def resave(self, name, meta_text=None):
        """The demo model saved again with other (or no) embedded meta."""
        model, _ = load_bundle(DEMO_MODEL)
        path = self.path(name)
        extra = {} if meta_text is None else {"meta.json": meta_text}
        torch.jit.save(model, path, _extra_files=extra)
        return path

    def demo_meta(self):
        return load_bundle(DEMO_MODEL)[1]

    def assertCannotLoad(self, model_path, *fragments):
        proc = run_cli("info", "-m", model_path)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        for fragment in fragments:
            self.assertIn(fragment, proc.stderr)
        proc = run_cli("analyze", "-m", model_path, "-i", SAMPLES)
        self.assertRan(proc, EXIT_CANNOT_RUN)

    def test_random_bytes(self):
        path = self.path("noise.pt")
        with open(path, "wb") as f:
            f.write(os.urandom(4096))
        self.assertCannotLoad(path, "noise.pt: not a TorchScript model")

    def test_pickled_state_dict(self):
        model, _ = load_bundle(DEMO_MODEL)
        path = self.path("weights.pt")
        torch.save(model.state_dict(), path)
        self.assertCannotLoad(path, "weights.pt: not a TorchScript model",
                              "a pickled state_dict")

    def test_meta_that_is_not_json(self):
        path = self.resave("broken.pt", "{\"format\": \"uncertainty-explorer/1\", ")
        self.assertCannotLoad(path, "broken.pt (embedded meta.json): meta is not valid JSON")

    def test_meta_field_with_the_wrong_type(self):
        meta = self.demo_meta()
        meta["input"]["height"] = "28"
        path = self.resave("typed.pt", json.dumps(meta))
        self.assertCannotLoad(path, "meta field 'input.height' must be an integer, got string")

    def test_meta_missing_a_field(self):
        meta = self.demo_meta()
        del meta["classes"]
        path = self.resave("classless.pt", json.dumps(meta))
        self.assertCannotLoad(path, "meta field 'classes' is missing")

    def test_class_count_that_does_not_match_the_output(self):
        meta = self.demo_meta()
        meta["classes"] = meta["classes"][:9]
        path = self.resave("nine.pt", json.dumps(meta))
        self.assertCannotLoad(path, "returned logits of shape [2, 10], expected [2, 9]")

    def test_input_size_the_model_cannot_take(self):
        meta = self.demo_meta()
        meta["input"]["height"] = meta["input"]["width"] = 32
        path = self.resave("big.pt", json.dumps(meta))
        self.assertCannotLoad(path, "forward failed on an input of shape [2, 1, 32, 32]")

    def test_no_meta_at_all(self):
        path = self.resave("bare.pt")
        self.assertCannotLoad(path, "has no embedded meta.json and no sidecar")

    def test_sidecar_meta_is_used(self):
        path = self.resave("sidecar.pt")
        with open(self.path("sidecar.json"), "w") as f:
            json.dump(self.demo_meta(), f)
        proc = run_cli("info", "-m", path)
        self.assertRan(proc)
        self.assertIn("sidecar.json", proc.stdout)


if __name__ == "__main__":
    main()
