#!/usr/bin/python3
"""Writes preprocessed images as raw float32 (N x C x H x W) for `uncertainty-bench --tensors`.

Decodes image files with Pillow and prepares them as the bundle's meta.input says (channels,
size by stretching, [0,1] scaling, mean/std). It exists for machines without OpenCV, where the
C++ decoder cannot be built; the bench then times both sides on exactly these tensors. --count
repeats the images to reach N, so a fast device has enough work to be timed.
"""
import argparse
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
import bundle  # noqa: E402


def image_files(root):
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.join(folder, n) for n in names
                  if n.lower().endswith((".png", ".jpg", ".jpeg", ".bmp"))]
    return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--images", required=True, help="folder of image files")
    parser.add_argument("--count", type=int, default=0, help="N (default: the images found)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    spec = bundle.load_meta(args.model)["input"]
    channels, height, width = spec["channels"], spec["height"], spec["width"]
    mean = np.array(spec["mean"], dtype=np.float32).reshape(-1, 1, 1)
    std = np.array(spec["std"], dtype=np.float32).reshape(-1, 1, 1)
    tensors = []
    for path in image_files(args.images):
        image = Image.open(path).convert("L" if channels == 1 else "RGB")
        pixels = np.asarray(image.resize((width, height), Image.BILINEAR), dtype=np.float32)
        chw = (pixels / 255.0).reshape(height, width, channels).transpose(2, 0, 1)
        tensors.append((chw - mean) / std)
    if not tensors:
        sys.exit("error: no images in " + args.images)
    count = args.count or len(tensors)
    stacked = np.stack([tensors[i % len(tensors)] for i in range(count)]).astype(np.float32)
    stacked.tofile(args.out)
    print("%s: %d x %d x %d x %d float32" % (args.out, count, channels, height, width))


if __name__ == "__main__":
    main()
