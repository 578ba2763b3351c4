#pragma once
#include "http/pipeline.hpp"
#include "modules/web/static_site.hpp"

namespace tiptop::web {

// Serves the web apps' files for GET/HEAD requests no API route answers (Pipeline::set_fallback).
void install(http::Pipeline& pipeline, const StaticSite& site);

}  // namespace tiptop::web
