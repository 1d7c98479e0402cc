// Fuzz target: the JSON body of POST /api/v1/consultations, parsed then read
// into the consultation use case's input (types, unknown fields, codes).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/consultation_body.h"
#include "http/json_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto r = parcours::http::ParseJsonObject(body);
  if (!r.ok()) return 0;
  auto in = parcours::http::ReadConsultationJson(*r, "fr");
  (void)(in.answers.size() + in.vulnerability.size() + in.unreadable.list().size());
  return 0;
}
