// The Database interface on both engines: a real SQLite file and a real PostgreSQL server.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <future>
#include <thread>

#include "store/group_commit.hpp"
#include "store/migrations.hpp"
#include "support/test_env.hpp"

using namespace tiptop;
using namespace tiptop::testing;

namespace {

class Store : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    tdb_ = std::make_unique<TestDatabase>(GetParam());
    db_ = store::open_database(tdb_->url(), 4, "FULL");
    auto create = [](store::Connection& c) {
      c.execute_script(
          "CREATE TABLE kv (k TEXT PRIMARY KEY, n BIGINT NOT NULL, d DOUBLE PRECISION, t TEXT, b BOOLEAN)");
    };
    db_->read_sync(create);
  }
  template <class T>
  T run(boost::asio::awaitable<T> a) {
    boost::asio::io_context ioc;
    auto f = boost::asio::co_spawn(ioc, std::move(a), boost::asio::use_future);
    ioc.run();
    return f.get();
  }
  std::unique_ptr<TestDatabase> tdb_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace

TEST_P(Store, MigrationsApplyOnceAndAreRecorded) {
  EXPECT_GE(store::migrate(*db_), 1);
  EXPECT_EQ(store::migrate(*db_), 0);
  auto count = [](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM schema_migrations").rows.at(0).integer("n");
  };
  EXPECT_EQ(db_->read_sync(count), static_cast<std::int64_t>(store::embedded_migrations(db_->engine()).size()));
}

TEST_P(Store, ValuesRoundTripThroughParameters) {
  auto roundtrip = [](store::Connection& c) {
    c.execute("INSERT INTO kv (k, n, d, t, b) VALUES (?, ?, ?, ?, ?)",
              {std::string("a'?\"--"), std::int64_t{9007199254740993}, 2.5, store::Null{}, true});
    return c.query("SELECT k, n, d, t, b FROM kv WHERE k = ?", {std::string("a'?\"--")});
  };
  auto rs = db_->read_sync(roundtrip);
  ASSERT_EQ(rs.rows.size(), 1u);
  const auto& row = rs.rows[0];
  EXPECT_EQ(row.text("k"), "a'?\"--");
  EXPECT_EQ(row.integer("n"), 9007199254740993);  // beyond double precision: stays exact
  EXPECT_DOUBLE_EQ(row.real("d"), 2.5);
  EXPECT_TRUE(row.is_null("t"));
  EXPECT_TRUE(row.boolean("b"));
}

TEST_P(Store, TransactionRollsBackOnException) {
  auto failing = [](store::Connection& c) {
    c.execute("INSERT INTO kv (k, n) VALUES ('x', 1)");
    throw ValidationError("stop");
  };
  EXPECT_THROW(db_->transaction_sync(failing), ValidationError);
  auto count = [](store::Connection& c) { return c.query("SELECT COUNT(*) AS n FROM kv").rows[0].integer("n"); };
  EXPECT_EQ(db_->read_sync(count), 0);
}

TEST_P(Store, UniqueViolationNamesTheColumn) {
  auto twice = [](store::Connection& c) {
    c.execute("INSERT INTO kv (k, n) VALUES ('dup', 1)");
    c.execute("INSERT INTO kv (k, n) VALUES ('dup', 2)");
  };
  try {
    db_->transaction_sync(twice);
    FAIL() << "no exception";
  } catch (const store::UniqueViolation& e) {
    EXPECT_EQ(e.column, "k");
    EXPECT_EQ(e.status(), 409);
    EXPECT_EQ(e.code(), "DUPLICATE_ENTRY");
  }
}

TEST_P(Store, SqlErrorsBecomeDatabaseErrors) {
  auto bad = [](store::Connection& c) { c.query("SELECT nope FROM nowhere"); };
  EXPECT_THROW(db_->read_sync(bad), DatabaseError);
}

