#include "modules/media/images.hpp"

#include <vips/vips.h>

#include <memory>
#include <mutex>

#include "core/errors.hpp"

namespace tiptop::media {
namespace {

[[noreturn]] void refuse(const std::string& why) { throw ValidationError("Invalid image", {{"image", why}}); }

struct Unref {
  void operator()(VipsImage* i) const { g_object_unref(i); }
};
using Image = std::unique_ptr<VipsImage, Unref>;

}  // namespace

void init_image_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("tiptop")) throw std::runtime_error("libvips failed to initialise");
    vips_concurrency_set(1);  // our worker pool is the parallelism; vips threads would oversubscribe
    vips_cache_set_max(0);    // uploads are one-off: caching operations only holds memory
  });
}

ImageFormat sniff_format(std::string_view b) {
  if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
      static_cast<unsigned char>(b[2]) == 0xFF)
    return ImageFormat::jpeg;
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return ImageFormat::png;
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return ImageFormat::webp;
  return ImageFormat::unknown;
}

std::vector<Variant> make_variants(std::string_view bytes, const std::vector<int>& widths) {
  init_image_library();
  if (bytes.empty()) refuse("file is empty");
  if (bytes.size() > kMaxImageBytes) refuse("file is larger than 5 MB");
  const auto format = sniff_format(bytes);
  if (format == ImageFormat::unknown) refuse("only JPEG, PNG and WebP images are accepted");

  // The loader is chosen by us from the sniffed bytes, never by vips guessing (no SVG, PDF, …).
  const char* loader = format == ImageFormat::jpeg  ? "jpegload_buffer"
                       : format == ImageFormat::png ? "pngload_buffer"
                                                    : "webpload_buffer";
  VipsImage* raw = nullptr;
  VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
  const int rc = vips_call(loader, blob, &raw, "fail_on", VIPS_FAIL_ON_ERROR, nullptr);  // truncation is an error
  vips_area_unref(reinterpret_cast<VipsArea*>(blob));
  if (rc != 0 || !raw) {
    vips_error_clear();
    refuse("file is not a readable image (corrupt or truncated)");
  }
  Image header(raw);
  const int w = vips_image_get_width(raw), h = vips_image_get_height(raw);
  if (w > kMaxImageSide || h > kMaxImageSide || w < 1 || h < 1) refuse("image must be at most 8000 x 8000 pixels");
  // Decode every pixel now so truncation anywhere in the file is caught before anything is stored.
  double avg = 0;
  if (vips_avg(raw, &avg, nullptr) != 0) {
    vips_error_clear();
    refuse("file is not a readable image (corrupt or truncated)");
  }

  std::vector<Variant> out;
  for (int target : widths) {
    const int width = std::min(target, w);  // never upscale
    VipsImage* thumb = nullptr;
    if (vips_thumbnail_image(raw, &thumb, width, "height", kMaxImageSide, "size", VIPS_SIZE_DOWN, nullptr) != 0) {
      vips_error_clear();
      refuse("image could not be resized");
    }
    Image t(thumb);
    void* buf = nullptr;
    size_t len = 0;
    if (vips_webpsave_buffer(thumb, &buf, &len, "Q", 80, "strip", TRUE, nullptr) != 0) {
      vips_error_clear();
      throw std::runtime_error("WebP encoding failed");
    }
    out.push_back({vips_image_get_width(thumb), std::string(static_cast<char*>(buf), len)});
    g_free(buf);
  }
  return out;
}

}  // namespace tiptop::media
