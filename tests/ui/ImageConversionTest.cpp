#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>

#include "model/ImageConversion.h"
#include "model/PathText.h"

using ue::ui::toQImage;

class ImageConversionTest : public QObject {
    Q_OBJECT
  private slots:
    void grayEightBit() {
        cv::Mat gray(2, 3, CV_8UC1, cv::Scalar(7));
        gray.at<uchar>(1, 2) = 200;
        const QImage image = toQImage(gray);
        QCOMPARE(image.format(), QImage::Format_Grayscale8);
        QCOMPARE(image.size(), QSize(3, 2));
        QCOMPARE(qGray(image.pixel(2, 1)), 200);
        QCOMPARE(qGray(image.pixel(0, 0)), 7);
    }
    void sixteenBitScalesToEightBit() {
        cv::Mat gray(1, 2, CV_16UC1, cv::Scalar(65535));
        gray.at<uint16_t>(0, 1) = 0;
        const QImage image = toQImage(gray);
        QCOMPARE(qGray(image.pixel(0, 0)), 255);
        QCOMPARE(qGray(image.pixel(1, 0)), 0);
    }
    void bgrBecomesRgb() {
        cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(10, 20, 250));
        const QImage image = toQImage(bgr);
        QCOMPARE(qRed(image.pixel(0, 0)), 250);
        QCOMPARE(qGreen(image.pixel(0, 0)), 20);
        QCOMPARE(qBlue(image.pixel(0, 0)), 10);
    }
    void alphaIsKept() {
        cv::Mat bgra(1, 1, CV_8UC4, cv::Scalar(255, 0, 0, 128));
        const QImage image = toQImage(bgra);
        QCOMPARE(qBlue(image.pixel(0, 0)), 255);
        QCOMPARE(qAlpha(image.pixel(0, 0)), 128);
    }
    void deepCopyOutlivesTheMat() {
        QImage image;
        {
            cv::Mat gray(4, 4, CV_8UC1, cv::Scalar(99));
            image = toQImage(gray);
        }
        QCOMPARE(qGray(image.pixel(3, 3)), 99);
    }
    void unreadableFileIsANullImageWithAReason() {
        QString error;
        QVERIFY(ue::ui::loadDisplayImage("/nonexistent/x.png", 64, &error).isNull());
        QVERIFY(error.contains("cannot open file"));
    }
    void pathsKeepTheirBytesThroughTheGui() {
        using ue::ui::pathBytes;
        using ue::ui::pathText;
        const std::string names[] = {
            "plain/Bag/00017.png",
            "caf\xc3\xa9 \xe7\x94\xbb.png",
            "\xf0\x90\x82\x80.png",  // U+10080: UTF-16 D800 DC80, a real low surrogate
            "bad\xff\xfe.png",
            "cut\xe6\x97",
            "\x80\xc3",
        };
        for (const std::string& name : names) {
            QCOMPARE(pathBytes(pathText(name)), name);
        }
        QCOMPARE(pathText("caf\xc3\xa9"), QString::fromUtf8("caf\xc3\xa9"));
        // Two names that differ only in bytes that are not UTF-8 stay two names.
        QVERIFY(pathText("bad\xff.png") != pathText("bad\xfe.png"));
    }
    void anImageWhoseNameIsNotUtf8Loads() {
        QTemporaryDir folder;
        const std::string path = folder.path().toStdString() + "/bad\xff.png";
        cv::Mat gray(3, 5, CV_8UC1, cv::Scalar(42));
        QVERIFY(cv::imwrite(std::string(folder.path().toStdString() + "/plain.png"), gray));
        std::filesystem::rename(folder.path().toStdString() + "/plain.png", path);
        // QDir cannot name it to remove it with the folder: the test does.
        const auto removeIt = qScopeGuard([&path] { std::filesystem::remove(path); });
        QString error;
        const QImage image = ue::ui::loadDisplayImage(ue::ui::pathText(path), 64, &error);
        QVERIFY2(!image.isNull(), qPrintable(error));
        QCOMPARE(image.size(), QSize(5, 3));
    }
};

QTEST_GUILESS_MAIN(ImageConversionTest)
#include "ImageConversionTest.moc"
