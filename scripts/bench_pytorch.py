#!/usr/bin/python3
"""The plain-PyTorch side of `uncertainty-cli bench`: the loops a user would write in a notebook,
timed on the very tensors the C++ engine was timed on (same decoding, same thread count).

Approaches (each on as many images as fit in --seconds, at least one):
  loop        for each image, T forward passes of that one image, stacked (the seeds' loop)
  replicated  each image repeated T times in one batch, forward in 256-row chunks
  encode_once encode(x) once per image, then only head() on the T-times repeated features
              (only when the bundle exports encode/head)
  single      one deterministic pass (eval mode), batches of 256 images

Writes JSON: images/s per approach, the deterministic probabilities (for the equality check),
and the peak RSS of this process.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch

CHUNK_ROWS = 256


def mc_mode(model):
    model.eval()
    for _, module in model.named_modules():
        if "Dropout" in module.original_name:
            module.train()


def timed(images, seconds, per_image):
    """Runs per_image(i) over images until `seconds` pass; returns (count, elapsed).

    Two untimed warm-up calls first: TorchScript's profiling executor specialises a graph for
    the shapes it sees during its first runs, and that work is not what is being compared."""
    for _ in range(2):
        per_image(images[0:1])
    start = time.perf_counter()
    done = 0
    for i in range(images.shape[0]):
        per_image(images[i:i + 1])
        done += 1
        if time.perf_counter() - start >= seconds:
            break
    return done, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--inputs", required=True, help="raw float32 N*C*H*W file")
    parser.add_argument("--shape", required=True, help="N,C,H,W")
    parser.add_argument("--samples", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    shape = [int(v) for v in args.shape.split(",")]
    images = torch.from_numpy(np.fromfile(args.inputs, dtype=np.float32).reshape(shape))
    model = torch.jit.load(args.model, map_location="cpu")
    T = args.samples
    has_split = all(hasattr(model, name) for name in ("encode", "head"))
    results = {}

    with torch.inference_mode():
        model.eval()
        for _ in range(2):
            model(images[:CHUNK_ROWS])
        probs = []
        start = time.perf_counter()
        for i in range(0, images.shape[0], CHUNK_ROWS):
            probs.append(torch.softmax(model(images[i:i + CHUNK_ROWS]), dim=1))
        elapsed = time.perf_counter() - start
        probs = torch.cat(probs)
        results["single"] = (images.shape[0], elapsed)

        mc_mode(model)

        def loop(x):
            torch.stack([torch.softmax(model(x), dim=1) for _ in range(T)]).mean(0)

        def replicated(x):
            rows = x.repeat_interleave(T, dim=0)
            out = [torch.softmax(model(rows[r:r + CHUNK_ROWS]), dim=1)
                   for r in range(0, rows.shape[0], CHUNK_ROWS)]
            torch.cat(out).mean(0)

        def encode_once(x):
            features = model.encode(x).repeat_interleave(T, dim=0)
            out = [torch.softmax(model.head(features[r:r + CHUNK_ROWS]), dim=1)
                   for r in range(0, features.shape[0], CHUNK_ROWS)]
            torch.cat(out).mean(0)

        results["loop"] = timed(images, args.seconds, loop)
        results["replicated"] = timed(images, args.seconds, replicated)
        if has_split:
            results["encode_once"] = timed(images, args.seconds, encode_once)

    report = {
        "approaches": {name: {"images": n, "seconds": s, "images_per_second": n / s}
                       for name, (n, s) in results.items()},
        "deterministic_probabilities": probs.numpy().tolist(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }
    with open(args.out, "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main()
