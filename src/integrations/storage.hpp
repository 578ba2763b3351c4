#pragma once
// Where uploaded files go. Local: a directory served at /uploads/<name> (the default). S3: any
// S3-compatible store, requests signed with AWS SigV4 by libcurl. put() blocks: call on a worker.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"

namespace tiptop::integrations {

class ObjectStorage {
 public:
  virtual ~ObjectStorage() = default;
  // Stores bytes under name (a server-chosen random name) and returns the public URL.
  virtual std::string put(const std::string& name, std::string_view bytes, const std::string& content_type) = 0;
};

class LocalStorage final : public ObjectStorage {
 public:
  explicit LocalStorage(std::string directory);
  std::string put(const std::string& name, std::string_view bytes, const std::string& content_type) override;
  // The stored file for a request path name, or nullopt (unknown, or not a name we could have made).
  std::optional<std::string> read(const std::string& name) const;

 private:
  std::string dir_;
};

struct S3Settings {
  std::string access_key_id, secret_access_key, region, bucket;
  std::string endpoint;    // empty: AWS itself; otherwise an S3-compatible server (path-style URLs)
  std::string public_url;  // base for returned URLs; default: the object's own URL
};

class S3Storage final : public ObjectStorage {
 public:
  explicit S3Storage(S3Settings s);
  std::string put(const std::string& name, std::string_view bytes, const std::string& content_type) override;

 private:
  std::string object_url(const std::string& name) const;
  S3Settings s_;
};

// Names we generate: 32 hex characters, a dash, a width and ".webp". Anything else is refused on
// read, which also shuts the door on path traversal.
bool is_stored_name(std::string_view name);

std::unique_ptr<ObjectStorage> make_storage(const Config& config);

}  // namespace tiptop::integrations
