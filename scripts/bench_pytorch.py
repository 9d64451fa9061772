#!/usr/bin/python3
"""The plain-PyTorch side of `uncertainty-cli bench`: the loops a user would write in a notebook,
timed on the very tensors the C++ engine was timed on (same decoding, same thread count).

Approaches (each on as many images as fit in --seconds, at least one call):
  loop        for each image, T forward passes of that one image, stacked (the seeds' loop)
  replicated  --batch-images images, each repeated T times, forward in --chunk-rows chunks
  encode_once encode(x) once per image, then only head() on the T-times repeated features
              (only when the bundle exports encode/head)
  single      one deterministic pass (eval mode), batches of --chunk-rows images

On CUDA (--device cuda[:N]) inputs are copied from pinned memory, --precision bf16/fp16 runs
under torch.autocast, and every call ends with its result on the host (as ours does), so the
clock sees finished work.

Writes JSON: images/s per approach, the deterministic probabilities (for the equality check),
and the peak RSS of this process.
"""
import argparse
import ctypes
import json
import resource
import time

import numpy as np
import torch


# nn.Dropout and its variants by class name, as the app matches them (a model class that merely
# contains "Dropout" in its name is not one).
DROPOUT_NAMES = ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
                 "FeatureAlphaDropout")


def mc_mode(model):
    model.eval()
    for _, module in model.named_modules():
        if module.original_name in DROPOUT_NAMES:
            module.train()


def set_blas_threads(threads):
    """Sets OpenBLAS's own threads, as the engine does (one, see McEngine.cpp): by default it
    starts one per core under torch's intra-op threads, which oversubscribed two cores and ran
    the encode-once loop 3x slower here. Reference BLAS has no such call and is
    single-threaded already."""
    try:
        ctypes.CDLL("libblas.so.3").openblas_set_num_threads(threads)
    except (OSError, AttributeError):
        pass


def timed(images, seconds, per_batch, batch, to_device):
    """Runs per_batch over `batch` images at a time until `seconds` pass; returns
    (images done, elapsed).

    Two untimed warm-up calls first: TorchScript's profiling executor specialises a graph for
    the shapes it sees during its first runs, and that work is not what is being compared."""
    for _ in range(2):
        per_batch(to_device(images[0:batch]))
    start = time.perf_counter()
    done = 0
    for i in range(0, images.shape[0], batch):
        x = images[i:i + batch]
        per_batch(to_device(x))
        done += x.shape[0]
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
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"])
    parser.add_argument("--batch-images", type=int, default=1)
    parser.add_argument("--chunk-rows", type=int, default=256)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    set_blas_threads(1)
    shape = [int(v) for v in args.shape.split(",")]
    images = torch.from_numpy(np.fromfile(args.inputs, dtype=np.float32).reshape(shape))
    device = torch.device(args.device)
    cuda = device.type == "cuda"
    if cuda:
        images = images.pin_memory()
    model = torch.jit.load(args.model, map_location=device)
    T = args.samples
    chunk = args.chunk_rows
    batch = args.batch_images
    half = torch.bfloat16 if args.precision == "bf16" else torch.float16
    autocast = torch.autocast(device_type="cuda", dtype=half,
                              enabled=cuda and args.precision != "fp32") \
        if cuda else torch.autocast(device_type="cpu", enabled=False)

    def to_device(x):
        return x.to(device, non_blocking=True) if cuda else x
    has_split = all(hasattr(model, name) for name in ("encode", "head"))
    results = {}

    with torch.inference_mode(), autocast:
        model.eval()
        for _ in range(2):
            model(to_device(images[:chunk]))
        probs = []
        start = time.perf_counter()
        for i in range(0, images.shape[0], chunk):
            logits = model(to_device(images[i:i + chunk]))
            probs.append(torch.softmax(logits.float(), dim=1).cpu())
        elapsed = time.perf_counter() - start
        probs = torch.cat(probs)
        results["single"] = (images.shape[0], elapsed)

        mc_mode(model)

        # Each approach ends with the T x C samples on the host, as the engine's do.
        def loop(x):
            torch.stack([torch.softmax(model(x).float(), dim=1) for _ in range(T)]).cpu()

        def replicated(x):
            rows = x.repeat_interleave(T, dim=0)
            out = [torch.softmax(model(rows[r:r + chunk]).float(), dim=1)
                   for r in range(0, rows.shape[0], chunk)]
            torch.cat(out).cpu()

        def encode_once(x):
            features = model.encode(x).repeat_interleave(T, dim=0)
            out = [torch.softmax(model.head(features[r:r + chunk]).float(), dim=1)
                   for r in range(0, features.shape[0], chunk)]
            torch.cat(out).cpu()

        results["loop"] = timed(images, args.seconds, loop, 1, to_device)
        results["replicated"] = timed(images, args.seconds, replicated, batch, to_device)
        if has_split:
            results["encode_once"] = timed(images, args.seconds, encode_once, batch, to_device)

    report = {
        "approaches": {name: {"images": n, "seconds": s, "images_per_second": n / s}
                       for name, (n, s) in results.items()},
        "deterministic_probabilities": probs.numpy().tolist(),
        "device": str(device),
        "precision": args.precision,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
    }
    with open(args.out, "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main()
