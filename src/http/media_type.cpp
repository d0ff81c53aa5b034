#include "http/media_type.hpp"

#include <array>
#include <utility>

namespace rekap::http {

namespace {

constexpr std::string_view kOctets = "application/octet-stream";

constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kByExtension{{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"csv", "text/csv; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"webmanifest", "application/manifest+json"},
    {"gz", "application/gzip"},
}};

}  // namespace

std::string_view media_type_of_name(std::string_view name) {
  // The daily archive's signed checksums (archive.hpp) have no extension.
  if (name.ends_with("SHA256SUMS")) return "text/plain; charset=utf-8";
  auto slash = name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return kOctets;
  std::string_view ext = base.substr(dot + 1);
  for (const auto& [e, type] : kByExtension) {
    if (e == ext) return type;
  }
  return kOctets;
}

std::string_view media_type_of_image(std::string_view bytes) {
  if (bytes.starts_with("\xff\xd8\xff")) return "image/jpeg";
  if (bytes.starts_with("\x89PNG")) return "image/png";
  return kOctets;
}

}  // namespace rekap::http
