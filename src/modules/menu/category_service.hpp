#pragma once
// Menu categories for admins (issue 22): list with item counts, create, change (a rename carries
// the items' category.main along), put in order, delete an empty one. Each write rebuilds the
// menu's snapshot like an item's does, so the public menu shows it on the next read.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "modules/menu/category.hpp"
#include "modules/menu/model.hpp"
#include "modules/menu/service.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

class CategoryService {
 public:
  CategoryService(store::Database& db, MenuService& menu) : db_(db), menu_(menu) {}

  boost::asio::awaitable<boost::json::array> list();  // all, off ones too, with itemCount
  boost::asio::awaitable<Category> create(boost::json::object body);
  boost::asio::awaitable<Category> update(std::string id, boost::json::object body);
  // `ids` names every category exactly once, in the order wanted.
  boost::asio::awaitable<boost::json::array> reorder(std::vector<std::string> ids);
  boost::asio::awaitable<void> remove(std::string id);  // refused while it holds items

 private:
  store::Database& db_;
  MenuService& menu_;
};

// Points item at the category named by its category.main (any case), made at the end of the menu
// when there is none yet — so the spec's item routes, which name categories by text, keep working.
// In the caller's transaction.
void file_under_category(store::Connection& c, MenuItem& item, clock::Millis now);

}  // namespace tiptop::menu
