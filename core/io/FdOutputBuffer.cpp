#include "io/FdOutputBuffer.h"

#include <unistd.h>

#include <cerrno>

namespace ue {

FdOutputBuffer::FdOutputBuffer() : buffer_(std::size_t{1} << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
}

bool FdOutputBuffer::drain() {
    const char* next = pbase();
    while (next < pptr()) {
        const ssize_t written = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written <= 0) {
            if (error_ == 0) {
                error_ = written < 0 ? errno : EIO;
            }
            return false;
        }
        next += written;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
}

FdOutputBuffer::int_type FdOutputBuffer::overflow(int_type c) {
    if (error_ != 0 || !drain()) {
        return traits_type::eof();
    }
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
    }
    return traits_type::not_eof(c);
}

int FdOutputBuffer::sync() {
    return error_ == 0 && drain() ? 0 : -1;
}

}  // namespace ue
