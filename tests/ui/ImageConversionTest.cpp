#include <QtTest>
#include <opencv2/imgcodecs.hpp>

#include "model/ImageConversion.h"

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
};

QTEST_GUILESS_MAIN(ImageConversionTest)
#include "ImageConversionTest.moc"
