#include <gtest/gtest.h>

#include <sstream>

#include "io/CsvWriter.h"
#include "io/PrintableText.h"

namespace ue {
namespace {

TEST(PrintableText, WellFormedUtf8IsLeftAlone) {
    for (const std::string text : {"Trouser", "caf\xc3\xa9", "\xe7\x94\xbb\xe5\x83\x8f",
                                   "\xf0\x9f\x98\x80", "tab\there\nnext line"}) {
        EXPECT_EQ(escapeInvalidUtf8(text), text);
        EXPECT_EQ(printableText(text), text);
    }
}

TEST(PrintableText, BytesThatAreNotUtf8AreWrittenAsHex) {
    EXPECT_EQ(escapeInvalidUtf8("bad\xff\xfename"), "bad\\xff\\xfename");
    EXPECT_EQ(escapeInvalidUtf8("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
    EXPECT_EQ(escapeInvalidUtf8("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
    EXPECT_EQ(escapeInvalidUtf8("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
    EXPECT_EQ(escapeInvalidUtf8("cut \xe6\x97"), "cut \\xe6\\x97");            // truncated
    EXPECT_EQ(escapeInvalidUtf8("\x80x"), "\\x80x");  // a stray continuation
}

TEST(PrintableText, TerminalControlsAreWrittenAsHexButNewlinesAndTabsStay) {
    EXPECT_EQ(printableText("a\x1b[31mred\x1b[0m.png"), "a\\x1b[31mred\\x1b[0m.png");
    EXPECT_EQ(printableText("title\x1b]0;x\x07"), "title\\x1b]0;x\\x07");
    EXPECT_EQ(printableText("cr\rname"), "cr\\x0dname");
    EXPECT_EQ(printableText("del\x7f"), "del\\x7f");
    EXPECT_EQ(printableText("csi\xc2\x9b"), "csi\\xc2\\x9b");  // U+009B, the 8-bit CSI
    // U+202E RIGHT-TO-LEFT OVERRIDE would show "gpj.exe" as "exe.jpg".
    EXPECT_EQ(printableText("x\xe2\x80\xaegpj.exe"), "x\\xe2\\x80\\xaegpj.exe");
    EXPECT_EQ(printableText("line\n\ttab"), "line\n\ttab");
    // The CSV keeps control characters (quoted where RFC 4180 wants): only the terminal is at
    // risk from them.
    EXPECT_EQ(escapeInvalidUtf8("a\x1b[0m"), "a\x1b[0m");
}

TEST(PrintableText, CsvCellsAreUtf8WhateverTheNameHolds) {
    EXPECT_EQ(csvTextCell("dir/bad\xff.png"), "dir/bad\\xff.png");
    EXPECT_EQ(csvTextCell("=bad\xff,x"), "\"'=bad\\xff,x\"");
}

TEST(PrintableStreambuf, EscapesWhatGoesThroughAndJoinsSplitCharacters) {
    std::ostringstream target;
    {
        PrintableStreambuf filter(target.rdbuf());
        std::ostream out(&filter);
        out << "caf\xc3";  // the first byte of é, the second in the next write
        out << "\xa9 " << 'x' << "\x1b[2J\n";
        out << "\xe2\x80";  // still incomplete when the stream goes
    }
    EXPECT_EQ(target.str(), "caf\xc3\xa9 x\\x1b[2J\n\\xe2\\x80");
}

TEST(PrintableStreambuf, AnIncompleteCharacterFollowedByAnotherIsEscaped) {
    std::ostringstream target;
    {
        PrintableStreambuf filter(target.rdbuf());
        std::ostream out(&filter);
        out << "\xc3";
        out << "x";
    }
    EXPECT_EQ(target.str(), "\\xc3x");
}

}  // namespace
}  // namespace ue
