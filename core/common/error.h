// rd::Error: the one exception type the engine throws.
//
// Usage: throw rd::Error(rd::ErrorKind::Format, "manifest.jsonl:12: field 'preferred': ...");
// The message names the file, row or field at fault. The CLI maps kinds to exit codes
// (Internal -> 2, everything else -> 1: the user can fix it); the GUI shows the message.
#pragma once

#include <stdexcept>
#include <string>

namespace rd {

enum class ErrorKind {
    InvalidArgument = 1, // a wrong option, config field or value given by the user
    NotFound,            // a file, workspace, row or model that does not exist
    Io,                  // reading or writing a file failed
    Format,              // a file exists but its content is malformed
    Unsupported,         // a valid input we cannot handle (codec, schema version, ...)
    Database,            // SQLite refused an operation
    Cancelled,           // a progress callback asked to stop
    Internal,            // a bug: an invariant of ours does not hold
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message);
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

} // namespace rd
