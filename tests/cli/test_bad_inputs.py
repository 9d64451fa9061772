"""Bad input gets a clear error and loses nothing: corrupt images are reported and skipped,
unusable models say what is wrong, with the documented exit codes."""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

import torch

from clitest import (CLI, CliTestCase, DEMO_MODEL, EXIT_CANNOT_RUN, EXIT_SOME_FAILED, REPO,
                     SAMPLES, TWIN_MODEL, main, read_csv, run_cli)
from torch_oracle import load_bundle

CORPUS_SCRIPT = os.path.join(REPO, "tests", "data", "make_bad_inputs.py")
sys.path.insert(0, os.path.dirname(CORPUS_SCRIPT))
import make_bad_inputs as corpus  # noqa: E402  (the expectations live beside the generator)

IS_ROOT = os.geteuid() == 0
NOBODY = 65534


def make_corpus(out, models):
    subprocess.run([sys.executable, CORPUS_SCRIPT, out] + ([] if models else ["--no-models"]),
                   check=True)


class CorpusTestCase(unittest.TestCase):
    """The generated corpus, made once per class into a temporary folder."""
    models = False

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="ue-corpus-")
        cls.corpus = cls._tmp.name
        make_corpus(cls.corpus, cls.models)
        cls.images = os.path.join(cls.corpus, "images")

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def assertRan(self, proc, code):
        self.assertEqual(proc.returncode, code,
                         f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")


class ImageCorpus(CorpusTestCase):
    def test_every_file_gets_its_outcome_and_the_run_completes(self):
        out = os.path.join(self.corpus, "results.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", self.images, "-T", 5, "-o", out, "-q")
        # Failed images and an unresolvable entry: exit 1, everything else analysed.
        self.assertRan(proc, EXIT_SOME_FAILED)
        rows = {os.path.relpath(r["path"], self.images): r for r in read_csv(out)}
        # Every name comes back exactly (newline, quotes, comma, non-ASCII, formula), once:
        # the directory symlink "cycle" is not descended into.
        self.assertEqual(sorted(rows), sorted(corpus.EXPECTED_IMAGES))
        for name, problem in corpus.EXPECTED_IMAGES.items():
            row = rows[name]
            if problem is None or (name == "unreadable.png" and IS_ROOT):
                self.assertEqual((row["status"], row["error"]), ("ok", ""), name)
                self.assertEqual(row["samples"], "5", name)
            else:
                self.assertEqual(row["status"], "error", name)
                self.assertTrue(row["error"].startswith(os.path.join(self.images, name) + ": "),
                                row["error"])
                self.assertIn(problem, row["error"])
        loop = os.path.join(self.images, corpus.SYMLINK_LOOP_IMAGE)
        self.assertIn(f"{loop}: {corpus.LOOP_MESSAGE}", proc.stderr)
        self.assertIn("Failed images:", proc.stdout)

    def test_odd_but_valid_images_classify_like_the_plain_one(self):
        # The same picture stored as 16-bit, palette, alpha or float: the same gray values
        # after conversion, so the same prediction as the 8-bit original.
        names = ["with spaces.png", "gray16.png", "palette.png", "float32.tiff"]
        out = os.path.join(self.corpus, "same.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "--method", "deterministic", "-o", out, "-q",
                       *[a for n in names for a in ("-i", os.path.join(self.images, n))])
        self.assertRan(proc, 0)
        rows = read_csv(out)
        self.assertEqual({r["pred_argmax"] for r in rows}, {"Bag"})
        plain = float(rows[0]["max_prob"])
        for row in rows[1:]:
            self.assertAlmostEqual(float(row["max_prob"]), plain, places=2, msg=row["path"])

    def test_hostile_names_round_trip_and_formulas_are_neutralised(self):
        names = ["=HYPERLINK(\"evil.example\",\"click\").png", "new\nline.png",
                 'a "quoted" name.png', "'apostrophe.png", "-minus.png", "ünïcødé ✓ 画像.png"]
        out = os.path.join(self.corpus, "names.csv")
        # Relative names, so the path cell itself begins with = - or '.
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-T", 3, "-o", out, "-q",
                       *["--input=" + n for n in names], cwd=self.images)
        self.assertRan(proc, 0)
        self.assertEqual([r["path"] for r in read_csv(out)], names)
        with open(out, "rb") as f:
            raw = f.read().decode("utf-8")
        self.assertIn('\r\n"\'=HYPERLINK(""evil.example"",""click"").png",', raw)
        self.assertIn('\r\n"new\nline.png",', raw)
        self.assertIn('\r\n"a ""quoted"" name.png",', raw)
        self.assertIn("\r\n''apostrophe.png,", raw)
        self.assertIn("\r\n'-minus.png,", raw)

    def test_the_pixel_limit_is_configurable(self):
        image = os.path.join(self.images, "with spaces.png")
        out = os.path.join(self.corpus, "limit.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", image, "-T", 2, "-o", out, "-q",
                       "--max-pixels", 783)
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertEqual(read_csv(out)[0]["error"],
                         f"{image}: PNG header declares 28 x 28 pixels, more than the limit of "
                         "783 pixels")
        proc = run_cli("--max-pixels", 784, "analyze", "-m", DEMO_MODEL, "-i", image, "-T", 2)
        self.assertRan(proc, 0)
        self.assertRan(run_cli("analyze", "-m", DEMO_MODEL, "-i", image, "--max-pixels", 0),
                       EXIT_CANNOT_RUN)

    def test_an_empty_folder_cannot_run(self):
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", os.path.join(self.corpus, "empty"))
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn("no images found", proc.stderr)

    def test_a_symlink_loop_input_is_reported_and_the_rest_runs(self):
        loop = os.path.join(self.corpus, "loop")
        image = os.path.join(self.images, "one_pixel.png")
        out = os.path.join(self.corpus, "loop.csv")
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", loop, "-i", image, "-T", 2, "-o", out)
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertIn(f"{loop}: {corpus.LOOP_MESSAGE}", proc.stderr)
        self.assertEqual([(r["path"], r["status"]) for r in read_csv(out)], [(image, "ok")])
        proc = run_cli("analyze", "-m", DEMO_MODEL, "-i", loop)
        self.assertRan(proc, EXIT_CANNOT_RUN)

    def test_an_unreadable_file_and_folder_are_reported(self):
        # Root reads a mode-000 file anyway: then the CLI runs as nobody, which cannot.
        folder = os.path.join(self.corpus, "unreadable")
        os.makedirs(folder)
        shutil.copy(os.path.join(self.images, "with spaces.png"), folder)
        target = os.path.join(folder, "unreadable.png")
        shutil.copy(os.path.join(self.images, "with spaces.png"), target)
        os.chmod(target, 0)
        # A folder that cannot be listed was passed over in silence, with its images.
        locked = os.path.join(folder, "locked")
        os.makedirs(locked)
        shutil.copy(os.path.join(self.images, "with spaces.png"), locked)
        os.chmod(locked, 0)
        demote = None
        cli, model = CLI, DEMO_MODEL
        if IS_ROOT:
            for path in (self.corpus, folder):
                os.chmod(path, 0o755)
            # nobody may not reach the checkout (one under /root, say): run copies it can reach.
            cli, model = (shutil.copy(p, self.corpus) for p in (CLI, DEMO_MODEL))
            os.chmod(cli, 0o755)
            os.chmod(model, 0o644)

            def demote():
                os.setgid(NOBODY)
                os.setuid(NOBODY)
        proc = subprocess.run([cli, "analyze", "-m", model, "-i", folder, "-T", "2"],
                              capture_output=True, text=True, timeout=600, preexec_fn=demote)
        if IS_ROOT and "cannot open" not in proc.stdout + proc.stderr and proc.returncode != 1:
            self.skipTest(f"cannot run the CLI as nobody here: {proc.stderr[-300:]}")
        self.assertRan(proc, EXIT_SOME_FAILED)
        self.assertIn(f"{target}: {corpus.EXPECTED_IMAGES['unreadable.png']}", proc.stdout)
        self.assertIn(f"{locked}: folder cannot be listed (Permission denied); its images are "
                      "not analysed", proc.stderr)
        os.chmod(locked, 0o755)  # so the temporary folder can go


