#!/usr/bin/python3
"""Writes the demo's validation set: resources/samples/fashion-mnist-val/<class>/NNNNN.png.

Per-class thresholds, calibration and conformal prediction are fitted on a validation set and
judged on a test set; the two must not share images. The demo's test images
(resources/samples/fashion-mnist, written by train_fmnist.py) are the first 30 of each class
in the Fashion-MNIST test split; this script writes the next --per-class images of each class
(50 by default, 500 in all) from the same split, which the models never trained on either.
File names are the index in the test split, as for the demo samples; the output is
byte-reproducible.

    /usr/bin/python3 models/make_val_samples.py [--per-class 50]
"""
import argparse
import os

import numpy as np
from PIL import Image

from train_fmnist import CLASSES, DATA_DIR, SAMPLES_PER_CLASS, load_split


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--data-dir", default=DATA_DIR)
    parser.add_argument("--out", default=os.path.join(root, "resources", "samples",
                                                      "fashion-mnist-val"))
    args = parser.parse_args()
    images, labels = load_split(args.data_dir, "t10k")
    count = 0
    for c, name in enumerate(CLASSES):
        folder = os.path.join(args.out, name.replace("/", "_"))
        os.makedirs(folder, exist_ok=True)
        indices = np.nonzero(labels == c)[0]
        # Skip the demo's test images (the first SAMPLES_PER_CLASS of the class).
        for i in indices[SAMPLES_PER_CLASS:SAMPLES_PER_CLASS + args.per_class]:
            Image.fromarray(images[i], mode="L").save(os.path.join(folder, "%05d.png" % i),
                                                      optimize=True)
            count += 1
    print("wrote %d images under %s" % (count, args.out))


if __name__ == "__main__":
    main()
