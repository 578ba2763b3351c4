#pragma once
// Uploaded images: recognised by their bytes (JPEG, PNG, WebP), checked for size and pixel
// dimensions, decoded fully (a truncated file is refused), and re-encoded as WebP variants with
// libvips. The re-encode also strips whatever else the file carried (metadata, trailing data).
// CPU-heavy: call on the worker pool.
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::media {

constexpr std::size_t kMaxImageBytes = 5 * 1024 * 1024;
constexpr int kMaxImageSide = 8000;

enum class ImageFormat { unknown, jpeg, png, webp };
ImageFormat sniff_format(std::string_view bytes);

struct Variant {
  int width;
  std::string webp;
};

// Throws ValidationError (field "image") for anything that is not an acceptable image.
std::vector<Variant> make_variants(std::string_view bytes, const std::vector<int>& widths = {320, 960});

void init_image_library();  // once, at start-up

}  // namespace tiptop::media
