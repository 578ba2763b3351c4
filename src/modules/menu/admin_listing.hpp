#pragma once
// The admins' view of the menu (issue 22): every item, sold-out, hidden (category off) and deleted
// ones too, with business figures, searched and filtered, from the snapshot.
#include <boost/json/array.hpp>
#include <string>

#include "modules/menu/catalog.hpp"

namespace tiptop::menu {

struct AdminListQuery {
  std::string q;         // in the name, any case
  std::string category;  // a category's id or name
  std::string state;     // "" (all but deleted), available, unavailable, hidden, deleted, all
  std::int64_t page = 1, limit = 50;
};

struct AdminPage {
  boost::json::array items;
  std::int64_t total = 0;
};

AdminPage admin_list(const Snapshot& s, const AdminListQuery& q);

}  // namespace tiptop::menu
