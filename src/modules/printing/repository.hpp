#pragma once
// The printers and print_jobs tables (migration 0020).
#include <optional>
#include <string>
#include <vector>

#include "modules/printing/model.hpp"
#include "store/database.hpp"

namespace tiptop::printing {

void insert_printer(store::Connection& c, const Printer& p, const std::string& token_hash);
void update_printer(store::Connection& c, const Printer& p);
std::vector<Printer> list_printers(store::Connection& c);
std::optional<Printer> find_printer(store::Connection& c, const std::string& id);
std::optional<Printer> printer_by_token_hash(store::Connection& c, const std::string& token_hash);
// The agent called: it is online (written at most every few seconds, see PrintService).
void touch_printer(store::Connection& c, const std::string& id, clock::Millis at);
// Whether any active printer prints this kind of job.
bool any_printer_for(store::Connection& c, const std::string& kind);

void insert_job(store::Connection& c, const PrintJob& j);
std::optional<PrintJob> find_job(store::Connection& c, const std::string& id);
// The oldest job of the printer's kinds that is queued, or held under a lease that ran out: now
// the printer's until `lease_until`. PostgreSQL skips rows another agent is claiming.
std::optional<PrintJob> claim_next(store::Connection& c, const Printer& p, clock::Millis now,
                                   clock::Millis lease_until);
// The holder is about to write it to paper; false if the job is no longer theirs to print.
bool mark_printing(store::Connection& c, const std::string& job_id, const std::string& printer_id, clock::Millis now,
                   clock::Millis lease_until);
// On paper; false if another agent has claimed it since (it then prints a REPRINT copy).
bool mark_printed(store::Connection& c, const std::string& job_id, const std::string& printer_id, clock::Millis now);

struct JobFilter {
  std::string state, kind, order_id, printer_id;
};
std::vector<PrintJob> list_jobs(store::Connection& c, const JobFilter& f, std::int64_t offset, std::int64_t limit);
std::int64_t count_jobs(store::Connection& c, const JobFilter& f);

}  // namespace tiptop::printing
