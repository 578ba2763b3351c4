#pragma once
// Kitchen tickets and customer bills as ESC/POS bytes for 58 mm (32 columns) and 80 mm (48 columns)
// thermal printers (Epson's command set, which the common Indian counter printers follow). Pure:
// the print agent renders what the server's job says, so the same job always prints the same bytes.
#include <boost/json/object.hpp>
#include <string>

namespace tiptop::printing {

// job: the server's print job as the agent receives it (PrintService::claim, to_agent_json):
// {kind: kitchen|bill, reprint, paperWidth: 58|80, order: {...}, restaurant: {...}}.
// tracking_url: the bill's QR code (the order's tracking link), empty for none.
std::string render_ticket(const boost::json::object& job, const std::string& tracking_url);

// The bytes as a person reads them: text as printed, commands as [tags] ([big], [b], [cut], [qr …]).
// For logs, tests' failure messages and the documentation.
std::string escpos_as_text(const std::string& bytes);

// Columns of text in the printer's normal font.
int columns_for(int paper_width_mm);

}  // namespace tiptop::printing
