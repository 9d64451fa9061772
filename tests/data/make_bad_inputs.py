#!/usr/bin/env python3
"""Writes the hostile-input corpus into OUT (nothing of it is committed; the tests run this into
a temporary folder). Every case and what the app must do with it is listed in EXPECTED_IMAGES /
EXPECTED_MODELS, which the tests import, so the corpus and its expectations cannot drift apart.

    /usr/bin/python3 tests/data/make_bad_inputs.py OUT [--demo-model models/fmnist-mc-cnn.pt]

OUT/images/   one folder of images: odd but valid ones (decoded and classified) under odd names,
              and broken ones (each reported with the file and the problem; the run goes on)
OUT/empty/    an empty folder (a run over it alone cannot start: no images)
OUT/loop      a symlink to itself (an input that cannot be resolved)
OUT/expected.json  EXPECTED_IMAGES and EXPECTED_MODELS below, for tests in other languages
OUT/models/   models that must be refused at load with the meta field or the output named, and
              one whose output is NaN (every image fails with that reason; the run completes)
"""
import argparse
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEMO_MODEL = os.path.join(REPO, "models", "fmnist-mc-cnn.pt")
DEMO_IMAGE = os.path.join(REPO, "resources", "samples", "fashion-mnist", "Bag", "00018.png")

# The header of this PNG asks for 12000 x 12000 8-bit gray pixels (144 MB to decode, 576 MB as
# floats) from a file of a few hundred kilobytes; over the 100-megapixel default limit, under
# OpenCV's own 2^30-pixel cap, so only our header check stops it.
BOMB_SIDE = 12000

# File name -> None when the image must be classified (status ok), else a fragment of its error
# (after "<path>: "). Names with a newline, quotes, a comma, spaces, non-ASCII characters and a
# formula must come back unchanged from the results CSV.
EXPECTED_IMAGES = {
    "gray16.png": None,
    "cmyk.jpg": None,
    "palette.png": None,
    "palette_transparent.png": None,
    "rgba.png": None,
    "gray_alpha.png": None,
    "one_pixel.png": None,
    "float32.tiff": None,
    "with spaces.png": None,
    'a "quoted" name.png': None,
    "comma, separated.png": None,
    "new\nline.png": None,
    "ünïcødé ✓ 画像.png": None,
    "=HYPERLINK(\"evil.example\",\"click\").png": None,
    "'apostrophe.png": None,
    "-minus.png": None,
    "empty.png": "file is empty",
    "truncated.png": "not a readable image",
    "truncated.jpg": "truncated JPEG",
    "text.png": "not a readable image",
    "bomb.png": f"PNG header declares {BOMB_SIDE} x {BOMB_SIDE} pixels, more than the limit of "
                "100000000 pixels",
    "animated.gif": "GIF cannot be decoded",
    # Unreadable (mode 000): root reads it anyway, so the tests check it only as another user.
    "unreadable.png": "cannot open file: Permission denied",
}
# Inside images/: a directory symlink back to the folder (not followed: listed once) and an image
# name that is a symlink to itself (reported as a problem of the scan, not a row).
SYMLINK_LOOP_IMAGE = "self_loop.png"
LOOP_MESSAGE = "Too many levels of symbolic links"

# Model file -> fragment of the error `info` and `analyze` print (exit 2), or for nan.pt the
# per-image error of `analyze` (exit 1: every image fails, the run completes).
EXPECTED_MODELS = {
    "wrong_rank.pt": "returned logits of shape [2, 1, 10], expected [2, 10]",
    "huge_meta.pt": "(embedded meta.json): meta is 5242880 bytes, more than the limit of 4194304",
    "huge_sidecar.pt": "huge_sidecar.json: meta is 5242880 bytes, more than the limit of 4194304",
    "side_too_large.pt": "meta field 'input.height' must be between 1 and 8192, got 100000",
    "too_many_classes.pt": "meta field 'classes' has 100001 entries, more than the limit of 100000",
    "mean_wrong_type.pt": "meta field 'input.mean[0]' must be a number, got string",
    "nan.pt": "the model's output is not finite (NaN or Inf) for this image",
}


def demo_pixels():
    return np.asarray(Image.open(DEMO_IMAGE).convert("L"))


def save(image, path, **options):
    image.save(path, **options)


