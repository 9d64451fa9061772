#!/usr/bin/python3
"""Writes the demo's out-of-distribution set: resources/samples/ood-digits/NNNN.png.

Source: the UCI ML hand-written digits (Alpaydin & Kaynak), as shipped with Debian's
python3-sklearn (sklearn.datasets.load_digits: 1,797 scans of digits by 43 writers, 8 x 8
pixels, 17 grey levels). Each is scaled to 0..255 and enlarged to 28 x 28 with bilinear
interpolation, so it has Fashion-MNIST's format (28 x 28, one channel, light object on a dark
background) but none of its classes: the same pairing as the field's standard
Fashion-MNIST-vs-MNIST benchmark, with data available offline. The first --count images, in
the dataset's order (all ten digits, interleaved), are written; the output is byte-reproducible.

    /usr/bin/python3 models/make_ood_samples.py [--count 100]
"""
import argparse
import os

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", default=os.path.join(root, "resources", "samples",
                                                      "ood-digits"))
    args = parser.parse_args()
    digits = load_digits()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.count):
        pixels = np.round(digits.images[i] * (255.0 / 16.0)).astype(np.uint8)
        image = Image.fromarray(pixels, mode="L").resize((28, 28), Image.BILINEAR)
        image.save(os.path.join(args.out, "%04d.png" % i), optimize=True)
    print("wrote %d images to %s" % (args.count, args.out))


if __name__ == "__main__":
    main()
