// Fuzz target: the signed tokens of the parent's forms and result page
// (http/result_access.h). Each input is tried as a token as it comes, and
// as a payload signed with the key (so the payload parser behind the MAC is
// reached too).
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "http/result_access.h"

namespace {

class FixedClock : public parcours::app::Clock {
 public:
  parcours::domain::TimestampMs NowMs() const override { return 1'800'000'000'000; }
};

const parcours::app::Sealer& Key() {
  static const parcours::app::Sealer sealer = *parcours::app::Sealer::FromHex(std::string(64, 'a'));
  return sealer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const FixedClock clock;
  parcours::http::ResultAccess access(Key(), clock);
  const std::string input(reinterpret_cast<const char*>(data), size);
  (void)access.CheckForm(input, "01hzx3k4m5n6p7q8r9s0t1v2w3");
  (void)access.OpenResult(input);
  // The same text signed as ResultAccess signs it: reaches the payload parser.
  for (const char* kind : {"form", "result"}) {
    const std::string token =
        input + "." + Key().Mac("formtokn", std::string(kind) + ":" + input).substr(0, 32);
    (void)access.CheckForm(token, input.substr(0, input.find('.')));
    if (auto r = access.OpenResult(token)) {
      if (r->screening_id.empty()) __builtin_trap();
      (void)access.Exit(token);
      if (access.OpenResult(token)) __builtin_trap();  // left by the quick exit
    }
  }
  // A token issued for an arbitrary id is accepted for that id only.
  const std::string id = input.substr(0, 64);
  const std::string form = access.FormToken(id);
  (void)access.CheckForm(form, id);
  return 0;
}
