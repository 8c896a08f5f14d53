#pragma once
// The exception hierarchy caught once in each main and mapped to an exit code.
#include <stdexcept>
#include <string>

namespace natfw {

/// Base of every error natfw reports to a user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A bad command-line value or a bad query (time, address, port): exit status 2.
class UsageError : public Error {
public:
    using Error::Error;
};

/// The index is missing, unreadable or of an unknown schema: natfw-trace exit status 4.
class IndexUnavailable : public Error {
public:
    using Error::Error;
};

/// A file that cannot be read; carries the path in its message.
class FileError : public Error {
public:
    using Error::Error;
};

} // namespace natfw

namespace natfw {

/// Another process held a lock for longer than we were willing to wait.
class LockTimeout : public Error {
public:
    using Error::Error;
};

} // namespace natfw
