#include "modules/web/static_site.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/log.hpp"

namespace tiptop::web {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxFile = 8 * 1024 * 1024, kMaxTotal = 64 * 1024 * 1024;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string content_type_of(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {{".html", "text/html; charset=utf-8"},
                                                                         {".js", "text/javascript; charset=utf-8"},
                                                                         {".css", "text/css; charset=utf-8"},
                                                                         {".json", "application/json"},
                                                                         {".map", "application/json"},
                                                                         {".webmanifest", "application/manifest+json"},
                                                                         {".svg", "image/svg+xml"},
                                                                         {".png", "image/png"},
                                                                         {".webp", "image/webp"},
                                                                         {".ico", "image/x-icon"},
                                                                         {".woff2", "font/woff2"},
                                                                         {".txt", "text/plain; charset=utf-8"}};
  for (const auto& [ext, type] : kTypes)
    if (name.ends_with(ext)) return std::string(type);
  return "application/octet-stream";
}

// Whether the client takes this coding ("br", "gzip"), not refused with q=0.
bool accepts(std::string_view header, std::string_view coding) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto semi = item.find(';');
    auto name = item.substr(0, semi);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name != coding) continue;
    if (semi == std::string_view::npos) return true;
    auto params = item.substr(semi + 1);
    const auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    const std::string value(params.substr(q + 2, params.find_first_not_of("0123456789.", q + 2) - (q + 2)));
    return std::strtod(value.c_str(), nullptr) > 0;
  }
  return false;
}

}  // namespace

StaticSite::StaticSite(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || dir == "none") {
    log::info("web apps off (WEB_DIR=none); the API runs");
    return;
  }
  if (!fs::is_directory(dir, ec)) {
    log::warn("no web apps to serve: WEB_DIR is not a folder (scripts/run.sh builds them); the API runs",
              {{"webDir", dir}});
    return;
  }
  std::uintmax_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto rel = fs::relative(it->path(), dir).generic_string();
    if (rel.ends_with(".gz") || rel.ends_with(".br")) continue;  // attached to their original below
    const auto bytes = it->file_size();
    if (bytes > kMaxFile || total + bytes > kMaxTotal) {
      log::warn("web file too large to serve, skipped", {{"file", rel}});
      continue;
    }
    File f;
    f.body = std::make_shared<const std::string>(read_all(it->path()));
    for (auto [suffix, target] : {std::pair{".gz", &f.gzip}, std::pair{".br", &f.brotli}})
      if (fs::path z = it->path().string() + suffix; fs::is_regular_file(z, ec)) {
        *target = std::make_shared<const std::string>(read_all(z));
        total += (*target)->size();
      }
    total += bytes;
    f.content_type = content_type_of(rel);
    f.immutable = rel.find("assets/") != std::string::npos;
    f.page = rel.ends_with("index.html");
    files_.emplace(rel, std::move(f));
  }
  log::info("web apps loaded", {{"webDir", dir}, {"files", static_cast<std::int64_t>(files_.size())}});
}

std::optional<Served> StaticSite::find(std::string_view url_path, std::string_view accept_encoding) const {
  if (files_.empty() || !url_path.starts_with('/')) return std::nullopt;
  auto rel = url_path.substr(1);
  if (rel.find("..") != std::string_view::npos || rel.find("//") != std::string_view::npos ||
      rel.find('\0') != std::string_view::npos)
    return std::nullopt;
  const File* file = nullptr;
  std::string wanted(rel);
  if (wanted.empty() || wanted.back() == '/') wanted += "index.html";
  if (auto it = files_.find(wanted); it != files_.end()) file = &it->second;
  // A deep link (no file name): the index.html of the deepest app folder above it, else the shop's.
  const auto last = rel.substr(rel.rfind('/') == std::string_view::npos ? 0 : rel.rfind('/') + 1);
  if (!file && last.find('.') == std::string_view::npos) {
    for (auto folder = std::string(rel);;) {  // "console/orders/42", "console/orders", "console", ""
      while (!folder.empty() && folder.back() == '/') folder.pop_back();
      if (auto it = files_.find(folder.empty() ? "index.html" : folder + "/index.html"); it != files_.end()) {
        file = &it->second;
        break;
      }
      if (folder.empty()) break;
      const auto slash = folder.rfind('/');
      folder = slash == std::string::npos ? std::string() : folder.substr(0, slash);
    }
  }
  if (!file) return std::nullopt;
  if (file->brotli && accepts(accept_encoding, "br")) return Served{file, file->brotli, "br"};
  if (file->gzip && accepts(accept_encoding, "gzip")) return Served{file, file->gzip, "gzip"};
  return Served{file, file->body, {}};
}

}  // namespace tiptop::web
