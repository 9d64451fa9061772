#include "io/PrintableText.h"

#include <cstdint>
#include <iostream>

namespace ue {
namespace {

constexpr std::size_t kInvalid = 0;
constexpr std::size_t kIncomplete = static_cast<std::size_t>(-1);

bool isContinuation(unsigned char byte) {
    return (byte & 0xC0) == 0x80;
}

// The length of the well-formed UTF-8 sequence at text[at], kInvalid when the byte there does
// not start one, or kIncomplete when text ends before a sequence that could still be valid.
std::size_t sequenceLength(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;  // the second byte's range: narrower after E0, ED, F0, F4
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return kInvalid;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if (at + k >= text.size()) {
            return kIncomplete;
        }
        const auto byte = static_cast<unsigned char>(text[at + k]);
        if (k == 1 ? (byte < low || byte > high) : !isContinuation(byte)) {
            return kInvalid;
        }
    }
    return length;
}

std::uint32_t codePoint(std::string_view sequence) {
    const auto lead = static_cast<unsigned char>(sequence[0]);
    if (sequence.size() == 1) {
        return lead;
    }
    std::uint32_t value = lead & (0x7F >> sequence.size());
    for (std::size_t k = 1; k < sequence.size(); ++k) {
        value = (value << 6) | (static_cast<unsigned char>(sequence[k]) & 0x3F);
    }
    return value;
}

bool isUnsafeOnTerminal(std::uint32_t c) {
    const bool control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F);
    const bool reordering = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    return control || reordering;
}

void appendEscaped(std::string& out, std::string_view bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xF];
    }
}

// Escapes `text` into `out`; returns how many bytes at its end form a sequence that is not
// complete yet (left unwritten), or 0 when `final` says nothing more will come.
std::size_t escape(std::string_view text, bool controls, bool final, std::string& out) {
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t length = sequenceLength(text, at);
        if (length == kIncomplete) {
            if (!final) {
                return text.size() - at;
            }
            length = kInvalid;
        }
        if (length == kInvalid) {
            appendEscaped(out, text.substr(at, 1));
            ++at;
            continue;
        }
        const std::string_view sequence = text.substr(at, length);
        if (controls && isUnsafeOnTerminal(codePoint(sequence))) {
            appendEscaped(out, sequence);
        } else {
            out += sequence;
        }
        at += length;
    }
    return 0;
}

}  // namespace

std::size_t utf8SequenceLength(std::string_view text, std::size_t at) {
    const std::size_t length = sequenceLength(text, at);
    return length == kIncomplete ? 0 : length;
}

std::string escapeInvalidUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    escape(text, false, true, out);
    return out;
}

std::string printableText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    escape(text, true, true, out);
    return out;
}

PrintableStreambuf::~PrintableStreambuf() {
    if (!pending_.empty()) {
        std::string out;
        escape(pending_, true, true, out);
        target_->sputn(out.data(), std::streamsize(out.size()));
    }
}

void PrintableStreambuf::write(std::string_view text) {
    pending_.append(text);
    std::string out;
    const std::size_t held = escape(pending_, true, false, out);
    pending_.erase(0, pending_.size() - held);
    target_->sputn(out.data(), std::streamsize(out.size()));
}

PrintableStreambuf::int_type PrintableStreambuf::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
        return traits_type::not_eof(c);
    }
    const char byte = traits_type::to_char_type(c);
    write(std::string_view(&byte, 1));
    return c;
}

std::streamsize PrintableStreambuf::xsputn(const char* text, std::streamsize count) {
    write(std::string_view(text, std::size_t(count)));
    return count;
}

int PrintableStreambuf::sync() {
    return target_->pubsync();
}

PrintableConsole::PrintableConsole() : out_(std::cout.rdbuf()), err_(std::cerr.rdbuf()) {
    std::cout.rdbuf(&out_);
    std::cerr.rdbuf(&err_);
}

PrintableConsole::~PrintableConsole() {
    std::cout.flush();
    std::cerr.flush();
    std::cout.rdbuf(out_.target());
    std::cerr.rdbuf(err_.target());
}

}  // namespace ue
