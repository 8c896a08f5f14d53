#pragma once
// The base of the exception hierarchy that each main catches once and maps to an
// exit status (apps/exit_status.hpp); the stages add their own kinds.
#include <stdexcept>
#include <string>

namespace natfw {

/// Base of every error natfw reports to a user.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A bad command-line value or a bad query (time, address, port): the user can fix it.
class UsageError : public Error {
public:
    using Error::Error;
};

/// A file that cannot be read; carries the path in its message.
class FileError : public Error {
public:
    using Error::Error;
};

/// Another process held a lock for longer than we were willing to wait.
class LockTimeout : public Error {
public:
    using Error::Error;
};

} // namespace natfw
