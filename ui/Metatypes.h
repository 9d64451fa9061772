#pragma once
#include <QMetaType>
#include <QVector>

#include "analysis/GammaSweep.h"
#include "analysis/MethodSpec.h"
#include "data/FolderScan.h"
#include "engine/McEngine.h"
#include "model/ImageListing.h"

// Core's value types cross the worker/GUI thread boundary in queued signals.
Q_DECLARE_METATYPE(ue::ImageResult)
Q_DECLARE_METATYPE(ue::RunProgress)
Q_DECLARE_METATYPE(ue::RunReport)
Q_DECLARE_METATYPE(ue::RunOptions)
Q_DECLARE_METATYPE(ue::GammaResult)
Q_DECLARE_METATYPE(ue::MethodSpec)

namespace ue::ui {
using ResultBatch = QVector<ImageResult>;
using GammaBatch = QVector<GammaResult>;
// The methods of a comparison, in table order.
using MethodList = QVector<MethodSpec>;
void registerMetatypes();
}  // namespace ue::ui

Q_DECLARE_METATYPE(ue::ui::SharedListing)
Q_DECLARE_METATYPE(ue::ui::ResultBatch)
Q_DECLARE_METATYPE(ue::ui::GammaBatch)
Q_DECLARE_METATYPE(ue::ui::MethodList)
