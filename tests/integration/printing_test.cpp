// Issue 22's print queue on both engines: accepting an order queues the kitchen's ticket and (for
// a delivery) the customer's bill; agents claim with a lease, a lease that runs out hands the job
// to the next agent (REPRINT only if it had reached the paper); the real `tiptop print-agent`
// prints to a file and is killed mid-run, and every job still reaches the paper.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "modules/printing/ticket.hpp"
#include "support/order_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;
namespace bj = boost::json;

namespace {

class Printing : public OrderFixture {
 protected:
  Environment env() override { return {{"PRINT_LEASE_MS", "1500"}}; }
  void TearDown() override {
    for (auto pid : agents_) kill(pid, SIGKILL), waitpid(pid, nullptr, 0);
    if (!device_.empty()) std::filesystem::remove(device_);
  }

  struct Registered {
    std::string id, token;
  };
  Registered printer(const std::string& name, const std::string& jobs = R"(["kitchen","bill"])", int width = 58) {
    auto r = call("POST", "/api/v1/admin/printers", admin_,
                  R"({"name":")" + name + R"(","paperWidth":)" + std::to_string(width) + R"(,"jobs":)" + jobs + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return {str(r.json().at("data").at("_id")), str(r.json().at("data").at("token"))};
  }
  HttpResult agent_call(const std::string& token, const std::string& path) {
    return HttpClient(app_->port())
        .request("POST", "/api/v1/print-agent" + path, "{}",
                 {{"Content-Type", "application/json"}, {"X-Printer-Token", token}});
  }
  // Asha's order, accepted by the kitchen (→ confirmed).
  std::string accepted_order(const std::string& type = "delivery") {
    auto body = order_body();
    if (type == "takeaway") body = body.replace(body.find("\"deliveryAddress\""), 0, R"("orderType":"takeaway",)");
    auto placed = call("POST", "/api/v1/orders", asha_, body);
    EXPECT_EQ(placed.status, 201) << placed.body;
    const auto id = str(placed.json().at("data").at("_id"));
    EXPECT_EQ(call("PUT", "/api/v1/admin/orders/" + id, admin_, R"({"status":"confirmed"})").status, 200);
    return id;
  }
  bj::array jobs(const std::string& query = "") {
    return call("GET", "/api/v1/admin/print-jobs?limit=100" + query, admin_).json().at("data").as_array();
  }
  pid_t start_agent(const std::string& token) {
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string server = "http://127.0.0.1:" + std::to_string(app_->port());
      const std::string token_env = "PRINTER_TOKEN=" + token;
      char* envp[] = {const_cast<char*>(token_env.c_str()), const_cast<char*>("LOG_LEVEL=warn"), nullptr};
      char* argv[] = {
          const_cast<char*>(TIPTOP_BINARY),  const_cast<char*>("print-agent"), const_cast<char*>("--server"),
          const_cast<char*>(server.c_str()), const_cast<char*>("--device"),    const_cast<char*>(device_.c_str()),
          const_cast<char*>("--poll-ms"),    const_cast<char*>("300"),         nullptr};
      execve(TIPTOP_BINARY, argv, envp);
      _exit(127);
    }
    agents_.push_back(pid);
    return pid;
  }
  void kill_agent(pid_t pid) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    agents_.erase(std::find(agents_.begin(), agents_.end(), pid));
  }
  std::string device_contents() {
    std::ifstream in(device_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::vector<pid_t> agents_;
  std::string device_;
};

}  // namespace

TEST_P(Printing, AcceptingQueuesTheTicketAndTheBillAndALapsedLeaseGoesToTheNextAgent) {
  // Without a printer for a kind, nothing of that kind is queued (a printer added next month must
  // not print today's orders).
  accepted_order();
  EXPECT_TRUE(jobs().empty());
  const auto counter = printer("Counter");
  const auto kitchen = printer("Kitchen", R"(["kitchen"])", 80);
  const auto order = accepted_order();
  const auto takeaway = accepted_order("takeaway");
  EXPECT_EQ(jobs("&orderId=" + order).size(), 2u);     // the kitchen's ticket and the customer's bill
  EXPECT_EQ(jobs("&orderId=" + takeaway).size(), 1u);  // a takeaway has no bill to send with a rider

  // The kitchen printer claims the oldest kitchen ticket; the lease holds it from anyone else.
  auto first = agent_call(kitchen.token, "/claim");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto job = first.json().at("data").as_object();
  EXPECT_EQ(str(job.at("kind")), "kitchen");
  EXPECT_EQ(job.at("paperWidth"), bj::value(80));
  EXPECT_FALSE(job.at("reprint").as_bool());
  EXPECT_EQ(str(job.at("order").at("orderNumber")).substr(0, 4), "ORD_");
  const auto job_id = str(job.at("jobId"));
  // The counter printer gets the next one, not this one.
  auto second = agent_call(counter.token, "/claim");
  EXPECT_NE(str(second.json().at("data").at("jobId")), job_id);
  // Not written within the lease: the next claim takes it over, and as it never reached the paper,
  // its copy is not a reprint; the first agent, back too late, is told it lost it.
  std::this_thread::sleep_for(1700ms);
  std::string retaken;
  for (int i = 0; i < 5 && retaken != job_id; ++i) {
    auto again = agent_call(counter.token, "/claim");
    ASSERT_EQ(again.status, 200);
    if (again.json().at("data").is_null()) break;
    retaken = str(again.json().at("data").at("jobId"));
    if (retaken == job_id) {
      EXPECT_FALSE(again.json().at("data").at("reprint").as_bool());
    }
  }
  ASSERT_EQ(retaken, job_id);
  auto late = agent_call(kitchen.token, "/jobs/" + job_id + "/printing");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(error_code(late), "LEASE_LOST");
  // The counter printer writes it; then, if it dies before acknowledging, the next copy says REPRINT.
  ASSERT_EQ(agent_call(counter.token, "/jobs/" + job_id + "/printing").status, 200);
  std::this_thread::sleep_for(1700ms);
  bool reprinted = false;
  for (int i = 0; i < 6 && !reprinted; ++i) {
    auto c = agent_call(kitchen.token, "/claim");
    if (c.json().at("data").is_null()) break;
    if (str(c.json().at("data").at("jobId")) == job_id) reprinted = c.json().at("data").at("reprint").as_bool();
  }
  EXPECT_TRUE(reprinted);
  EXPECT_EQ(agent_call(counter.token, "/jobs/" + job_id + "/printed").status, 409);
  ASSERT_EQ(agent_call(kitchen.token, "/jobs/" + job_id + "/printing").status, 200);
  ASSERT_EQ(agent_call(kitchen.token, "/jobs/" + job_id + "/printed").status, 200);
  EXPECT_EQ(agent_call(kitchen.token, "/jobs/" + job_id + "/printed").status, 200);  // said twice: still fine
  auto printed = jobs("&state=printed");
  ASSERT_EQ(printed.size(), 1u);
  EXPECT_EQ(str(printed[0].at("printerId")), kitchen.id);
  EXPECT_EQ(printed[0].at("attempts"), bj::value(3));  // the kitchen, the counter, the kitchen again

  // Bad tokens and a switched-off printer are refused; a staff member sees the queue and printers,
  // may ask for a reprint, but registers no printer.
  EXPECT_EQ(agent_call("prt_not-a-token", "/claim").status, 401);
  EXPECT_EQ(agent_call("", "/claim").status, 401);
  ASSERT_EQ(call("PUT", "/api/v1/admin/printers/" + counter.id, admin_, R"({"isActive":false})").status, 200);
  EXPECT_EQ(agent_call(counter.token, "/claim").status, 403);
  const auto staff = staff_member();
  EXPECT_EQ(call("GET", "/api/v1/admin/printers", staff).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/admin/printers", staff, R"({"name":"X","paperWidth":58,"jobs":["bill"]})").status,
            403);
  auto again = call("POST", "/api/v1/admin/print-jobs/" + job_id + "/reprint", staff);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_TRUE(again.json().at("data").at("reprint").as_bool());
  EXPECT_EQ(str(again.json().at("data").at("reprintOf")), job_id);
  for (auto [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"name":"A","paperWidth":70,"jobs":["bill"]})", "paperWidth"},
           {R"({"name":"A","paperWidth":58,"jobs":["fax"]})", "jobs[0]"},
           {R"({"name":"A","paperWidth":58,"jobs":[]})", "jobs"},
           {R"({"paperWidth":58,"jobs":["bill"]})", "name"}}) {
    auto r = call("POST", "/api/v1/admin/printers", admin_, body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(first_field(r), field) << r.body;
  }
  EXPECT_EQ(call("GET", "/api/v1/admin/printers", admin_).json().at("data").as_array().size(), 2u);
}