class ModelCorpus(CorpusTestCase):
    models = True

    def test_each_broken_model_is_refused_naming_the_file_and_the_problem(self):
        for name, problem in corpus.EXPECTED_MODELS.items():
            if name == "nan.pt":
                continue
            path = os.path.join(self.corpus, "models", name)
            with self.subTest(name):
                proc = run_cli("info", "-m", path)
                self.assertRan(proc, EXIT_CANNOT_RUN)
                self.assertIn(problem, proc.stderr)
                self.assertIn(os.path.splitext(path)[0], proc.stderr)
        # A run with a broken model stops before reading any image.
        proc = run_cli("analyze", "-m", os.path.join(self.corpus, "models", "wrong_rank.pt"),
                       "-i", SAMPLES)
        self.assertRan(proc, EXIT_CANNOT_RUN)

    def test_a_model_that_returns_nan_fails_every_image_with_the_reason(self):
        bag = os.path.join(SAMPLES, "Bag")
        out = os.path.join(self.corpus, "nan.csv")
        proc = run_cli("analyze", "-m", os.path.join(self.corpus, "models", "nan.pt"), "-i", bag,
                       "-T", 3, "-o", out, "-q")
        self.assertRan(proc, EXIT_SOME_FAILED)
        rows = read_csv(out)
        self.assertEqual(len(rows), len(os.listdir(bag)))
        for row in rows:
            self.assertEqual(row["status"], "error")
            self.assertEqual(row["error"], f"{row['path']}: {corpus.EXPECTED_MODELS['nan.pt']}")
            self.assertEqual(row["max_prob"], "")


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

    def test_settings_files_that_are_pipes_devices_or_folders_are_refused(self):
        # Each would have been read whole: a pipe blocks the run, /dev/zero fills memory.
        pipe = self.path("pipe.json")
        os.mkfifo(pipe)
        bag = os.path.join(SAMPLES, "Bag")
        uses = {
            "thresholds file": ["analyze", "-m", DEMO_MODEL, "-i", bag, "--thresholds"],
            "augmentation policy": ["analyze", "-m", DEMO_MODEL, "-i", bag, "--tta-policy"],
            "methods file": ["compare", "-i", bag, "-o", self.path("c.csv"), "--methods"],
            "results CSV": ["thresholds", "-m", DEMO_MODEL, "-o", self.path("t.json"),
                            "--val-results"],
        }
        for what, args in uses.items():
            for path, problem in ((pipe, "not a regular file"), ("/dev/zero", "not a regular file"),
                                  (self.tmp, "it is a folder")):
                proc = run_cli(*args, path, timeout=60)
                self.assertRan(proc, EXIT_CANNOT_RUN)
                if what in ("augmentation policy", "methods file") and path == self.tmp:
                    # These options' own checks refuse a folder before we see it.
                    self.assertIn(f"directory: {path}", proc.stderr)
                    continue
                self.assertIn(f"{path}: cannot open {what}: {problem}", proc.stderr)

    def test_an_ensemble_member_that_is_a_pipe_is_refused(self):
        # Peeking into a member to see whether it is itself a manifest used to open the pipe,
        # which blocks until a writer comes: the run hung.
        pipe = self.path("member.pt")
        os.mkfifo(pipe)
        manifest = self.path("ensemble.json")
        with open(manifest, "w", encoding="utf-8") as f:
            json.dump({"format": "uncertainty-explorer-ensemble/1", "name": "piped",
                       "members": [os.path.abspath(TWIN_MODEL), pipe]}, f)
        proc = run_cli("info", "-m", manifest, timeout=60)
        self.assertRan(proc, EXIT_CANNOT_RUN)
        self.assertIn(f"{pipe}: cannot open model file: not a regular file", proc.stderr)

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


