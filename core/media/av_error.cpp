#include "media/av_error.h"

extern "C" {
#include <libavutil/error.h>
}

namespace rd::media {

std::string averrorText(int code) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buffer, sizeof buffer);
    return buffer;
}

} // namespace rd::media