TEST_P(Printing, TheAgentPrintsEveryJobToTheDeviceEvenWhenKilledMidRun) {
  device_ = (std::filesystem::temp_directory_path() /
             ("tiptop-printer-" + std::to_string(getpid()) + "-" + engine_name(GetParam())))
                .string();
  std::filesystem::remove(device_);
  const auto counter = printer("Counter");
  auto agent = start_agent(counter.token);
  std::vector<std::string> orders;
  for (int i = 0; i < 4; ++i) orders.push_back(accepted_order());
  // Killed while it works, twice, and started again: the queue still empties.
  std::this_thread::sleep_for(300ms);
  kill_agent(agent);
  for (int i = 0; i < 4; ++i) orders.push_back(accepted_order(i % 2 ? "takeaway" : "delivery"));
  agent = start_agent(counter.token);
  std::this_thread::sleep_for(150ms);
  kill_agent(agent);
  agent = start_agent(counter.token);
  const auto total = jobs().size();
  EXPECT_EQ(total, 14u);  // 6 deliveries × 2 + 2 takeaways × 1
  bool done = false;
  for (int i = 0; i < 300 && !done; ++i) {
    done = jobs("&state=printed").size() == total;
    if (!done) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(done) << call("GET", "/api/v1/admin/print-jobs?limit=100", admin_).body;
  // Online while its agent runs.
  EXPECT_TRUE(call("GET", "/api/v1/admin/printers", admin_).json().at("data").at(0).at("online").as_bool());

  // Every job is on paper; a job printed more than once says REPRINT on every copy after the first.
  const auto paper = device_contents();
  const std::string cut{0x1b, 'd', 3, 0x1d, 'V', 66, 0};
  std::map<std::string, std::vector<bool>> copies;  // "ORD_… kitchen|bill" → reprint flag of each copy
  for (std::size_t at = 0; at < paper.size();) {
    auto end = paper.find(cut, at);
    ASSERT_NE(end, std::string::npos) << "a ticket without its cut at the end of the paper";
    const auto text = printing::escpos_as_text(paper.substr(at, end + cut.size() - at));
    const auto number = text.substr(text.find("ORD_"), 14);
    copies[number + (text.find("KITCHEN") != std::string::npos ? " kitchen" : " bill")].push_back(
        text.find("*** REPRINT ***") != std::string::npos);
    at = end + cut.size();
  }
  EXPECT_EQ(copies.size(), total);
  for (const auto& [ticket, flags] : copies)
    for (std::size_t i = 1; i < flags.size(); ++i) EXPECT_TRUE(flags[i]) << ticket << " printed again without REPRINT";
}

INSTANTIATE_TEST_SUITE_P(Engines, Printing, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