TEST_P(Store, ConcurrentWriteTransactionsLoseNothing) {
  auto seed = [](store::Connection& c) { c.execute("INSERT INTO kv (k, n) VALUES ('counter', 0)"); };
  db_->transaction_sync(seed);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        // Read-modify-write: only correct if the transaction holds the row (PostgreSQL) or the
        // database write lock (SQLite's BEGIN IMMEDIATE) from its start.
        auto bump_portable = [](store::Connection& c) {
          const std::string lock = c.engine() == store::Engine::postgres ? " FOR UPDATE" : "";
          auto n = c.query("SELECT n FROM kv WHERE k = 'counter'" + lock).rows[0].integer("n");
          c.execute("UPDATE kv SET n = ? WHERE k = 'counter'", {n + 1});
        };
        db_->transaction_sync(bump_portable);
      }
    });
  for (auto& t : threads) t.join();
  auto read = [](store::Connection& c) { return c.query("SELECT n FROM kv WHERE k = 'counter'").rows[0].integer("n"); };
  EXPECT_EQ(db_->read_sync(read), 150);
}

TEST_P(Store, AwaitedReadsRunOffTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  auto worker = run(db_->read([](store::Connection& c) {
    c.query("SELECT 1");
    return std::this_thread::get_id();
  }));
  EXPECT_NE(worker, caller);
  EXPECT_TRUE(run(db_->ping()));
}

TEST_P(Store, GroupCommitIsolatesFailingJobsAndLosesNothing) {
  store::GroupCommitter writer(*db_, GetParam() == EngineKind::postgres ? 4 : 1, 16);  // as the server runs it
  boost::asio::io_context ioc;
  int ok = 0, failed = 0;
  for (int i = 0; i < 60; ++i)
    boost::asio::co_spawn(
        ioc,
        [&, i]() -> boost::asio::awaitable<void> {
          try {
            co_await writer.run([&](store::Connection& c) {
              c.execute("INSERT INTO kv (k, n) VALUES (?, ?)", {"job" + std::to_string(i), std::int64_t{i}});
              if (i % 7 == 0) throw ValidationError("this job fails");  // rolled back alone
            });
            ++ok;
          } catch (const ValidationError&) {
            ++failed;
          }
        },
        boost::asio::detached);
  ioc.run();
  EXPECT_EQ(ok, 51);
  EXPECT_EQ(failed, 9);
  auto count = [](store::Connection& c) { return c.query("SELECT COUNT(*) AS n FROM kv").rows[0].integer("n"); };
  EXPECT_EQ(db_->read_sync(count), 51);
  auto dup = [&]() -> boost::asio::awaitable<void> {
    co_await writer.run([](store::Connection& c) { c.execute("INSERT INTO kv (k, n) VALUES ('job1', 0)"); });
  };
  auto f = boost::asio::co_spawn(ioc, dup(), boost::asio::use_future);
  ioc.restart();
  ioc.run();
  EXPECT_THROW(f.get(), store::UniqueViolation);
}

// Batches are written first without savepoints (a round trip and a subtransaction each on
// PostgreSQL); a failing job costs the rest of its batch one re-run, guarded, and no more.
TEST_P(Store, GroupCommitReRunsABatchOnceWhenAJobFails) {
  store::GroupCommitter writer(*db_, 1, 16);
  boost::asio::io_context ioc;
  auto batch_of_ten = [&](const std::string& prefix, int failing, std::vector<int>& runs, int& ok) {
    runs.assign(10, 0);
    // A first job holds the writer until the ten are queued behind it, so they form one batch.
    std::atomic<bool> holding{false};
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
          co_await writer.run([&](store::Connection&) {
            holding = true;
            for (int i = 0; i < 500 && writer.waiting() < 10; ++i)
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
          });
        },
        boost::asio::detached);
    ioc.restart();
    for (int i = 0; i < 500 && !holding; ++i) {
      ioc.poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (int i = 0; i < 10; ++i)
      boost::asio::co_spawn(
          ioc,
          [&, i]() -> boost::asio::awaitable<void> {
            try {
              co_await writer.run([&](store::Connection& c) {
                ++runs[i];
                c.execute("INSERT INTO kv (k, n) VALUES (?, ?)", {prefix + std::to_string(i), std::int64_t{i}});
                if (i == failing) throw ValidationError("this job fails");
              });
              ++ok;
            } catch (const ValidationError&) {
            }
          },
          boost::asio::detached);
    ioc.restart();
    ioc.run();
  };
  std::vector<int> runs;
  int ok = 0;
  batch_of_ten("clean", -1, runs, ok);
  EXPECT_EQ(ok, 10);
  EXPECT_EQ(runs, std::vector<int>(10, 1));  // nothing failed: each job ran once
  ok = 0;
  batch_of_ten("failing", 4, runs, ok);
  EXPECT_EQ(ok, 9);
  // Up to the failing one: once unguarded, rolled back at its failure, once more guarded. After it:
  // once, guarded.
  EXPECT_EQ(runs, (std::vector<int>{2, 2, 2, 2, 2, 1, 1, 1, 1, 1}));
  auto count = [](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM kv WHERE k LIKE 'failing%'").rows[0].integer("n");
  };
  EXPECT_EQ(db_->read_sync(count), 9);
}

