#pragma once
// Private to the engine's torch translation units.
#include "model/ModelBundleImpl.h"

namespace ue {

// Whether one image's calls (as chooseIntraOpThreads times them) draw from LibTorch's default
// generator in any member: a model that samples its own weights or noise (Bayes-by-backprop),
// or dropout on rows the hashed masks do not cover. Such a model's images cannot run side by
// side: they would take their draws from one generator in whatever order the threads reach it.
bool callsDrawFromTorchGenerator(const ModelBundle::Impl& model, bool monteCarlo, bool cached,
                                 int rowsPerCall);

// The LibTorch intra-op threads for a CPU run whose calls each carry one image (per-image
// streams) and whose images cannot run side by side (InputWorkers.h: the model draws from
// LibTorch's generator, or the budget holds one image's calls): `threads`, or 1 where one image's
// calls run faster inline. On a small model
// (the demo CNN: an image's encoder and 100 head rows take ~0.5 ms) waking a second thread for
// each small op costs more than it splits, and a 2-thread run was 10-25 % slower than a 1-thread
// one; on a large one (a ResNet at 224 x 224) the threads pay. Measured on the probe input in
// a few milliseconds; a call slower than kClearlyLargeSeconds is taken as large unmeasured.
// The numbers do not depend on the choice (cli.shards and the engine tests run both counts).
// Leaves at::get_num_threads() at the returned count.
int chooseIntraOpThreads(const ModelBundle::Impl& model, bool monteCarlo, bool cached,
                         int rowsPerCall, int threads);

}  // namespace ue
