#pragma once
#include "http/router.hpp"
#include "modules/printing/service.hpp"

namespace tiptop::printing {

// Admins register printers; staff and admins see them and the queue and ask for reprints; print
// agents (X-Printer-Token) claim, start and acknowledge jobs.
void register_routes(http::Router& router, PrintService& service);

}  // namespace tiptop::printing
