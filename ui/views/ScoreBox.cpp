#include "views/ScoreBox.h"

#include <QComboBox>
#include <QSignalBlocker>
#include <algorithm>

namespace ue::ui {

void fillScoreBox(QComboBox* box, const std::vector<Score>& scores, Score fallback,
                  ScoreText text) {
    const QSignalBlocker blocker(box);
    const bool hadChoice = box->currentIndex() >= 0;
    const Score previous = hadChoice ? Score(box->currentData().toInt()) : fallback;
    box->clear();
    for (Score score : scores) {
        box->addItem(
            QString::fromStdString(text == ScoreText::Label ? scoreLabel(score) : scoreName(score)),
            int(score));
    }
    const bool offered = std::find(scores.begin(), scores.end(), previous) != scores.end();
    box->setCurrentIndex(box->findData(int(offered ? previous : fallback)));
}

}  // namespace ue::ui
