#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "TestSupport.h"
#include "analysis/MethodComparison.h"
#include "io/ComparisonCsv.h"

namespace ue {
namespace {

// A summary of T rows of two-class probabilities.
ImageSummary twoClass(std::vector<float> rows) {
    return summarizeSamples(rows.data(), int(rows.size() / 2), 2);
}

TEST(CompareAccumulator, HandComputedRow) {
    MethodSpec spec;
    spec.label = "tiny";
    spec.model = "m.pt";
    spec.options.method = Method::Deterministic;
    MethodAccumulator accumulator(spec);
    // Right (0.9), wrong (0.6 for class 0, label 1), right (0.8); one OOD image at 0.5/0.5.
    accumulator.add(0, twoClass({0.9f, 0.1f}), 0);
    accumulator.add(1, twoClass({0.6f, 0.4f}), 1);
    accumulator.add(2, twoClass({0.2f, 0.8f}), 1);
    accumulator.addOut(0, twoClass({0.5f, 0.5f}));
    accumulator.addRun(2.0, false);
    const ComparisonRow row = accumulator.result();
    EXPECT_EQ(row.label, "tiny");
    EXPECT_EQ(row.description, "deterministic");
    EXPECT_EQ(row.images, 3u);
    EXPECT_EQ(row.labelled, 3u);
    EXPECT_EQ(row.outImages, 1u);
    EXPECT_NEAR(row.accuracy, 2.0 / 3, 1e-12);
    EXPECT_NEAR(row.nll, -(std::log(0.9) + std::log(0.4) + std::log(0.8)) / 3, 1e-6);
    EXPECT_NEAR(row.brier, (0.02 + 0.72 + 0.08) / 3, 1e-6);
    // One image per 15-bin bin: (|1 - 0.9| + |0 - 0.6| + |1 - 0.8|) / 3.
    EXPECT_NEAR(row.ece, 0.3, 1e-6);
    // Kept by confidence (0.9, 0.8, 0.6), the error comes last: risks 0, 0, 1/3.
    EXPECT_NEAR(row.aurcMaxProbability, 1.0 / 9, 1e-12);
    EXPECT_NEAR(row.aurcEntropy, 1.0 / 9, 1e-12);
    ASSERT_TRUE(row.hasOod);
    EXPECT_DOUBLE_EQ(row.oodAurocEntropy, 1.0);            // 0.5/0.5 is the most uncertain of all
    EXPECT_DOUBLE_EQ(row.oodAurocMutualInformation, 0.5);  // one pass: MI is 0 everywhere
    const auto h = [](double p) { return -p * std::log(p) - (1 - p) * std::log(1 - p); };
    EXPECT_NEAR(row.meanPredictiveEntropy, (h(0.9) + h(0.6) + h(0.8)) / 3, 1e-6);
    EXPECT_NEAR(row.meanExpectedEntropy, row.meanPredictiveEntropy, 1e-6);
    EXPECT_NEAR(row.meanMutualInformation, 0.0, 1e-6);
    EXPECT_FALSE(row.hasLogitVariance);
    EXPECT_DOUBLE_EQ(row.imagesPerSecond, 2.0);  // 4 images in 2 s
    EXPECT_EQ(accumulator.values(ComparisonScore::MaxProbability).size(), 3u);
    EXPECT_EQ(accumulator.values(ComparisonScore::MaxProbability, true).size(), 1u);
}

TEST(CompareAccumulator, EpistemicAndAleatoricMeans) {
    MethodAccumulator accumulator;
    // Two confident passes that disagree: all epistemic. Two identical 50/50 passes: all
    // aleatoric.
    accumulator.add(0, twoClass({1.f, 0.f, 0.f, 1.f}), kNoLabel);
    accumulator.add(1, twoClass({0.5f, 0.5f, 0.5f, 0.5f}), kNoLabel);
    const ComparisonRow row = accumulator.result();
    EXPECT_EQ(row.labelled, 0u);
    EXPECT_FALSE(row.hasOod);
    EXPECT_NEAR(row.meanPredictiveEntropy, std::log(2.0), 1e-6);
    EXPECT_NEAR(row.meanExpectedEntropy, std::log(2.0) / 2, 1e-6);
    EXPECT_NEAR(row.meanMutualInformation, std::log(2.0) / 2, 1e-6);
    const auto epistemic = accumulator.values(ComparisonScore::MutualInformation);
    ASSERT_EQ(epistemic.size(), 2u);
    EXPECT_NEAR(epistemic[0], std::log(2.0), 1e-6);
    EXPECT_NEAR(epistemic[1], 0.0, 1e-6);
}

TEST(CompareAccumulator, CsvLeavesWhatDoesNotApplyEmpty) {
    MethodAccumulator accumulator;
    accumulator.add(0, twoClass({0.5f, 0.5f}), kNoLabel);
    std::ostringstream out;
    writeComparisonCsv(out, {accumulator.result()});
    const std::string text = out.str();
    EXPECT_EQ(text.rfind("method,model,description,samples_per_image,images,", 0), 0u);
    // Unlabelled, no OOD, no logit variance: accuracy ... AUROCs and logit variance are empty.
    EXPECT_NE(text.find(",1,1,0,0,,,,,,,,,"), std::string::npos) << text;
    EXPECT_NE(formatComparisonTable({accumulator.result()}).find("AUROC-MI"), std::string::npos);
}

TEST(CompareAccumulator, PerImageLogitVarianceIsEmptyWithoutOne) {
    MethodAccumulator plain;
    plain.add(0, twoClass({0.75f, 0.25f}), 0);
    ImageSummary hetero = twoClass({0.75f, 0.25f});
    hetero.hasLogitVariance = true;
    hetero.logitVariance = 0.5;
    MethodAccumulator heteroscedastic;
    heteroscedastic.add(0, hetero, 0);
    std::ostringstream out;
    ComparisonImagesCsv csv(out, {"a", "b"});
    csv.write("plain", plain.images(), {"x.png"}, {});
    csv.write("hetero", heteroscedastic.images(), {"x.png"}, {});
    std::istringstream lines(out.str());
    std::string header, plainRow, heteroRow;
    std::getline(lines, header);
    std::getline(lines, plainRow);
    std::getline(lines, heteroRow);
    // logit_variance is the last column: empty (as analyze leaves it), not 0; the
    // heteroscedastic model's value is written.
    EXPECT_EQ(header.substr(header.rfind(',') + 1), "logit_variance\r");
    EXPECT_EQ(plainRow.substr(plainRow.rfind(',') + 1), "\r") << plainRow;
    EXPECT_EQ(heteroRow.substr(heteroRow.rfind(',') + 1), "0.5\r") << heteroRow;
}

TEST(CompareAccumulator, TableShowsNoMeansWithoutImages) {
    // A method cancelled before any image finished: no mean, no speed, rather than zeros.
    MethodSpec spec;
    spec.label = "cut";
    MethodAccumulator accumulator(spec);
    accumulator.addRun(0.0, true);
    const std::string table = formatComparisonTable({accumulator.result()});
    std::istringstream lines(table);
    std::string header, row;
    std::getline(lines, header);
    std::getline(lines, row);
    EXPECT_EQ(row.find("0.0000"), std::string::npos) << row;
    std::istringstream cells(row);
    std::vector<std::string> words;
    for (std::string word; cells >> word;) {
        words.push_back(word);
    }
    // The label, 13 columns of "-", then "(partial)".
    ASSERT_EQ(words.size(), 15u) << row;
    for (std::size_t i = 1; i < 14; ++i) {
        EXPECT_EQ(words[i], "-") << row;
    }
    EXPECT_EQ(words[14], "(partial)");
}

TEST(CompareSpecs, JsonRoundTripWithRelativePaths) {
    const std::string json = R"({"format": "uncertainty-explorer-methods/1", "methods": [
        {"label": "MC dropout", "model": "../models/mc.pt", "samples": 12, "logit_samples": 3,
         "seed": 7},
        {"label": "det + TTA", "model": "/abs/det.pt", "method": "deterministic",
         "tta": {"copies": 4, "shift": 0.1}}]})";
    const auto methods = methodsFromJson(json, "conf");
    ASSERT_EQ(methods.size(), 2u);
    EXPECT_EQ(methods[0].model, "models/mc.pt");  // conf/../models/mc.pt, normalised
    EXPECT_EQ(methods[0].options.method, Method::McDropout);
    EXPECT_EQ(methods[0].options.samples, 12);
    EXPECT_EQ(methods[0].options.logitSamples, 3);
    EXPECT_EQ(methods[0].options.seed, 7u);
    EXPECT_EQ(methods[1].model, "/abs/det.pt");
    EXPECT_EQ(methods[1].options.method, Method::Deterministic);
    EXPECT_EQ(methods[1].options.samples, 30);  // the comparison's default
    EXPECT_EQ(methods[1].options.augment.copies, 4);
    EXPECT_DOUBLE_EQ(methods[1].options.augment.maxShift, 0.1);

    const auto again = methodsFromJson(methodsToJson(methods, "conf"), "conf");
    ASSERT_EQ(again.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(again[i].label, methods[i].label);
        EXPECT_EQ(again[i].model, methods[i].model);
        EXPECT_EQ(describeMethod(again[i].options), describeMethod(methods[i].options));
        EXPECT_EQ(again[i].options.samples, methods[i].options.samples);
        EXPECT_EQ(again[i].options.seed, methods[i].options.seed);
    }
    EXPECT_NE(methodsToJson(methods, "conf").find("\"../models/mc.pt\""), std::string::npos);
}