TEST_P(Store, GroupCommitRunsAJobThatLostADeadlockAgain) {
  if (GetParam() != EngineKind::postgres) GTEST_SKIP() << "SQLite has one writer: batches cannot deadlock";
  auto seed = [](store::Connection& c) { c.execute("INSERT INTO kv (k, n) VALUES ('a', 0), ('b', 0)"); };
  db_->transaction_sync(seed);
  // Two writers, two batches: one job locks a then b, the other b then a, each waiting until the
  // other holds its first row. PostgreSQL breaks the deadlock by failing one; it must run again.
  store::GroupCommitter writer(*db_, 2, 16);
  std::atomic<int> first_locks{0};
  auto job = [&](const char* first, const char* second) {
    return [&, first, second](store::Connection& c) {
      c.execute(std::string("UPDATE kv SET n = n + 1 WHERE k = '") + first + "'");
      ++first_locks;
      for (int i = 0; i < 500 && first_locks.load() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      c.execute(std::string("UPDATE kv SET n = n + 10 WHERE k = '") + second + "'");
    };
  };
  auto run_on_own_thread = [&](auto work) {
    return std::async(std::launch::async, [&writer, work]() mutable {
      boost::asio::io_context ioc;
      auto done = boost::asio::co_spawn(
          ioc, [&]() -> boost::asio::awaitable<void> { co_await writer.run(work); }, boost::asio::use_future);
      ioc.run();
      done.get();  // rethrows the job's failure
    });
  };
  auto ab = run_on_own_thread(job("a", "b"));
  while (first_locks.load() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // its batch has begun
  auto ba = run_on_own_thread(job("b", "a"));
  EXPECT_NO_THROW(ab.get());
  EXPECT_NO_THROW(ba.get());
  auto sum = [](store::Connection& c) {
    return c.query("SELECT CAST(SUM(n) AS BIGINT) AS s FROM kv WHERE k IN ('a', 'b')").rows[0].integer("s");
  };
  EXPECT_EQ(db_->read_sync(sum), 22);  // both jobs, each exactly once
}

INSTANTIATE_TEST_SUITE_P(Engines, Store, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });

// Migrations 0014 and 0015 widen SQLite CHECKs by editing the stored table text. On a file whose
// text is not the one our migrations wrote, the edit finds nothing: the migration must fail and
// roll back, not leave the old CHECK in place silently.
TEST(SqliteSchemaEdits, AnEditThatFindsNoTextRollsBack) {
  TestDatabase file(EngineKind::sqlite);
  auto db = store::open_database(file.url(), 1, "FULL");
  auto hand_made = [](store::Connection& c) {
    c.execute_script(
        "CREATE TABLE users (id TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('customer','admin')))");
  };
  db->transaction_sync(hand_made);
  const store::Migration* staff = nullptr;
  for (const auto& m : store::embedded_migrations(store::Engine::sqlite))
    if (m.version == 14) staff = &m;
  ASSERT_NE(staff, nullptr);
  auto apply = [&](store::Connection& c) { c.execute_script(staff->sql); };
  try {
    db->transaction_sync(apply);
    ADD_FAILURE() << "the edit found nothing and the migration still passed";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("migration_0014_found_users_role_check"), std::string::npos) << e.what();
  }
  auto text = [](store::Connection& c) {
    return c.query("SELECT sql FROM sqlite_schema WHERE name = 'users'").rows.at(0).text("sql");
  };
  EXPECT_EQ(db->read_sync(text).find("staff"), std::string::npos);
}

