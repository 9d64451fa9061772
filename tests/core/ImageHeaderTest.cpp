#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "Error.h"
#include "data/ImageHeader.h"
#include "data/ImageLoader.h"

namespace ue {
namespace {

using Bytes = std::vector<unsigned char>;

Bytes encode(const std::string& extension, const cv::Mat& image) {
    Bytes bytes;
    EXPECT_TRUE(cv::imencode(extension, image, bytes)) << extension;
    return bytes;
}

// The header reader agrees with the decoder on every format it knows, and no prefix of a file
// (a truncated header) makes it read out of bounds or invent a size.
TEST(ImageHeader, ReadsTheSizeOfEveryKnownFormatWithoutDecoding) {
    const cv::Mat image(23, 37, CV_8UC3, cv::Scalar(10, 120, 240));
    const std::vector<std::pair<std::string, std::string>> formats = {
        {".png", "PNG"},   {".jpg", "JPEG"},      {".bmp", "BMP"},
        {".tiff", "TIFF"}, {".webp", "WebP"},     {".ppm", "PNM"},
        {".pam", "PAM"},   {".sr", "Sun raster"}, {".pgm", "PNM"}};
    for (const auto& [extension, format] : formats) {
        cv::Mat stored = image;
        if (extension == ".pgm") {
            cv::cvtColor(image, stored, cv::COLOR_BGR2GRAY);
        }
        const Bytes bytes = encode(extension, stored);
        const auto header = readImageHeader(bytes);
        ASSERT_TRUE(header) << extension;
        EXPECT_EQ(header->format, format);
        EXPECT_EQ(header->width, 37u) << extension;
        EXPECT_EQ(header->height, 23u) << extension;
        for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
            const auto partial = readImageHeader(Bytes(bytes.begin(), bytes.begin() + cut));
            if (partial) {
                EXPECT_EQ(partial->width * partial->height, 37u * 23u) << extension << cut;
            }
        }
    }
}

TEST(ImageHeader, GifAndTopDownBmp) {
    const Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 0x10, 0x27, 0x20, 0x4e, 0, 0, 0};
    const auto header = readImageHeader(gif);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->format, "GIF");
    EXPECT_EQ(header->width, 10000u);
    EXPECT_EQ(header->height, 20000u);

    Bytes bmp = encode(".bmp", cv::Mat(5, 7, CV_8UC1, cv::Scalar(0)));
    const std::int32_t topDown = -5;
    std::memcpy(bmp.data() + 22, &topDown, 4);  // little-endian host, as BMP is
    EXPECT_EQ(readImageHeader(bmp)->height, 5u);
}

TEST(ImageHeader, UnknownBytesHaveNoHeader) {
    EXPECT_FALSE(readImageHeader({}));
    const std::string text = "I am not a picture";
    EXPECT_FALSE(readImageHeader(Bytes(text.begin(), text.end())));
}

TEST(ImageHeader, JpegCutBeforeItsEndMarkerIsTruncated) {
    const Bytes jpeg = encode(".jpg", cv::Mat(32, 32, CV_8UC1, cv::Scalar(77)));
    EXPECT_FALSE(jpegIsTruncated(jpeg));
    Bytes padded = jpeg;
    padded.insert(padded.end(), 100, 0);  // bytes after the end marker are allowed
    EXPECT_FALSE(jpegIsTruncated(padded));
    EXPECT_TRUE(jpegIsTruncated(Bytes(jpeg.begin(), jpeg.end() - 10)));
}

// A PNG of a few dozen bytes that asks for 10^10 pixels: refused from the header, before any
// allocation, naming the file and its dimensions.
TEST(ImageLoader, ImagesOverThePixelLimitAreRefusedFromTheHeader) {
    Bytes png = encode(".png", cv::Mat(3, 3, CV_8UC1, cv::Scalar(1)));
    const unsigned char side[4] = {0x00, 0x01, 0x86, 0xa0};  // 100000, big-endian
    std::copy(side, side + 4, png.begin() + 16);
    std::copy(side, side + 4, png.begin() + 20);
    const std::string path = ::testing::TempDir() + "ue-bomb.png";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_TRUE(f);
        std::fwrite(png.data(), 1, png.size(), f);
        std::fclose(f);
    }
    EXPECT_EQ(maxImagePixels(), kDefaultMaxImagePixels);
    try {
        decodeImageFile(path);
        ADD_FAILURE() << "no error";
    } catch (const ImageError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path +
                      ": PNG header declares 100000 x 100000 pixels, more than the limit of "
                      "100000000 pixels");
    }
    // The limit is the caller's to set; the decoded size is checked too.
    const std::string small = ::testing::TempDir() + "ue-small.png";
    cv::imwrite(small, cv::Mat(10, 10, CV_8UC1, cv::Scalar(1)));
    EXPECT_THROW(decodeImageFile(small, 99), ImageError);
    EXPECT_EQ(decodeImageFile(small, 100).total(), 100u);
    setMaxImagePixels(99);
    EXPECT_THROW(decodeImageFile(small), ImageError);
    setMaxImagePixels(kDefaultMaxImagePixels);
}

}  // namespace
}  // namespace ue
