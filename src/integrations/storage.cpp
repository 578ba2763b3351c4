#include "integrations/storage.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "integrations/http_client.hpp"

namespace tiptop::integrations {

bool is_stored_name(std::string_view name) {
  if (name.size() < 39 || name.size() > 48 || !name.ends_with(".webp") || name[32] != '-') return false;
  for (std::size_t i = 0; i < 32; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  for (std::size_t i = 33; i < name.size() - 5; ++i)
    if (!std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

LocalStorage::LocalStorage(std::string directory) : dir_(std::move(directory)) {
  std::filesystem::create_directories(dir_);
}

std::string LocalStorage::put(const std::string& name, std::string_view bytes, const std::string&) {
  if (!is_stored_name(name)) throw std::invalid_argument("refusing to store under a name we did not make");
  // Write then rename: a reader never sees half a file.
  const auto final_path = std::filesystem::path(dir_) / name;
  const auto tmp = final_path.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("could not write upload");
  }
  std::filesystem::rename(tmp, final_path);
  return "/uploads/" + name;
}

std::optional<std::string> LocalStorage::read(const std::string& name) const {
  if (!is_stored_name(name)) return std::nullopt;
  std::ifstream in(std::filesystem::path(dir_) / name, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

S3Storage::S3Storage(S3Settings s) : s_(std::move(s)) { ensure_curl(); }

std::string S3Storage::object_url(const std::string& name) const {
  if (!s_.endpoint.empty()) {
    auto base = s_.endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + s_.bucket + "/" + name;
  }
  return "https://" + s_.bucket + ".s3." + s_.region + ".amazonaws.com/" + name;
}

std::string S3Storage::put(const std::string& name, std::string_view bytes, const std::string& content_type) {
  if (!is_stored_name(name)) throw std::invalid_argument("refusing to store under a name we did not make");
  HttpCall call{.method = "PUT",
                .url = object_url(name),
                .headers = {"Content-Type: " + content_type,
                            // S3 wants the payload hash; curl signs whatever x-amz-content-sha256 we send.
                            "x-amz-content-sha256: " + crypto::sha256_hex(bytes)},
                .body = std::string(bytes),
                .userpwd = s_.access_key_id + ":" + s_.secret_access_key,
                .aws_sigv4 = "aws:amz:" + s_.region + ":s3",
                .timeout = std::chrono::seconds(30)};
  HttpReply reply;
  try {
    reply = http_send(call);
  } catch (const TransportError& e) {
    throw ExternalServiceError("Storage", e.what());
  }
  if (reply.status < 200 || reply.status >= 300)
    throw ExternalServiceError("Storage", "upload refused with HTTP " + std::to_string(reply.status));
  const auto& url = call.url;
  if (!s_.public_url.empty()) {
    auto base = s_.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/" + name;
  }
  return url;
}

std::unique_ptr<ObjectStorage> make_storage(const Config& c) {
  if (!c.aws_s3_bucket.empty())
    return std::make_unique<S3Storage>(S3Settings{c.aws_access_key_id, c.aws_secret_access_key, c.aws_region,
                                                  c.aws_s3_bucket, c.aws_s3_endpoint, c.aws_s3_public_url});
  return std::make_unique<LocalStorage>(c.upload_dir);
}

}  // namespace tiptop::integrations
