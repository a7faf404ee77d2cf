#include "common/error.h"

namespace rd {

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InvalidArgument:
        return "invalid argument";
    case ErrorKind::NotFound:
        return "not found";
    case ErrorKind::Io:
        return "i/o error";
    case ErrorKind::Format:
        return "format error";
    case ErrorKind::Unsupported:
        return "unsupported";
    case ErrorKind::Database:
        return "database error";
    case ErrorKind::Cancelled:
        return "cancelled";
    case ErrorKind::Internal:
        return "internal error";
    }
    return "error";
}

Error::Error(ErrorKind kind, const std::string& message)
    : std::runtime_error(message), m_kind(kind) {}

} // namespace rd
