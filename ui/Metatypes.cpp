#include "Metatypes.h"

namespace ue::ui {

void registerMetatypes() {
    qRegisterMetaType<ImageResult>();
    qRegisterMetaType<RunProgress>();
    qRegisterMetaType<RunReport>();
    qRegisterMetaType<RunOptions>();
    qRegisterMetaType<SharedListing>();
    qRegisterMetaType<ResultBatch>();
    qRegisterMetaType<GammaResult>();
    qRegisterMetaType<GammaBatch>();
    qRegisterMetaType<MethodSpec>();
    qRegisterMetaType<MethodList>();
}

}  // namespace ue::ui
