#pragma once
#include "app/context.hpp"

namespace tiptop::health {

// GET /health (spec §10.4 fields plus database) and GET /ready (503 while the database is down).
void register_routes(app::Context& ctx);

}  // namespace tiptop::health
