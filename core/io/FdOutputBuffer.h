#pragma once
#include <streambuf>
#include <vector>

namespace ue {

// An output stream buffer over a POSIX file descriptor, so AtomicFile can write through a file
// that has no name yet (O_TMPFILE), which std::ofstream cannot open. A failed write(2) makes
// the stream bad and keeps errno for the message.
class FdOutputBuffer : public std::streambuf {
  public:
    FdOutputBuffer();
    void attach(int fd) { fd_ = fd; }
    int error() const { return error_; }  // errno of the first failed write, or 0

  protected:
    int_type overflow(int_type c) override;
    int sync() override;

  private:
    bool drain();

    int fd_ = -1;
    int error_ = 0;
    std::vector<char> buffer_;
};

}  // namespace ue
