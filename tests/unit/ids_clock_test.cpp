#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "core/ids.hpp"

using namespace tiptop;

TEST(Ids, ObjectIdFormat) {
  const auto id = ids::new_object_id();
  EXPECT_EQ(id.size(), 24u);
  EXPECT_TRUE(ids::is_object_id(id));
  // The first four bytes are the creation time in seconds, as in MongoDB.
  const auto secs = std::stoul(id.substr(0, 8), nullptr, 16);
  EXPECT_NEAR(static_cast<double>(secs), static_cast<double>(clock::now_ms() / 1000), 5.0);
  EXPECT_TRUE(ids::is_object_id("507f1f77bcf86cd799439011"));
  EXPECT_FALSE(ids::is_object_id("507f1f77bcf86cd79943901"));
  EXPECT_FALSE(ids::is_object_id("507f1f77bcf86cd79943901g"));
  EXPECT_FALSE(ids::is_object_id(""));
}

TEST(Ids, UniqueUnderConcurrency) {
  std::set<std::string> all;
  std::mutex m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 20000; ++i) mine.push_back(ids::new_object_id());
      std::lock_guard lock(m);
      all.insert(mine.begin(), mine.end());
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(all.size(), 160000u);
}

TEST(Clock, Iso8601RoundTrip) {
  EXPECT_EQ(clock::to_iso8601(1733394600000), "2024-12-05T10:30:00.000Z");
  EXPECT_EQ(clock::to_iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(clock::from_iso8601("2024-12-05T10:30:00Z"), 1733394600000);
  EXPECT_EQ(clock::from_iso8601("2024-12-05T10:30:00.123Z"), 1733394600123);
  EXPECT_EQ(clock::from_iso8601("2024-12-05T16:00:00+05:30"), 1733394600000);
  EXPECT_EQ(clock::from_iso8601("2024-12-05"), 1733356800000);
  EXPECT_EQ(clock::from_iso8601("2024-02-29T00:00:00Z"), 1709164800000);
  const auto now = clock::now_ms();
  EXPECT_EQ(clock::from_iso8601(clock::to_iso8601(now)), now);
}

TEST(Clock, RejectsAmbiguousOrInvalid) {
  for (auto bad : {"2024-12-05T10:30:00", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-12-05T25:00:00Z",
                   "yesterday", "2024-12-05T10:30:00.Z", "2024-12-05T10:30:00Zjunk", ""})
    EXPECT_FALSE(clock::from_iso8601(bad)) << bad;
}
