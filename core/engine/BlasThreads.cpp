#include "engine/BlasThreads.h"

#include <dlfcn.h>

namespace ue {
namespace {

using SetThreadsFunction = void (*)(int);

// Looked up at run time, not linked: the same binary runs on either BLAS, and libblas.so.3 is
// already loaded (LibTorch needs it), so the lookup finds whichever one the system chose.
SetThreadsFunction openBlasSetThreads() {
    return reinterpret_cast<SetThreadsFunction>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}

}  // namespace

bool setBlasThreads(int threads) {
    const SetThreadsFunction setThreads = openBlasSetThreads();
    if (setThreads == nullptr || threads < 1) {
        return false;
    }
    setThreads(threads);
    return true;
}

const char* blasName() {
    return openBlasSetThreads() != nullptr ? "openblas" : "reference";
}

}  // namespace ue
