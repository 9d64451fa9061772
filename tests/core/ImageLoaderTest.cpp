#include <gtest/gtest.h>

#include <fstream>
#include <opencv2/imgcodecs.hpp>

#include "Error.h"
#include "TestSupport.h"
#include "data/ImageLoader.h"

namespace ue {
namespace {

InputSpec graySpec(int side = 4) {
    InputSpec spec;
    spec.channels = 1;
    spec.height = side;
    spec.width = side;
    spec.mean = {0.5f};
    spec.std = {0.25f};
    return spec;
}

InputSpec rgbSpec(int side = 4) {
    InputSpec spec;
    spec.channels = 3;
    spec.height = side;
    spec.width = side;
    spec.mean = {0.f, 0.f, 0.f};
    spec.std = {1.f, 1.f, 1.f};
    return spec;
}

std::string writeImage(const test::TempDir& dir, const std::string& name, const cv::Mat& image) {
    const auto path = dir.file(name);
    EXPECT_TRUE(cv::imwrite(path, image)) << path;
    return path;
}

TEST(ImageLoader, EightBitGrayIsScaledAndNormalised) {
    test::TempDir dir;
    cv::Mat image(4, 4, CV_8UC1, cv::Scalar(0));
    image.at<uchar>(0, 1) = 255;
    image.at<uchar>(2, 3) = 51;  // 0.2
    const auto chw = loadImageForModel(writeImage(dir, "g.png", image), graySpec());
    ASSERT_EQ(chw.size(), 16u);
    EXPECT_FLOAT_EQ(chw[0], (0.0f - 0.5f) / 0.25f);
    EXPECT_FLOAT_EQ(chw[1], (1.0f - 0.5f) / 0.25f);
    EXPECT_NEAR(chw[2 * 4 + 3], (0.2f - 0.5f) / 0.25f, 1e-6);
}

TEST(ImageLoader, SixteenBitUsesTheFullRange) {
    test::TempDir dir;
    cv::Mat image(4, 4, CV_16UC1, cv::Scalar(65535));
    image.at<uint16_t>(1, 1) = 0;
    const auto chw = loadImageForModel(writeImage(dir, "g16.png", image), graySpec());
    EXPECT_FLOAT_EQ(chw[0], 2.0f);
    EXPECT_FLOAT_EQ(chw[5], -2.0f);
}

// Found by fuzz_image_loader: a one-channel TIFF of 32-bit samples reached cvtColor, which takes
// no such depth, and its cv::Exception escaped as no ImageError.
TEST(ImageLoader, DepthsColourConversionCannotTakeAreConvertedOrClearErrors) {
    cv::Mat doubles(4, 4, CV_64FC1, cv::Scalar(0.25));
    const auto rgb = preprocessImage(doubles, rgbSpec(), "d.tiff");
    ASSERT_EQ(rgb.size(), 48u);
    for (const float value : rgb) {
        EXPECT_FLOAT_EQ(value, 0.25f);
    }
    for (const int type : {CV_32SC1, CV_16SC1, CV_8SC1, CV_32SC3}) {
        const cv::Mat integers(4, 4, type, cv::Scalar::all(7));
        for (const auto& spec : {graySpec(), rgbSpec()}) {
            try {
                preprocessImage(integers, spec, "i.tiff");
                ADD_FAILURE() << "type " << type << " was accepted";
            } catch (const ImageError& e) {
                EXPECT_NE(std::string(e.what()).find("i.tiff: unsupported pixel depth"),
                          std::string::npos)
                    << e.what();
            }
        }
    }
}

TEST(ImageLoader, ColourBecomesRgbInChannelOrder) {
    test::TempDir dir;
    cv::Mat image(4, 4, CV_8UC3, cv::Scalar(0, 0, 255));  // BGR: pure red
    const auto chw = loadImageForModel(writeImage(dir, "red.png", image), rgbSpec());
    ASSERT_EQ(chw.size(), 48u);
    EXPECT_FLOAT_EQ(chw[0], 1.0f);        // R plane
    EXPECT_FLOAT_EQ(chw[16], 0.0f);       // G plane
    EXPECT_FLOAT_EQ(chw[32 + 15], 0.0f);  // B plane
}

TEST(ImageLoader, ColourToGrayUsesLuma) {
    test::TempDir dir;
    cv::Mat image(4, 4, CV_8UC3, cv::Scalar(0, 255, 0));  // pure green
    InputSpec spec = graySpec();
    spec.mean = {0.f};
    spec.std = {1.f};
    const auto chw = loadImageForModel(writeImage(dir, "green.png", image), spec);
    EXPECT_NEAR(chw[0], 0.587f, 0.003f);  // ITU-R 601: Y = .299 R + .587 G + .114 B
}

TEST(ImageLoader, GrayIsReplicatedForRgbModelsAndAlphaIsDropped) {
    test::TempDir dir;
    cv::Mat gray(4, 4, CV_8UC1, cv::Scalar(255));
    const auto fromGray = loadImageForModel(writeImage(dir, "g.png", gray), rgbSpec());
    EXPECT_FLOAT_EQ(fromGray[0], 1.0f);
    EXPECT_FLOAT_EQ(fromGray[16], 1.0f);
    EXPECT_FLOAT_EQ(fromGray[32], 1.0f);
    cv::Mat bgra(4, 4, CV_8UC4, cv::Scalar(255, 0, 0, 0));  // blue, fully transparent
    const auto fromAlpha = loadImageForModel(writeImage(dir, "a.png", bgra), rgbSpec());
    EXPECT_FLOAT_EQ(fromAlpha[0], 0.0f);
    EXPECT_FLOAT_EQ(fromAlpha[32], 1.0f);
}

TEST(ImageLoader, EveryCommonFormatDecodes) {
    test::TempDir dir;
    cv::Mat image(8, 8, CV_8UC3, cv::Scalar(40, 120, 200));
    for (const char* name : {"x.png", "x.jpg", "x.bmp", "x.tiff", "x.webp", "x.ppm"}) {
        const auto chw = loadImageForModel(writeImage(dir, name, image), rgbSpec(8));
        EXPECT_NEAR(chw[0], 200.0f / 255.0f, 0.03f) << name;  // JPEG/WebP are lossy
        EXPECT_NEAR(chw[64 + 5], 120.0f / 255.0f, 0.03f) << name;
    }
}

TEST(ImageLoader, OnlyFormatsWhoseHeaderIsReadReachADecoder) {
    // OpenCV chooses a decoder by the bytes, and Debian's DICOM one (GDCM) aborts the process on
    // a few hostile bytes (tests/fuzz found it): anything else is refused before decoding.
    test::TempDir dir;
    const cv::Mat radiance(8, 8, CV_32FC3, cv::Scalar(0.25, 0.5, 0.75));
    const cv::Mat pixels(64, 64, CV_8UC3, cv::Scalar(40, 120, 200));  // OpenJPEG needs 64
    for (const char* name : {"x.hdr", "x.jp2"}) {
        const auto path = writeImage(dir, name, name[2] == 'h' ? radiance : pixels);
        try {
            loadImageForModel(path, rgbSpec(8));
            ADD_FAILURE() << name << " decoded";
        } catch (const ImageError& e) {
            EXPECT_NE(std::string(e.what()).find("not a readable image"), std::string::npos);
        }
    }
    for (const char* seed : {"dicom-mark.bin", "png-with-dicom-mark.bin"}) {
        const std::string path = test::sourcePath(std::string("tests/fuzz/corpus/image/") + seed);
        EXPECT_THROW(loadImageForModel(path, graySpec()), ImageError) << seed;
    }
}

TEST(ImageLoader, StretchAndCenterCropResize) {
    test::TempDir dir;
    cv::Mat image(10, 20, CV_8UC1, cv::Scalar(0));
    image.colRange(4, 16).setTo(255);  // white band in the middle
    InputSpec spec = graySpec(5);
    spec.mean = {0.f};
    spec.std = {1.f};
    const auto path = writeImage(dir, "wide.png", image);
    const auto stretched = loadImageForModel(path, spec);
    ASSERT_EQ(stretched.size(), 25u);
    EXPECT_NEAR(stretched[0], 0.0f, 1e-6);  // the black left edge survives a stretch
    spec.resize = ResizeMode::CenterCrop;
    const auto cropped = loadImageForModel(path, spec);
    EXPECT_NEAR(cropped[0], 1.0f, 1e-6);  // the crop keeps only the white middle
    EXPECT_NEAR(cropped[24], 1.0f, 1e-6);
}

TEST(ImageLoader, BrokenFilesAreClearErrors) {
    test::TempDir dir;
    const auto good = writeImage(dir, "good.png", cv::Mat(16, 16, CV_8UC1, cv::Scalar(9)));
    std::ifstream in(good, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir.file("truncated.png"), std::ios::binary) << bytes.substr(0, 30);
    std::ofstream(dir.file("text.png")) << "this is not an image";
    std::ofstream(dir.file("empty.png"));

    const auto messageOf = [&](const std::string& name) {
        try {
            loadImageForModel(dir.file(name), graySpec());
        } catch (const ImageError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    EXPECT_NE(messageOf("truncated.png").find("truncated.png: not a readable image"),
              std::string::npos);
    EXPECT_NE(messageOf("text.png").find("text.png: not a readable image"), std::string::npos);
    EXPECT_NE(messageOf("empty.png").find("empty.png: file is empty"), std::string::npos);
    EXPECT_NE(messageOf("missing.png").find("missing.png: cannot open file"), std::string::npos);
}

}  // namespace
}  // namespace ue