// Migration 0024 rewrites every CHECK's IN list as comparisons joined by OR (SQLite builds a
// b-tree for an IN list on every write). The rules must be the same: what was refused still is.
TEST(SqliteSchemaEdits, ChecksHoldNoInListAndRefuseWhatTheyRefusedBefore) {
  TestDatabase file(EngineKind::sqlite);
  auto db = store::open_database(file.url(), 1, "FULL");
  store::migrate(*db);
  auto lists = [](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%'")
        .rows.at(0)
        .integer("n");
  };
  EXPECT_EQ(db->read_sync(lists), 0);
  auto insert_user = [](std::string role) {
    return [role](store::Connection& c) {
      c.execute(
          "INSERT INTO users (id, role, email, phone, password_hash, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, 'x', 0, 0)",
          {std::string(24, role.front()), role, role + "@tiptop.test", "98000000" + std::to_string(role.size())});
    };
  };
  auto staff = insert_user("staff");  // in the list
  auto chef = insert_user("chef");    // not in it
  db->transaction_sync(staff);
  EXPECT_THROW(db->transaction_sync(chef), std::exception);
  auto roles = [](store::Connection& c) { return c.query("SELECT role FROM users ORDER BY role").rows; };
  const auto rows = db->read_sync(roles);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows.front().text("role"), "staff");
}

// The WAL is checkpointed by a thread of the database's own, not by the committing writer
// (SQLite's automatic checkpoint is replaced). It must still happen: past 4,000 pages of WAL the
// pages reach the database file, and the WAL does not grow for ever.
TEST(SqliteWal, TheWalIsCheckpointedAfterFourThousandPages) {
  TestDatabase file(EngineKind::sqlite);
  auto db = store::open_database(file.url(), 1, "FULL");
  const std::string path = file.url().substr(std::string("sqlite://").size());
  auto create = [](store::Connection& c) { c.execute_script("CREATE TABLE blobs (b TEXT NOT NULL)"); };
  db->transaction_sync(create);
  const std::string kilobytes(64 * 1024, 'x');
  for (int i = 0; i < 300; ++i) {  // 19.2 MB in 300 commits: about 4,800 pages of 4 KB
    auto write = [&](store::Connection& c) { c.execute("INSERT INTO blobs (b) VALUES (?)", {kilobytes}); };
    db->transaction_sync(write);
  }
  std::uintmax_t size = 0;
  for (int waited = 0; waited < 100 && size < 15'000'000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    size = std::filesystem::file_size(path);
  }
  EXPECT_GE(size, 15'000'000U) << "the pages stayed in the WAL";
}

// PostgreSQL: each SQL text is prepared once per connection and reused (issue 24); a schema change
// that alters a statement's result is survived by preparing it again.
TEST_P(Store, StatementsArePreparedOnceAndSurviveASchemaChange) {
  if (GetParam() != EngineKind::postgres) GTEST_SKIP() << "SQLite's cache is inside the driver";
  auto run_twice_and_count = [](store::Connection& c) {
    c.execute("INSERT INTO kv (k, n) VALUES (?, ?)", {std::string("a"), std::int64_t{1}});
    for (int i = 0; i < 3; ++i) c.query("SELECT * FROM kv WHERE k = ?", {std::string("a")});
    const auto prepared =
        c.query("SELECT COUNT(*) AS n FROM pg_prepared_statements WHERE statement = 'SELECT * FROM kv WHERE k = $1'");
    c.execute_script("ALTER TABLE kv ADD COLUMN z TEXT DEFAULT 'new'");
    const auto after = c.query("SELECT * FROM kv WHERE k = ?", {std::string("a")});
    return std::make_pair(prepared.rows.at(0).integer("n"), after.rows.at(0).text("z"));
  };
  const auto [prepared, z] = db_->read_sync(run_twice_and_count);
  EXPECT_EQ(prepared, 1);
  EXPECT_EQ(z, "new");
}
