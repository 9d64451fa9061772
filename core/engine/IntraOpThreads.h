#pragma once
// Private to the engine's torch translation units.
#include "model/ModelBundleImpl.h"

namespace ue {

// The LibTorch intra-op threads for a CPU run whose calls each carry one image (per-image
// streams): `threads`, or 1 where one image's calls run faster inline. On a small model
// (the demo CNN: an image's encoder and 100 head rows take ~0.5 ms) waking a second thread for
// each small op costs more than it splits, and a 2-thread run was 10-25 % slower than a 1-thread
// one; on a large one (a ResNet at 224 x 224) the threads pay. Measured on the probe input in
// a few milliseconds; a call slower than kClearlyLargeSeconds is taken as large unmeasured.
// The numbers do not depend on the choice (cli.shards and the engine tests run both counts).
// Leaves at::get_num_threads() at the returned count.
int chooseIntraOpThreads(const ModelBundle::Impl& model, bool monteCarlo, bool cached,
                         int rowsPerCall, int threads);

}  // namespace ue
