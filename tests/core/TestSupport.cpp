#include "TestSupport.h"

#include "Error.h"
#include "model/ModelBundle.h"

namespace ue::test {

std::string modelLoadError(const std::string& path) {
    try {
        ModelBundle::load(path);
    } catch (const ModelError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace ue::test
