#include "io/RankingCsv.h"

#include "io/CsvWriter.h"

namespace ue {

void writeRankingCsv(std::ostream& out, const std::vector<RankedImage>& images, Score rankedBy) {
    CsvWriter csv(out);
    csv.header({"rank", "path", "label", "prediction", "score", "value", "predictive_entropy",
                "mutual_information"});
    long long rank = 0;
    for (const RankedImage& image : images) {
        csv.integer(++rank)
            .text(image.path)
            .text(image.label)
            .text(image.prediction)
            .text(scoreOptionName(rankedBy))
            .number(image.score)
            .number(image.predictiveEntropy)
            .number(image.mutualInformation)
            .endRow();
    }
}

}  // namespace ue
