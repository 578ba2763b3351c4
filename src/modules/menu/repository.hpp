#pragma once
#include "modules/menu/model.hpp"
#include "store/database.hpp"

namespace tiptop::menu {

std::int64_t count_items(store::Connection& c);
void insert_item(store::Connection& c, const MenuItem& item);

}  // namespace tiptop::menu
