#include "model/kv_cache.h"

#include <torch/torch.h>

namespace rd::model {

KvCache KvCache::expandedTo(int64_t batch) const {
    KvCache out(static_cast<int>(keys.size()));
    for (size_t i = 0; i < keys.size(); ++i) {
        if (!keys[i].defined())
            continue;
        // expand() shares storage; the next forward's cat() materialises per-sequence copies.
        out.keys[i] = keys[i].expand({batch, -1, -1, -1});
        out.values[i] = values[i].expand({batch, -1, -1, -1});
    }
    return out;
}

} // namespace rd::model