class TerminalHostileNames(CliTestCase):
    """Names that carry terminal escapes, a bidirectional override or bytes that are not UTF-8:
    the console shows them as \\xHH, the CSV stays UTF-8, and the run is otherwise unchanged."""

    def test_names_cannot_drive_the_terminal_or_break_the_csv(self):
        folder = os.path.join(self.tmp, "names")
        os.makedirs(folder)
        sample = os.path.join(SAMPLES, "Bag", sorted(os.listdir(os.path.join(SAMPLES, "Bag")))[0])
        title = "title\x1b]0;pwned\x07.png"  # would retitle an xterm
        override = "rlo\u202egnp.exe.png"    # would display as "rlo" + "exe.png" reversed
        not_utf8 = os.fsencode(folder) + b"/bad\xff\xfe.png"
        for name in (title, override):
            shutil.copy(sample, os.path.join(folder, name))
        shutil.copy(sample, not_utf8)
        with open(os.path.join(folder, "junk\x1b[2J.png"), "w") as f:  # would clear the screen
            f.write("not a picture")

        out = self.path("results.csv")
        proc = subprocess.run([CLI, "analyze", "-m", DEMO_MODEL, "-i", folder, "-T", "3",
                               "-o", out], capture_output=True)
        self.assertEqual(proc.returncode, EXIT_SOME_FAILED, proc.stderr)
        console = proc.stdout + proc.stderr
        self.assertNotIn(b"\x1b", console)
        self.assertNotIn("\u202e".encode(), console)
        console.decode("utf-8")  # strict: raises on bytes that are not UTF-8
        self.assertIn(b"title\\x1b]0;pwned\\x07.png  predicted", proc.stdout)
        self.assertIn(b"rlo\\xe2\\x80\\xaegnp.exe.png", proc.stdout)
        self.assertIn(b"bad\\xff\\xfe.png", proc.stdout)
        self.assertIn(b"junk\\x1b[2J.png: not a readable image", proc.stdout)

        with open(out, "rb") as f:
            raw = f.read().decode("utf-8")  # strict
        # The CSV keeps names exactly where they are UTF-8 (control characters included).
        paths = {os.path.basename(r["path"]): r["status"] for r in read_csv(out)}
        self.assertEqual(paths, {title: "ok", override: "ok", "bad\\xff\\xfe.png": "ok",
                                 "junk\x1b[2J.png": "error"})
        self.assertIn("/bad\\xff\\xfe.png,", raw)


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
        # Seeded, and one case per way the loader sniffs a file: a first byte of '{' means
        # "ensemble manifest" (os.urandom once failed this test 1 run in 256 that way).
        noise = random.Random(7).randbytes(4096)
        for name, first in (("noise.pt", b"\x93"), ("brace.pt", b"{")):
            with self.subTest(name):
                path = self.path(name)
                with open(path, "wb") as f:
                    f.write(first + noise)
                self.assertCannotLoad(path, name + ": not a TorchScript model")

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
