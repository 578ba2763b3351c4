#pragma once
// Relevance search over the in-memory menu: name, category, tags and description, with prefix
// matching ("biry") and one typo forgiven ("biryni"). The menu of one restaurant is small, so an
// in-memory index beats a database round trip and behaves the same on SQLite and PostgreSQL.
#include <string>
#include <string_view>
#include <vector>

#include "modules/menu/model.hpp"

namespace tiptop::menu {

std::vector<std::string> tokenize(std::string_view text);
// Optimal string alignment distance, capped: returns cap + 1 as soon as it is exceeded.
int edit_distance(std::string_view a, std::string_view b, int cap);

class SearchIndex {
 public:
  explicit SearchIndex(const std::vector<const MenuItem*>& items);
  struct Hit {
    const MenuItem* item;
    double score;
  };
  // Every query word must match some word of the item (exactly, as a prefix, or within one edit).
  std::vector<Hit> search(std::string_view query, std::size_t limit) const;

 private:
  struct Entry {
    const MenuItem* item;
    std::vector<std::pair<std::string, double>> words;  // word, field weight
  };
  std::vector<Entry> entries_;
};

}  // namespace tiptop::menu
