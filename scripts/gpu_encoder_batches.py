#!/usr/bin/python3
"""Images/s of a bundle's encode() on the GPU by batch size, with cudnn.benchmark off and on,
on device-resident random inputs (no uploads): tells whether a GPU run's speed is the encoder's
batch size or something around it. docs/bench/h100-batch-ramp/resnet50-encoder-by-batch.txt
came from it.
  python3 scripts/gpu_encoder_batches.py MODEL.pt"""
import sys
import time

import torch

model = torch.jit.load(sys.argv[1], map_location="cuda").eval()
x_all = torch.randn(512, 3, 224, 224, device="cuda")
for bench in (False, True):
    torch.backends.cudnn.benchmark = bench
    with torch.inference_mode():
        for b in (32, 64, 128, 256, 512):
            for _ in range(3):
                model.encode(x_all[:b])
            torch.cuda.synchronize()
            t = time.perf_counter()
            for i in range(0, 512, b):
                model.encode(x_all[i:i + b])
            torch.cuda.synchronize()
            dt = time.perf_counter() - t
            print(f"benchmark={bench} batch={b:4d} {512 / dt:8.0f} img/s", flush=True)
    with torch.inference_mode():
        for _ in range(3):
            model(x_all)
        torch.cuda.synchronize(); t = time.perf_counter(); model(x_all); torch.cuda.synchronize()
        print(f"benchmark={bench} forward 512 {512 / (time.perf_counter() - t):8.0f} img/s")
print("tf32 cudnn", torch.backends.cudnn.allow_tf32, "matmul", torch.backends.cuda.matmul.allow_tf32)
