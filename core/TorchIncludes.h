#pragma once
// The one place core includes LibTorch. Qt's `slots` macro breaks torch headers, so guard it
// in case a translation unit ever sees both.
#pragma push_macro("slots")
#undef slots
#include <ATen/Parallel.h>
#include <torch/script.h>
#pragma pop_macro("slots")
