"""Shared pieces of the CLI end-to-end tests: where the CLI and the repo are, running it,
reading its CSV."""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import unittest

_parser = argparse.ArgumentParser(add_help=False)
_parser.add_argument("--cli", required=True)
_parser.add_argument("--repo", required=True)
ARGS, _rest = _parser.parse_known_args()
CLI = ARGS.cli
REPO = ARGS.repo
DEMO_MODEL = os.path.join(REPO, "models", "fmnist-mc-cnn.pt")
TWIN_MODEL = os.path.join(REPO, "models", "fmnist-det-cnn.pt")
SAMPLES = os.path.join(REPO, "resources", "samples", "fashion-mnist")
VALIDATION = os.path.join(REPO, "resources", "samples", "fashion-mnist-val")

EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2


def run_cli(*args, timeout=900, **popen):
    """Runs uncertainty-cli; returns the CompletedProcess (text mode). `popen`: cwd, ..."""
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **popen)


def wait_until_writing(proc, folder, timeout=60, min_bytes=0):
    """Waits until the running `proc` holds a file open in `folder` (its outputs: written as
    unnamed files, they appear in the folder only when complete, so /proc is where to look) with
    at least `min_bytes` in it. Returns whether it did before `timeout` seconds or the process's
    end."""
    import time
    folder = os.path.realpath(folder)
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            for fd in os.listdir(f"/proc/{proc.pid}/fd"):
                link = f"/proc/{proc.pid}/fd/{fd}"
                try:
                    if (os.readlink(link).startswith(folder + "/")
                            and os.stat(link).st_size >= min_bytes):
                        return True
                except OSError:
                    pass  # closed meanwhile
        except OSError:
            return False  # the process is gone
        time.sleep(0.02)
    return False


def csv_text(cell):
    """A cell's text as written: the CLI prefixes text starting with = + - @ TAB CR or ' with one
    apostrophe (formula-injection guard); numbers never start with one."""
    return cell[1:] if isinstance(cell, str) and cell.startswith("'") else cell


def read_csv(path):
    # newline="" lets csv handle the CRLF row ends and quoted newlines itself.
    with open(path, newline="", encoding="utf-8") as f:
        return [{csv_text(k): csv_text(v) for k, v in row.items()} for row in csv.DictReader(f)]


def sample_files(per_class=None):
    """Sorted demo sample paths (as the CLI lists them), optionally the first N per class."""
    files = []
    for folder in sorted(os.listdir(SAMPLES)):
        names = sorted(os.listdir(os.path.join(SAMPLES, folder)))
        if per_class is not None:
            names = names[:per_class]
        files += [os.path.join(SAMPLES, folder, n) for n in names]
    return files


def no_labelled_rows_error(what):
    """What a set-level command says when no analysed row of its results files has a label."""
    return (f"error: no labelled images in the {what} (no analysed row of the results files has "
            "a label: labels come from folders named after the model's classes)\n")


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="ue-cli-test-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def broken_image_folder(self, name):
        """A folder (named like a class, it labels its images) whose one image cannot be
        decoded."""
        folder = self.path(name)
        os.makedirs(folder)
        with open(os.path.join(folder, "broken.png"), "w") as f:
            f.write("not an image")
        return folder

    def assertThresholdsMatchNumpy(self, saved, rows, percentile):
        """`saved` (a thresholds JSON) holds, per class, numpy's percentile of that class's mean
        probability over the rows correctly classified as it, and that count as support."""
        import numpy as np
        classes = saved["classes"]
        means = np.array([[float(r["mean_" + c]) for c in classes] for r in rows])
        labels = np.array([classes.index(r["label"]) for r in rows])
        predicted = means.argmax(axis=1)
        for c, name in enumerate(classes):
            correct = means[(labels == c) & (predicted == c), c]
            self.assertEqual(saved["support"][c], len(correct), name)
            self.assertAlmostEqual(saved["thresholds"][c], np.percentile(correct, percentile),
                                   places=6)
        return means, labels, predicted

    def assertRan(self, proc, code=EXIT_OK):
        self.assertEqual(proc.returncode, code,
                         f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")


def main():
    unittest.main(argv=[sys.argv[0]] + _rest, verbosity=2)