def write_valid_images(folder):
    gray = demo_pixels()
    save(Image.fromarray(gray.astype(np.uint16) * 257), os.path.join(folder, "gray16.png"))
    rgb = Image.fromarray(np.stack([gray, 255 - gray, gray // 2], axis=-1))
    save(rgb.convert("CMYK"), os.path.join(folder, "cmyk.jpg"), quality=95)
    save(rgb.convert("P"), os.path.join(folder, "palette.png"))
    save(rgb.convert("P"), os.path.join(folder, "palette_transparent.png"), transparency=0)
    rgba = rgb.convert("RGBA")
    rgba.putalpha(Image.fromarray(gray))
    save(rgba, os.path.join(folder, "rgba.png"))
    save(Image.fromarray(gray).convert("LA"), os.path.join(folder, "gray_alpha.png"))
    save(Image.fromarray(np.full((1, 1), 200, np.uint8)), os.path.join(folder, "one_pixel.png"))
    save(Image.fromarray(gray.astype(np.float32) / 255.0), os.path.join(folder, "float32.tiff"))
    with open(DEMO_IMAGE, "rb") as f:
        png = f.read()
    for name, expected in EXPECTED_IMAGES.items():
        if expected is None and not os.path.exists(os.path.join(folder, name)):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(png)


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def bomb_png(side):
    """A valid all-black gray PNG of side x side, compressed about 1000:1."""
    compressor = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte + pixels
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) +
            png_chunk(b"IEND", b""))


def write_broken_images(folder):
    open(os.path.join(folder, "empty.png"), "wb").close()
    with open(DEMO_IMAGE, "rb") as f:
        png = f.read()
    with open(os.path.join(folder, "truncated.png"), "wb") as f:
        f.write(png[: len(png) // 3])
    jpeg = io.BytesIO()
    Image.fromarray(demo_pixels()).resize((64, 64)).save(jpeg, "JPEG", quality=95)
    with open(os.path.join(folder, "truncated.jpg"), "wb") as f:
        f.write(jpeg.getvalue()[:-40])  # cut inside the scan: no end-of-image marker
    with open(os.path.join(folder, "text.png"), "w") as f:
        f.write("I am not a picture\n")
    with open(os.path.join(folder, "bomb.png"), "wb") as f:
        f.write(bomb_png(BOMB_SIDE))
    frames = [Image.fromarray(np.full((16, 16), v, np.uint8)) for v in (0, 128, 255)]
    frames[0].save(os.path.join(folder, "animated.gif"), save_all=True,
                   append_images=frames[1:], duration=100, loop=0)
    unreadable = os.path.join(folder, "unreadable.png")
    with open(unreadable, "wb") as f:
        f.write(png)
    os.chmod(unreadable, 0)
    os.symlink(".", os.path.join(folder, "cycle"))
    os.symlink(SYMLINK_LOOP_IMAGE, os.path.join(folder, SYMLINK_LOOP_IMAGE))


def write_models(folder, demo_model):
    import torch

    extra = {"meta.json": ""}
    demo = torch.jit.load(demo_model, map_location="cpu", _extra_files=extra)
    meta = json.loads(extra["meta.json"])

    def save_model(module, name, meta_value):
        text = meta_value if isinstance(meta_value, str) else json.dumps(meta_value)
        files = {} if meta_value is None else {"meta.json": text}
        torch.jit.save(module, os.path.join(folder, name), _extra_files=files)

    class WrongRank(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, x):
            return self.inner(x).unsqueeze(1)

    class Nan(torch.nn.Module):
        def forward(self, x):
            return torch.full((x.shape[0], 10), float("nan"))

    save_model(torch.jit.script(WrongRank(demo)), "wrong_rank.pt", meta)
    # It exports no encode/head split, so its meta must not declare one.
    save_model(torch.jit.script(Nan()), "nan.pt",
               {k: v for k, v in meta.items() if k != "methods"})

    def padded(size):
        """The demo meta, its description padded so the JSON is exactly `size` bytes."""
        text = json.dumps(dict(meta, description=""))
        return json.dumps(dict(meta, description="x" * (size - len(text))))

    save_model(demo, "huge_meta.pt", padded(5 << 20))
    save_model(demo, "huge_sidecar.pt", None)
    with open(os.path.join(folder, "huge_sidecar.json"), "w") as f:
        f.write(padded(5 << 20))
    save_model(demo, "side_too_large.pt",
               dict(meta, input=dict(meta["input"], height=100000)))
    save_model(demo, "too_many_classes.pt",
               dict(meta, classes=[f"c{i}" for i in range(100001)]))
    save_model(demo, "mean_wrong_type.pt",
               dict(meta, input=dict(meta["input"], mean=["0.5"])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--demo-model", default=DEMO_MODEL)
    parser.add_argument("--no-models", action="store_true", help="images only (no torch)")
    args = parser.parse_args()
    images = os.path.join(args.out, "images")
    os.makedirs(images)
    os.makedirs(os.path.join(args.out, "empty"))
    os.symlink("loop", os.path.join(args.out, "loop"))
    write_valid_images(images)
    write_broken_images(images)
    # For tests not written in Python (the window's): the same expectations as JSON.
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"images": EXPECTED_IMAGES, "loop_image": SYMLINK_LOOP_IMAGE,
                   "loop_message": LOOP_MESSAGE, "models": EXPECTED_MODELS}, f,
                  ensure_ascii=False, indent=1)
    if not args.no_models:
        models = os.path.join(args.out, "models")
        os.makedirs(models)
        write_models(models, args.demo_model)


if __name__ == "__main__":
    main()
