#include "app/auth/qr_svg.h"

#include <qrencode.h>

#include <memory>

#include "core/html.h"

namespace parcours::app {

Result<std::string> QrSvg(std::string_view text, std::string_view label) {
  std::string input(text);
  std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!qr) return Status::Internal("QR encoding failed");
  const int w = qr->width;
  const int size = w + 8;
  std::string path;
  path.reserve(static_cast<std::size_t>(w) * w * 4);
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      if (qr->data[y * w + x] & 1) {
        path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
      }
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"" +
         EscapeHtml(label) + "\" viewBox=\"0 0 " + std::to_string(size) + " " +
         std::to_string(size) + "\" width=\"" + std::to_string(size * 6) + "\" height=\"" +
         std::to_string(size * 6) + "\" shape-rendering=\"crispEdges\"><rect width=\"" +
         std::to_string(size) + "\" height=\"" + std::to_string(size) +
         "\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"" + path + "\"/></svg>";
}

}  // namespace parcours::app
