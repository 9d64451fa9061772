"""Faults mid-run (issue 8): a write that runs out of room, a process killed while it writes, a
run cancelled with Ctrl-C. The target path always holds the previous file or a complete new
one, and nothing else is left in its folder."""
import os
import resource
import signal
import subprocess
import time

from clitest import (CLI, DEMO_MODEL, EXIT_CANNOT_RUN, SAMPLES, CliTestCase, main, read_csv,
                     wait_until_writing)

PREVIOUS = "the previous results\n"
EXIT_CANCELLED = 130


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def full_after(size):
    """For preexec_fn: every write past `size` bytes fails (EFBIG, as a full disk fails with
    ENOSPC); a real full device needs a mount, which a test cannot count on."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    return limit


class Faults(CliTestCase):
    def setUp(self):
        super().setUp()
        self.out_dir = self.path("out")
        os.mkdir(self.out_dir)
        self.target = os.path.join(self.out_dir, "results.csv")
        self.raw_target = os.path.join(self.out_dir, "raw.csv")
        write(self.target, PREVIOUS)
        write(self.raw_target, PREVIOUS)

    def analyze(self, samples):
        return [CLI, "analyze", "-m", DEMO_MODEL, "-i", SAMPLES, "-T", str(samples), "--seed",
                "3", "-o", self.target, "--raw-out", self.raw_target, "-q"]

    def assertNothingElseInTheFolder(self):
        self.assertEqual(sorted(os.listdir(self.out_dir)), ["raw.csv", "results.csv"])

    def test_a_full_disk_keeps_the_previous_files_and_says_so(self):
        proc = subprocess.run(self.analyze(10), preexec_fn=full_after(20000),
                              capture_output=True, text=True, timeout=600)
        self.assertEqual(proc.returncode, EXIT_CANNOT_RUN, proc.stderr)
        self.assertIn(self.target, proc.stderr)
        self.assertIn("File too large", proc.stderr)
        self.assertIn("the previous file is unchanged", proc.stderr)
        self.assertEqual(read(self.target), PREVIOUS)
        self.assertEqual(read(self.raw_target), PREVIOUS)
        self.assertNothingElseInTheFolder()

    def test_a_process_killed_while_writing_leaves_the_previous_or_the_whole_file(self):
        started = time.monotonic()
        self.assertRan(subprocess.run(self.analyze(60), capture_output=True, text=True,
                                      timeout=600))
        seconds = time.monotonic() - started
        complete, complete_raw = read(self.target), read(self.raw_target)
        self.assertEqual(len(read_csv(self.target)), 300)
        # Kills at fractions of a whole run sweep the run's phases; the first kill waits until the
        # CLI holds its outputs open, so at least one surely lands mid-write whatever the load
        # on the machine (a kill timed by the clock alone found the run finished under CI load).
        kills = ["while writing", 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 1.03]
        outcomes = []
        for when in kills:
            write(self.target, PREVIOUS)
            write(self.raw_target, PREVIOUS)
            proc = subprocess.Popen(self.analyze(60), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            if when == "while writing":
                self.assertTrue(wait_until_writing(proc, self.out_dir), proc.poll())
            else:
                time.sleep(seconds * when)
            proc.kill()
            proc.wait()
            for target, whole in ((self.target, complete), (self.raw_target, complete_raw)):
                self.assertIn(read(target), (PREVIOUS, whole), f"killed at {when}")
            self.assertNothingElseInTheFolder()
            outcomes.append(read(self.target) == complete)
        self.assertFalse(outcomes[0], "the kill while writing found a finished run")

    def test_ctrl_c_writes_the_finished_images_whole(self):
        command = self.analyze(2000)
        del command[command.index("--raw-out"):command.index("--raw-out") + 2]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The signal goes once the unnamed results file has taken its first buffer of rows (64
        # KiB: about 210 of the 300), a point that no load on the machine moves; the other 90
        # images take about a second more.
        self.assertTrue(wait_until_writing(proc, self.out_dir, min_bytes=1), proc.poll())
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, EXIT_CANCELLED, err)
        rows = read_csv(self.target)
        self.assertGreater(len(rows), 0)
        self.assertLess(len(rows), 300)
        self.assertTrue(all(r["status"] == "ok" for r in rows))
        self.assertTrue(read(self.target).endswith("\r\n"))
        self.assertEqual(read(self.raw_target), PREVIOUS)
        self.assertNothingElseInTheFolder()


if __name__ == "__main__":
    main()
