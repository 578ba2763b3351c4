// Menu photo uploads: real images made with libvips, and the bad inputs an upload form attracts.
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <filesystem>
#include <regex>

#include "modules/auth/service.hpp"
#include "modules/media/images.hpp"
#include "modules/menu/seed.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

std::string encode(int width, int height, const char* saver) {
  media::init_image_library();
  VipsImage* black = nullptr;
  VipsImage* lit = nullptr;
  vips_black(&black, width, height, "bands", 3, nullptr);
  vips_linear1(black, &lit, 1.0, 120.0, nullptr);  // a flat grey picture
  void* buf = nullptr;
  size_t len = 0;
  const std::string kind = saver;
  if (kind == "pngsave_buffer")
    vips_pngsave_buffer(lit, &buf, &len, nullptr);
  else if (kind == "jpegsave_buffer")
    vips_jpegsave_buffer(lit, &buf, &len, nullptr);
  else
    vips_webpsave_buffer(lit, &buf, &len, nullptr);
  std::string out(static_cast<char*>(buf), len);
  g_free(buf);
  g_object_unref(lit);
  g_object_unref(black);
  return out;
}

std::string multipart(const std::string& boundary, const std::string& field, const std::string& filename,
                      const std::string& type, const std::string& data) {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n--" + boundary + "--\r\n";
}

class Media : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    app_ = std::make_unique<TestApp>(
        GetParam(), TestApp::Options{.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }});
    app_->app().auth().create_account_sync(
        {.role = "admin", .email = "chef@tiptop.in", .phone = "9800000001", .password = "kitchen-boss-2024"});
    auto r = HttpClient(app_->port())
                 .post_json("/api/v1/auth/login", R"({"email":"chef@tiptop.in","password":"kitchen-boss-2024"})");
    admin_ = std::string(r.json().at("data").at("token").as_string());
    item_ = std::string(
        HttpClient(app_->port()).get("/api/v1/menu/items/butter-chicken-full").json().at("data").at("_id").as_string());
  }
  HttpResult upload(const std::string& data, const std::string& filename = "dish.png",
                    const std::string& type = "image/png", const std::string& token = {},
                    const std::string& field = "image") {
    return HttpClient(app_->port())
        .request("POST", "/api/v1/admin/menu/items/" + item_ + "/images",
                 multipart("XyZ123", field, filename, type, data),
                 {{"Authorization", "Bearer " + (token.empty() ? admin_ : token)},
                  {"Content-Type", "multipart/form-data; boundary=XyZ123"}});
  }
  void expect_refused(const HttpResult& r, const char* why) {
    EXPECT_EQ(r.status, 400) << why << ": " << r.body;
    if (r.status == 400) {
      EXPECT_EQ(r.json().at("error").at("details").at(0).at("field"), "image") << why;
    }
  }
  std::size_t stored_files() {
    std::size_t n = 0;
    if (std::filesystem::exists(app_->upload_dir()))
      for (auto& e : std::filesystem::directory_iterator(app_->upload_dir())) n += e.is_regular_file();
    return n;
  }
  std::unique_ptr<TestApp> app_;
  std::string admin_, item_;
};

}  // namespace

