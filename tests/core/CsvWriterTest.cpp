#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "io/CsvWriter.h"

namespace ue {
namespace {

TEST(CsvCell, PlainTextIsLeftAlone) {
    EXPECT_EQ(csvTextCell("Trouser"), "Trouser");
}

TEST(CsvCell, QuotesCommasQuotesAndNewlines) {
    EXPECT_EQ(csvTextCell("a,b"), "\"a,b\"");
    EXPECT_EQ(csvTextCell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvTextCell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvTextCell("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvCell, NeutralisesFormulaTriggers) {
    EXPECT_EQ(csvTextCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(csvTextCell("+1"), "'+1");
    EXPECT_EQ(csvTextCell("-2"), "'-2");
    EXPECT_EQ(csvTextCell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csvTextCell("\tx"), "'\tx");
}

TEST(CsvCell, LeadingCarriageReturnIsNeutralisedAndQuoted) {
    EXPECT_EQ(csvTextCell("\r=1"), "\"'\r=1\"");
}

TEST(CsvCell, LeadingApostropheIsDoubledSoReadersCanDropOne) {
    EXPECT_EQ(csvTextCell("'quoted"), "''quoted");
    EXPECT_EQ(csvTextCell("mid'dle"), "mid'dle");
}

TEST(CsvCell, TextThatLooksNumericIsStillText) {
    // A class or file named "-1" is text: neutralised. Numbers go through csvNumberCell.
    EXPECT_EQ(csvTextCell("-1"), "'-1");
}

TEST(CsvCell, UnicodePassesThrough) {
    EXPECT_EQ(csvTextCell("Größe ✓"), "Größe ✓");
}

TEST(CsvCell, NumbersAreNeverNeutralised) {
    EXPECT_EQ(csvNumberCell(-0.5), "-0.5");
    EXPECT_EQ(csvNumberCell(0.123456789012, 9), "0.123456789");
    EXPECT_EQ(csvNumberCell(std::nan("")), "nan");
}

TEST(CsvWriter, RowsEndWithCrlf) {
    std::ostringstream out;
    CsvWriter csv(out);
    csv.header({"path", "p"});
    csv.text("a,b.png").number(0.25).endRow();
    csv.text("c.png").empty().endRow();
    EXPECT_EQ(out.str(), "path,p\r\n\"a,b.png\",0.25\r\nc.png,\r\n");
}

TEST(CsvWriter, HostileFileNamesGiveTheseExactBytes) {
    std::ostringstream out;
    CsvWriter csv(out);
    csv.header({"path", "label", "status", "error", "margin"});
    csv.text("=HYPERLINK(\"http://x\",\"y\").png").text("-1").text("ok").empty().number(-0.5);
    csv.endRow();
    csv.text("dir/a \"b\"\nc, d.png").text("Größe").text("error").text("@x: not readable");
    csv.number(0.25).endRow();
    EXPECT_EQ(out.str(),
              "path,label,status,error,margin\r\n"
              "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\").png\",'-1,ok,,-0.5\r\n"
              "\"dir/a \"\"b\"\"\nc, d.png\",Größe,error,'@x: not readable,0.25\r\n");
}

}  // namespace
}  // namespace ue
