#pragma once
#include <stdexcept>
#include <string>

namespace ue {

// Every failure core reports carries a message meant for the user: it names the file or field
// and says what was expected.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The model file or its meta cannot be used.
class ModelError : public Error {
  public:
    using Error::Error;
};

// One image cannot be decoded or converted; a run reports it and goes on.
class ImageError : public Error {
  public:
    using Error::Error;
};

// Writing an output file failed; the previous file at the target path is untouched.
class IoError : public Error {
  public:
    using Error::Error;
};

}  // namespace ue