TEST_P(Media, PngBecomesTwoWebpVariantsServedWithFixedType) {
  auto r = upload(encode(1200, 800, "pngsave_buffer"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto variants = r.json().at("data").at("variants").as_array();
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[0].at("width"), 320);
  EXPECT_EQ(variants[1].at("width"), 960);
  const std::string url(variants[1].at("url").as_string());
  EXPECT_TRUE(std::regex_match(url, std::regex("/uploads/[0-9a-f]{32}-960\\.webp"))) << url;
  auto file = HttpClient(app_->port()).get(url);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.header("content-type"), "image/webp");
  EXPECT_EQ(file.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(file.body.substr(0, 4), "RIFF");
  EXPECT_EQ(file.body.substr(8, 4), "WEBP");
  auto item =
      HttpClient(app_->port()).get("/api/v1/menu/items/" + item_).json().at("data");  // the menu shows it at once
  EXPECT_EQ(item.at("image").as_string(), url);
  EXPECT_EQ(item.at("images").as_array().size(), 2u);
  EXPECT_EQ(stored_files(), 2u);
}

TEST_P(Media, JpegAndWebpAcceptedSmallImagesNotUpscaled) {
  auto jpeg = upload(encode(200, 100, "jpegsave_buffer"), "x.jpg", "image/jpeg");
  ASSERT_EQ(jpeg.status, 201) << jpeg.body;
  EXPECT_EQ(jpeg.json().at("data").at("variants").at(1).at("width"), 200);
  EXPECT_EQ(upload(encode(640, 480, "webpsave_buffer"), "x.webp", "image/webp").status, 201);
}

TEST_P(Media, BadFilesAreRefusedAndNothingIsStored) {
  expect_refused(upload("<html><script>alert(1)</script></html>", "cute.jpg", "image/jpeg"), "HTML renamed .jpg");
  expect_refused(upload(R"S(<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>)S", "x.svg", "image/svg+xml"),
                 "SVG");
  expect_refused(upload("", "empty.png"), "zero bytes");
  const auto png = encode(800, 600, "pngsave_buffer");
  expect_refused(upload(png.substr(0, png.size() / 2)), "truncated PNG");
  expect_refused(upload(encode(8001, 8, "pngsave_buffer")), "wider than 8000 px");
  expect_refused(upload("GIF89a" + std::string(100, '\0'), "x.gif", "image/gif"), "GIF");
  std::string huge = "\x89PNG\r\n\x1a\n" + std::string(5 * 1024 * 1024 + 100, 'x');
  EXPECT_EQ(upload(huge).status, 413);
  EXPECT_EQ(stored_files(), 0u);
  EXPECT_EQ(
      HttpClient(app_->port()).get("/api/v1/menu/items/" + item_).json().at("data").at("images").as_array().size(), 0u);
}

TEST_P(Media, FileNamesNeverBecomePaths) {
  auto r = upload(encode(100, 100, "pngsave_buffer"), "../../../../tmp/tiptop-escape.png");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_FALSE(std::filesystem::exists("/tmp/tiptop-escape.png"));
  for (auto& e : std::filesystem::directory_iterator(app_->upload_dir()))
    EXPECT_TRUE(std::regex_match(e.path().filename().string(), std::regex("[0-9a-f]{32}-[0-9]+\\.webp")));
  for (auto target : {"/uploads/..%2F..%2Fetc%2Fpasswd", "/uploads/passwd", "/uploads/%2e%2e",
                      "/uploads/0123456789abcdef0123456789abcdef-960.webp"})
    EXPECT_EQ(HttpClient(app_->port()).get(target).status, 404) << target;
}

TEST_P(Media, RequestShapeAndRoles) {
  const auto png = encode(50, 50, "pngsave_buffer");
  EXPECT_EQ(upload(png, "a.png", "image/png", {}, "photo").status, 400);  // wrong field name
  auto not_multipart = HttpClient(app_->port())
                           .request("POST", "/api/v1/admin/menu/items/" + item_ + "/images", png,
                                    {{"Authorization", "Bearer " + admin_}, {"Content-Type", "image/png"}});
  EXPECT_EQ(not_multipart.status, 415);
  auto broken =
      HttpClient(app_->port())
          .request("POST", "/api/v1/admin/menu/items/" + item_ + "/images", "--XyZ123\r\nnonsense",
                   {{"Authorization", "Bearer " + admin_}, {"Content-Type", "multipart/form-data; boundary=XyZ123"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.json().at("error").at("code"), "INVALID_MULTIPART");
  app_->app().auth().create_account_sync(
      {.role = "customer", .email = "c@tiptop.in", .phone = "9800000002", .password = "kitchen-boss-2024"});
  auto login = HttpClient(app_->port())
                   .post_json("/api/v1/auth/login", R"({"email":"c@tiptop.in","password":"kitchen-boss-2024"})");
  EXPECT_EQ(upload(png, "a.png", "image/png", std::string(login.json().at("data").at("token").as_string())).status,
            403);
  item_ = "0123456789abcdef01234567";
  EXPECT_EQ(upload(png).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Engines, Media, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
