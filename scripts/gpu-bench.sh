#!/bin/bash
# Builds the engine against the CUDA LibTorch of the machine's Python PyTorch (no OpenCV, no Qt
# needed: UE_ENGINE_ONLY) and races it against plain PyTorch on the GPU, writing the tables and
# CSVs to OUTDIR. The figures in the README's GPU table come from this script.
#   scripts/gpu-bench.sh OUTDIR [EXTRA_CMAKE_PREFIX]
# EXTRA_CMAKE_PREFIX: where nlohmann-json's and CLI11's CMake configs are, when the machine
# has no system packages for them (a prefix holding include/ and share/cmake/).
# UE_GPU_BENCH_ARCHS (default "resnet18 resnet50") and UE_GPU_BENCH_PRECISIONS (default
# "fp32 bf16") choose the runs, and UE_GPU_BENCH_ROUNDS (default 3) how often each races, to
# fit a short GPU lease.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: gpu-bench.sh OUTDIR [EXTRA_CMAKE_PREFIX]}
extra=${2:-}
mkdir -p "$out"
python=$(command -v python3)
torch_prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$out/gpu.txt"
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' \
    | tee -a "$out/gpu.txt"

cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DUE_ENGINE_ONLY=ON \
    -DUE_USE_CCACHE=OFF -DCMAKE_PREFIX_PATH="$torch_prefix;$extra" > "$out/cmake.log" 2>&1 \
    || { tail -40 "$out/cmake.log"; exit 1; }
grep -E "LibTorch|CUDA" "$out/cmake.log" || true
cmake --build build-gpu --target uncertainty-bench > "$out/build.log" 2>&1 \
    || { grep -E "error|Error" "$out/build.log" | head -40; exit 1; }

bench() {  # NAME ARGS...
    local name=$1
    shift
    echo "== $name"
    ./build-gpu/app/uncertainty-bench --python "$python" -o "$out/$name.csv" "$@" 2>&1 \
        | tee "$out/$name.txt"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fmnist=models/fmnist-mc-cnn.pt
"$python" scripts/bench_tensors.py --model $fmnist --images resources/samples/fashion-mnist \
    --count 16384 --out "$tmp/fmnist.f32"
rounds=${UE_GPU_BENCH_ROUNDS:-3}
gpu=(--device cuda --samples 100 --seconds 3 --rounds "$rounds" --pytorch-batch-images 256
     --pytorch-chunk-rows 32768)
precisions=${UE_GPU_BENCH_PRECISIONS:-fp32 bf16}
for precision in $precisions; do
    bench "fmnist-cuda-$precision" --model $fmnist --tensors "$tmp/fmnist.f32" --images 16384 \
        "${gpu[@]}" --precision "$precision"
done

for arch in ${UE_GPU_BENCH_ARCHS:-resnet18 resnet50}; do
    "$python" models/export_your_model.py --arch $arch --out "$tmp/$arch.pt" --threads 8 \
        > "$out/export-$arch.log" 2>&1 || { tail -20 "$out/export-$arch.log"; exit 1; }
    "$python" scripts/bench_tensors.py --model "$tmp/$arch.pt" \
        --images resources/samples/fashion-mnist --count 512 --out "$tmp/$arch.f32"
    resnet=(--model "$tmp/$arch.pt" --tensors "$tmp/$arch.f32" --images 512 --device cuda
            --samples 100 --seconds 3 --rounds "$rounds" --pytorch-batch-images 64
            --pytorch-chunk-rows 512)
    for precision in $precisions; do
        bench "$arch-cuda-$precision" "${resnet[@]}" --precision "$precision"
    done
done
