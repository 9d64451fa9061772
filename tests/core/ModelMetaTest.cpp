#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "Error.h"
#include "model/ModelMeta.h"

namespace ue {
namespace {

using nlohmann::json;

json validMeta() {
    return json::parse(R"({
        "format": "uncertainty-explorer/1", "name": "toy",
        "classes": ["cat", "dog"],
        "input": {"channels": 3, "height": 32, "width": 24, "mean": [0.5, 0.5, 0.5],
                  "std": [0.25, 0.25, 0.25], "resize": "center-crop"},
        "output": "logits",
        "methods": {"encode": "encode", "head": "head"}
    })");
}

// The message of the ModelError that parsing `meta` throws.
std::string errorOf(const json& meta) {
    try {
        parseModelMeta(meta.dump(), "toy.pt");
    } catch (const ModelError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(ModelMeta, ParsesAValidMeta) {
    const auto meta = parseModelMeta(validMeta().dump(), "toy.pt");
    EXPECT_EQ(meta.name, "toy");
    ASSERT_EQ(meta.classes.size(), 2u);
    EXPECT_EQ(meta.classes[1], "dog");
    EXPECT_EQ(meta.input.channels, 3);
    EXPECT_EQ(meta.input.height, 32);
    EXPECT_EQ(meta.input.width, 24);
    EXPECT_FLOAT_EQ(meta.input.std[2], 0.25f);
    EXPECT_EQ(meta.input.resize, ResizeMode::CenterCrop);
    EXPECT_EQ(meta.encodeMethod, "encode");
    EXPECT_EQ(meta.headMethod, "head");
}

TEST(ModelMeta, OptionalFieldsDefault) {
    auto meta = validMeta();
    meta.erase("methods");
    meta.erase("output");
    meta["input"].erase("resize");
    const auto parsed = parseModelMeta(meta.dump(), "toy.pt");
    EXPECT_TRUE(parsed.encodeMethod.empty());
    EXPECT_EQ(parsed.output, OutputKind::Logits);
    EXPECT_EQ(parsed.input.resize, ResizeMode::Stretch);
}

TEST(ModelMeta, MissingFieldIsNamed) {
    auto meta = validMeta();
    meta.erase("classes");
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'classes' is missing");
    meta = validMeta();
    meta["input"].erase("height");
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'input.height' is missing");
}

TEST(ModelMeta, WrongTypesAreNamed) {
    auto meta = validMeta();
    meta["input"]["width"] = "24";
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'input.width' must be an integer, got string");
    meta = validMeta();
    meta["classes"][1] = 7;
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'classes[1]' must be a non-empty string");
    meta = validMeta();
    meta["input"]["mean"][0] = "x";
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'input.mean[0]' must be a number, got string");
}

TEST(ModelMeta, ValuesAreBounded) {
    auto meta = validMeta();
    meta["input"]["height"] = 100000;
    EXPECT_EQ(errorOf(meta),
              "toy.pt: meta field 'input.height' must be between 1 and 8192, got 100000");
    meta = validMeta();
    meta["input"]["std"] = {0.2, 0.0, 0.2};
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'input.std[1]' must be a finite number > 0");
    meta = validMeta();
    meta["input"]["mean"] = {0.5};
    EXPECT_EQ(errorOf(meta),
              "toy.pt: meta field 'input.mean' must have one number per input "
              "channel (3), got 1");
    meta = validMeta();
    meta["classes"] = {"cat", "cat"};
    EXPECT_EQ(errorOf(meta), "toy.pt: meta field 'classes[1]' repeats the class name \"cat\"");
}

TEST(ModelMeta, WrongFormatAndUnknownValues) {
    auto meta = validMeta();
    meta["format"] = "something/2";
    EXPECT_NE(errorOf(meta).find("'format' must be \"uncertainty-explorer/1\""), std::string::npos);
    meta = validMeta();
    meta["output"] = "probabilities";
    EXPECT_NE(errorOf(meta).find("'output' must be"), std::string::npos);
    meta = validMeta();
    meta["methods"].erase("head");
    EXPECT_EQ(errorOf(meta),
              "toy.pt: meta field 'methods.head' is missing: encode and head come together");
}

TEST(ModelMeta, NotJsonOrTooLarge) {
    EXPECT_THROW(parseModelMeta("{not json", "toy.pt"), ModelError);
    EXPECT_THROW(parseModelMeta("[1, 2]", "toy.pt"), ModelError);
    EXPECT_THROW(parseModelMeta(std::string(kMaxMetaBytes + 1, ' '), "toy.pt"), ModelError);
}

TEST(ModelMeta, NumbersTooLargeForADoubleAreAModelError) {
    // nlohmann throws out_of_range, not parse_error, for these (the meta fuzzer found it).
    std::string text = validMeta().dump();
    text.replace(text.find("32"), 2, "77e5555555555555555");
    try {
        parseModelMeta(text, "toy.pt");
        FAIL() << "expected ModelError";
    } catch (const ModelError& e) {
        EXPECT_NE(std::string(e.what()).find("toy.pt: meta is not valid JSON"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace ue
