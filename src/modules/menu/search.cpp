#include "modules/menu/search.hpp"

#include <algorithm>
#include <cctype>

namespace tiptop::menu {
namespace {

constexpr double kName = 4, kCategory = 3, kTag = 2, kDescription = 1;
constexpr double kExact = 3, kPrefix = 2, kTypo = 1;

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (std::isalnum(c))
      cur += static_cast<char>(std::tolower(c));
    else if (!cur.empty())
      out.push_back(std::exchange(cur, {}));
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

int edit_distance(std::string_view a, std::string_view b, int cap) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > cap) return cap + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = cap + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > cap) return cap + 1;
  }
  // The last row may still end above the cap (found by tests/fuzz menu_search): never more than cap + 1.
  return std::min(d[n][m], cap + 1);
}

SearchIndex::SearchIndex(const std::vector<const MenuItem*>& items) {
  for (const auto* item : items) {
    Entry e{item, {}};
    auto add = [&](std::string_view text, double weight) {
      for (auto& w : tokenize(text)) e.words.emplace_back(std::move(w), weight);
    };
    add(item->name, kName);
    add(item->category_main, kCategory);
    for (const auto& s : item->category_sub) add(s, kCategory);
    for (const auto& t : item->tags) add(t, kTag);
    add(item->description, kDescription);
    entries_.push_back(std::move(e));
  }
}

std::vector<SearchIndex::Hit> SearchIndex::search(std::string_view query, std::size_t limit) const {
  const auto terms = tokenize(query);
  std::vector<Hit> hits;
  if (terms.empty()) return hits;
  for (const auto& e : entries_) {
    double total = 0;
    bool all = true;
    for (const auto& term : terms) {
      double best = 0;
      for (const auto& [word, weight] : e.words) {
        double quality = 0;
        if (word == term)
          quality = kExact;
        else if (term.size() >= 2 && word.starts_with(term))
          quality = kPrefix;
        // One typo, for words long enough that one letter is not most of the word.
        else if (term.size() >= 4 && edit_distance(term, word, 1) <= 1)
          quality = kTypo;
        best = std::max(best, quality * weight);
      }
      if (best == 0) {
        all = false;
        break;
      }
      total += best;
    }
    if (all) hits.push_back({e.item, total});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.item->total_orders > b.item->total_orders;  // ties: the more popular dish first
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace tiptop::menu
