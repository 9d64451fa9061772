#include "data/ImageHeader.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ue {
namespace {

using Bytes = std::vector<unsigned char>;

// Bounds-checked readers: every offset comes from the file, so none is trusted.
class Reader {
  public:
    explicit Reader(const Bytes& bytes) : b_(bytes) {}

    bool has(std::size_t offset, std::size_t count) const {
        return offset <= b_.size() && count <= b_.size() - offset;
    }
    bool startsWith(std::string_view magic, std::size_t offset = 0) const {
        return has(offset, magic.size()) &&
               std::memcmp(b_.data() + offset, magic.data(), magic.size()) == 0;
    }
    std::uint64_t be(std::size_t offset, int count) const {
        std::uint64_t value = 0;
        for (int i = 0; i < count; ++i) {
            value = (value << 8) | b_[offset + i];
        }
        return value;
    }
    std::uint64_t le(std::size_t offset, int count) const {
        std::uint64_t value = 0;
        for (int i = count - 1; i >= 0; --i) {
            value = (value << 8) | b_[offset + i];
        }
        return value;
    }
    unsigned char at(std::size_t offset) const { return b_[offset]; }
    std::size_t size() const { return b_.size(); }

  private:
    const Bytes& b_;
};

using Header = std::optional<ImageHeader>;

Header png(const Reader& r) {
    if (!r.startsWith("\x89PNG\r\n\x1a\n") || !r.startsWith("IHDR", 12) || !r.has(16, 8)) {
        return {};
    }
    return ImageHeader{"PNG", r.be(16, 4), r.be(20, 4)};
}

Header jpeg(const Reader& r) {
    if (!r.startsWith("\xff\xd8")) {
        return {};
    }
    std::size_t i = 2;
    while (r.has(i, 1) && r.at(i) == 0xff) {
        while (r.has(i, 1) && r.at(i) == 0xff) {
            ++i;  // fill bytes
        }
        if (!r.has(i, 1)) {
            return {};
        }
        const unsigned char marker = r.at(i++);
        if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
            continue;  // standalone markers carry no length
        }
        if (marker == 0xd9 || marker == 0xda || !r.has(i, 2)) {
            return {};  // end of image or start of scan before any frame header
        }
        const auto length = r.be(i, 2);
        const bool frame =
            marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (frame) {
            if (!r.has(i, 7)) {
                return {};
            }
            return ImageHeader{"JPEG", r.be(i + 5, 2), r.be(i + 3, 2)};
        }
        i += length;
    }
    return {};
}

Header gif(const Reader& r) {
    if ((!r.startsWith("GIF87a") && !r.startsWith("GIF89a")) || !r.has(6, 4)) {
        return {};
    }
    return ImageHeader{"GIF", r.le(6, 2), r.le(8, 2)};
}

Header bmp(const Reader& r) {
    if (!r.startsWith("BM") || !r.has(14, 12)) {
        return {};
    }
    if (r.le(14, 4) == 12) {  // OS/2 core header: 16-bit sizes
        return ImageHeader{"BMP", r.le(18, 2), r.le(20, 2)};
    }
    // Signed: a negative height means top-down rows.
    const auto width = static_cast<std::int32_t>(r.le(18, 4));
    const auto height = static_cast<std::int32_t>(r.le(22, 4));
    return ImageHeader{"BMP", std::uint64_t(std::llabs(width)), std::uint64_t(std::llabs(height))};
}

