#pragma once
// The web apps (ARCHITECTURE.md "Web apps"): the files esbuild wrote to WEB_DIR, read into memory
// once at start-up (a few hundred kilobytes), each with its precompressed .br/.gz beside it.
// /console/… and /rider/… are apps of their own (a folder with an index.html), / is the shop; a
// deep link without a file name falls back to its app's index.html, so the browser's router takes
// over. Hashed assets (under assets/) are immutable; pages are revalidated every time.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tiptop::web {

// Bytes shared with the responses that send them (never copied per response; issue 24).
using Bytes = std::shared_ptr<const std::string>;

struct File {
  Bytes body, gzip, brotli;  // the compressed forms may be null
  std::string content_type;
  bool immutable = false;  // a hashed asset: cached for a year
  bool page = false;       // an app's index.html: gets the pages' CSP
};

// One answer: which bytes, how they are encoded, and the file they came from.
struct Served {
  const File* file = nullptr;
  Bytes bytes;
  std::string_view encoding;  // "br", "gzip" or empty
};

class StaticSite {
 public:
  // Reads every file under dir (nothing, and a warning logged once, when it does not exist).
  explicit StaticSite(const std::string& dir);
  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }
  // The file for a URL path (or its app's index.html), in the best encoding accept_encoding allows.
  std::optional<Served> find(std::string_view url_path, std::string_view accept_encoding) const;

 private:
  std::map<std::string, File, std::less<>> files_;  // by path relative to the folder, "console/index.html"
};

// What the pages may load: only this origin (plus data: and blob: images for previews).
inline constexpr std::string_view kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace tiptop::web