TEST(CompareSpecs, ErrorsNameTheMethodAndField) {
    const auto message = [](const std::string& json) {
        try {
            methodsFromJson(json, "");
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string head = R"({"format": "uncertainty-explorer-methods/1", "methods": [)";
    EXPECT_NE(message(head + R"({"label": "A", "model": "a.pt", "samples": 0}]})")
                  .find("method 1 (\"A\"): samples must be"),
              std::string::npos);
    EXPECT_NE(message(head + R"({"label": "A", "model": "a.pt", "method": "magic"}]})")
                  .find("method must be mc-dropout or deterministic"),
              std::string::npos);
    EXPECT_NE(message(head + R"({"label": "A"}]})").find("model is missing"), std::string::npos);
    EXPECT_NE(message(head + R"({"label": "A", "model": "a.pt", "colour": 1}]})")
                  .find("unknown field \"colour\""),
              std::string::npos);
    EXPECT_NE(message(head + R"({"label": "A", "model": "a.pt"}, {"label": "A", "model": "b"}]})")
                  .find("method 2 (\"A\"): label is used by another method"),
              std::string::npos);
    EXPECT_NE(message(R"({"format": "x", "methods": []})").find("format must be"),
              std::string::npos);
    EXPECT_NE(message(head + "]}").find("no methods"), std::string::npos);
}

TEST(CompareSpecs, AddSyntax) {
    const MethodSpec spec = parseMethodSpec("label=MC x5,model=m.pt,method=mc-dropout,T=5,K=2");
    EXPECT_EQ(spec.label, "MC x5");
    EXPECT_EQ(spec.model, "m.pt");
    EXPECT_EQ(spec.options.samples, 5);
    EXPECT_EQ(spec.options.logitSamples, 2);
    EXPECT_THROW(parseMethodSpec("model=m.pt"), std::invalid_argument);
    EXPECT_THROW(parseMethodSpec("label=a,model=m.pt,T=zero"), std::invalid_argument);
    EXPECT_THROW(parseMethodSpec("label=a,model=m.pt,speed=3"), std::invalid_argument);
}

TEST(CompareSpecs, SavedFileLoadsBack) {
    test::TempDir dir;
    MethodSpec spec;
    spec.label = "det";
    spec.model = (dir.path() / "models" / "det.pt").string();
    spec.options = defaultComparisonOptions();
    spec.options.method = Method::Deterministic;
    const std::string path = (dir.path() / "methods.json").string();
    saveMethods({spec}, path);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("\"models/det.pt\""), std::string::npos) << text.str();
    const auto loaded = loadMethods(path);
    ASSERT_EQ(loaded.size(), 1u);
    EXPECT_EQ(loaded[0].model, spec.model);
    EXPECT_EQ(loaded[0].options.method, Method::Deterministic);
}

}  // namespace
}  // namespace ue
