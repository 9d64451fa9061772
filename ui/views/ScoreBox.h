#pragma once
#include <vector>

#include "metrics/Scores.h"

class QComboBox;

namespace ue::ui {

enum class ScoreText { Name, Label };

// Fills a score picker with `scores` (each item's data the Score), as scoreName() or, where the
// picker has room, scoreLabel(). The score chosen before stays chosen while it is offered, else
// `fallback` is: a model without a logit variance takes that choice away. The box's signals
// are blocked meanwhile, so the view refreshes once, after.
void fillScoreBox(QComboBox* box, const std::vector<Score>& scores, Score fallback,
                  ScoreText text = ScoreText::Name);

}  // namespace ue::ui
