#include "common/error.h"

namespace rd {

Error::Error(ErrorKind kind, const std::string& message)
    : std::runtime_error(message), m_kind(kind) {}

} // namespace rd
