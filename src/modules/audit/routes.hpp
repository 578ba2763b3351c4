#pragma once
#include "http/router.hpp"
#include "store/database.hpp"

namespace tiptop::audit {

// GET /api/v1/admin/audit: the audit log, newest first (admin; paginated; action, actorId,
// subjectId, from, to).
void register_routes(http::Router& router, store::Database& db);

}  // namespace tiptop::audit
