// FFmpeg error codes as text, for rd::Error messages.
#pragma once

#include <string>

namespace rd::media {

std::string averrorText(int code);

} // namespace rd::media
