#include "integrations/storage.hpp"

#include <curl/curl.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/errors.hpp"

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

S3Storage::S3Storage(S3Settings s) : s_(std::move(s)) {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!ok) throw std::runtime_error("libcurl failed to initialise");
}

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
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw ExternalServiceError("Storage", "could not create an HTTP client");
  const auto url = object_url(name);
  const std::string sigv4 = "aws:amz:" + s_.region + ":s3";
  const std::string userpwd = s_.access_key_id + ":" + s_.secret_access_key;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
  // S3 wants the payload hash; curl signs whatever x-amz-content-sha256 we send.
  headers = curl_slist_append(headers, ("x-amz-content-sha256: " + crypto::sha256_hex(bytes)).c_str());
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers, &curl_slist_free_all);
  std::string response;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "PUT");
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, bytes.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_USERPWD, userpwd.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char* p, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(p, size * n);
    return size * n;
  });
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &response);
  const CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK) throw ExternalServiceError("Storage", curl_easy_strerror(rc));
  if (status < 200 || status >= 300) throw ExternalServiceError("Storage", "upload refused with HTTP " + std::to_string(status));
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
