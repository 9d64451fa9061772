#pragma once
// Image names and a model's class names come from files users did not write. On a terminal a
// name holding ESC sequences could recolour, retitle or rewrite what the tool prints, and bytes
// that are not UTF-8 make a CSV that spreadsheets and Python's csv module refuse. Both are
// written as \xHH per byte (as Python's "backslashreplace" does): readable, and the same name
// always gives the same text, so merged shards still match. A name that really holds the four
// characters "\xff" prints the same as one holding that byte.
#include <streambuf>
#include <string>
#include <string_view>

namespace ue {

// The length of the well-formed UTF-8 sequence (RFC 3629) that starts at text[at], or 0 when the
// byte there does not start one that ends inside text.
std::size_t utf8SequenceLength(std::string_view text, std::size_t at);

// Bytes that are not part of well-formed UTF-8 (RFC 3629: no overlongs, surrogates or code
// points past U+10FFFF) as \xHH; everything else unchanged. For CSV cells.
std::string escapeInvalidUtf8(std::string_view text);

// For a terminal: also control characters other than newline and tab (C0, DEL, C1) and the
// bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a name
// display as another, as \xHH per byte.
std::string printableText(std::string_view text);

// A streambuf that writes printableText of everything through it to `target`, unbuffered, so
// it keeps its place among writes that bypass it (stdio). A UTF-8 sequence split across two
// writes is held until it completes; what is still held when it is destroyed is escaped.
class PrintableStreambuf : public std::streambuf {
  public:
    explicit PrintableStreambuf(std::streambuf* target) : target_(target) {}
    ~PrintableStreambuf() override;
    PrintableStreambuf(const PrintableStreambuf&) = delete;
    PrintableStreambuf& operator=(const PrintableStreambuf&) = delete;

    std::streambuf* target() const { return target_; }

  protected:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* text, std::streamsize count) override;
    int sync() override;

  private:
    void write(std::string_view text);

    std::streambuf* target_;
    std::string pending_;  // the start of a UTF-8 sequence whose end has not come yet
};

// While alive, std::cout and std::cerr write through PrintableStreambufs: for a CLI's main,
// whose messages quote file names and class names.
class PrintableConsole {
  public:
    PrintableConsole();
    ~PrintableConsole();
    PrintableConsole(const PrintableConsole&) = delete;
    PrintableConsole& operator=(const PrintableConsole&) = delete;

  private:
    PrintableStreambuf out_;
    PrintableStreambuf err_;
};

}  // namespace ue
