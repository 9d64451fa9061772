#!/usr/bin/python3
"""Images/s of a bundle's encode() on the GPU by batch size, with cudnn.benchmark off and on,
on device-resident random inputs (no uploads): tells whether a GPU run's speed is the encoder's
batch size or something around it. docs/bench/h100-batch-ramp/resnet50-encoder-by-batch.txt
came from it.
  python3 scripts/gpu_encoder_batches.py MODEL.pt   (a 3 x 224 x 224 model with encode/head)"""
import sys
import time

import torch

IMAGES = 512


def images_per_second(run, batch, inputs):
    """Three warm-up calls (cuDNN picks its kernels per shape), then one pass over the inputs."""
    for _ in range(3):
        run(inputs[:batch])
    torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(0, IMAGES, batch):
        run(inputs[i:i + batch])
    torch.cuda.synchronize()
    return IMAGES / (time.perf_counter() - start)


def main():
    model = torch.jit.load(sys.argv[1], map_location="cuda").eval()
    inputs = torch.randn(IMAGES, 3, 224, 224, device="cuda")
    with torch.inference_mode():
        for benchmark in (False, True):
            torch.backends.cudnn.benchmark = benchmark
            for batch in (32, 64, 128, 256, 512):
                rate = images_per_second(model.encode, batch, inputs)
                print(f"benchmark={benchmark} batch={batch:4d} {rate:8.0f} img/s", flush=True)
            rate = images_per_second(model, IMAGES, inputs)
            print(f"benchmark={benchmark} forward 512 {rate:8.0f} img/s")
    print("tf32 cudnn", torch.backends.cudnn.allow_tf32,
          "matmul", torch.backends.cuda.matmul.allow_tf32)


if __name__ == "__main__":
    main()