Header webp(const Reader& r) {
    if (!r.startsWith("RIFF") || !r.startsWith("WEBP", 8) || !r.has(12, 8)) {
        return {};
    }
    const std::size_t data = 20;
    if (r.startsWith("VP8 ", 12) && r.has(data, 10)) {
        return ImageHeader{"WebP", r.le(data + 6, 2) & 0x3fff, r.le(data + 8, 2) & 0x3fff};
    }
    if (r.startsWith("VP8L", 12) && r.has(data, 5)) {
        const auto bits = r.le(data + 1, 4);
        return ImageHeader{"WebP", (bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
    }
    if (r.startsWith("VP8X", 12) && r.has(data, 10)) {
        return ImageHeader{"WebP", r.le(data + 4, 3) + 1, r.le(data + 7, 3) + 1};
    }
    return {};
}

Header tiff(const Reader& r) {
    const bool little = r.startsWith("II");
    if (!little && !r.startsWith("MM")) {
        return {};
    }
    const auto read = [&](std::size_t offset, int count) {
        return little ? r.le(offset, count) : r.be(offset, count);
    };
    if (!r.has(2, 6)) {
        return {};
    }
    const auto version = read(2, 2);
    const bool big = version == 43;  // BigTIFF: 64-bit offsets and counts
    if (version != 42 && !big) {
        return {};
    }
    if (big && !r.has(8, 8)) {
        return {};
    }
    const std::uint64_t ifd = big ? read(8, 8) : read(4, 4);
    const int countSize = big ? 8 : 2;
    const std::size_t entrySize = big ? 20 : 12;
    if (ifd > r.size() || !r.has(std::size_t(ifd), countSize)) {
        return {};
    }
    const auto entries = read(std::size_t(ifd), countSize);
    std::uint64_t width = 0;
    std::uint64_t height = 0;
    for (std::uint64_t e = 0; e < entries; ++e) {
        const std::size_t at = std::size_t(ifd) + countSize + std::size_t(e) * entrySize;
        if (!r.has(at, entrySize)) {
            return {};
        }
        const auto tag = read(at, 2);
        const auto type = read(at + 2, 2);
        const std::size_t value = at + (big ? 12 : 8);
        // SHORT, LONG or LONG8, stored left-justified in the value field.
        const std::uint64_t number = type == 3           ? read(value, 2)
                                     : type == 4         ? read(value, 4)
                                     : type == 16 && big ? read(value, 8)
                                                         : 0;
        if (tag == 256) {
            width = number;
        } else if (tag == 257) {
            height = number;
        }
    }
    if (width == 0 || height == 0) {
        return {};
    }
    return ImageHeader{"TIFF", width, height};
}

// PNM (P1-P6), PFM (PF, Pf) and PAM (P7) keep their sizes in text.
Header netpbm(const Reader& r) {
    if (!r.has(0, 3) || r.at(0) != 'P') {
        return {};
    }
    const unsigned char kind = r.at(1);
    const bool pnm = kind >= '1' && kind <= '6';
    const bool pfm = kind == 'F' || kind == 'f';
    const bool pam = kind == '7';
    if (!pnm && !pfm && !pam) {
        return {};
    }
    // Tokens from offset 2 on, skipping whitespace and # comments.
    std::size_t i = 2;
    const auto token = [&]() {
        std::string text;
        while (r.has(i, 1)) {
            const unsigned char c = r.at(i);
            if (c == '#') {
                while (r.has(i, 1) && r.at(i) != '\n') {
                    ++i;
                }
            } else if (std::isspace(c)) {
                ++i;
            } else {
                break;
            }
        }
        while (r.has(i, 1) && !std::isspace(r.at(i)) && text.size() < 32) {
            text += char(r.at(i++));
        }
        // A token the data ends in may be cut short ("2" of "23"): not a size to trust.
        return r.has(i, 1) ? text : std::string();
    };
    const auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
        if (text.empty() || text.size() > 19 ||
            text.find_first_not_of("0123456789") != std::string::npos) {
            return {};
        }
        return std::strtoull(text.c_str(), nullptr, 10);
    };
    std::optional<std::uint64_t> width;
    std::optional<std::uint64_t> height;
    if (pam) {
        for (int tokens = 0; tokens < 64 && !(width && height); ++tokens) {
            const std::string key = token();
            if (key.empty() || key == "ENDHDR") {
                break;
            }
            if (key == "WIDTH") {
                width = number(token());
            } else if (key == "HEIGHT") {
                height = number(token());
            }
        }
    } else {
        width = number(token());
        height = number(token());
    }
    if (!width || !height) {
        return {};
    }
    return ImageHeader{pfm ? "PFM" : pam ? "PAM" : "PNM", *width, *height};
}

Header sunRaster(const Reader& r) {
    if (!r.startsWith("\x59\xa6\x6a\x95") || !r.has(4, 8)) {
        return {};
    }
    return ImageHeader{"Sun raster", r.be(4, 4), r.be(8, 4)};
}

}  // namespace

std::optional<ImageHeader> readImageHeader(const std::vector<unsigned char>& bytes) {
    const Reader r(bytes);
    for (const auto reader : {png, jpeg, gif, bmp, webp, tiff, netpbm, sunRaster}) {
        if (auto header = reader(r)) {
            return header;
        }
    }
    return {};
}

bool jpegIsTruncated(const std::vector<unsigned char>& bytes) {
    // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the last
    // FF DA is the last start of scan, and an intact file has FF D9 somewhere after it.
    std::size_t lastScan = 0;
    for (std::size_t i = 0; i + 1 < bytes.size(); ++i) {
        if (bytes[i] == 0xff && bytes[i + 1] == 0xda) {
            lastScan = i;
        }
    }
    if (lastScan == 0) {
        return false;  // no scan at all: the decoder reports that itself
    }
    for (std::size_t i = lastScan + 2; i + 1 < bytes.size(); ++i) {
        if (bytes[i] == 0xff && bytes[i + 1] == 0xd9) {
            return false;
        }
    }
    return true;
}

}  // namespace ue
