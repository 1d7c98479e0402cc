#include "http/result_access.h"

#include <string_view>

#include "app/clock.h"
#include "app/crypto/sealer.h"

namespace parcours::http {
namespace {

constexpr std::size_t kMaxExits = 200000;

bool IsIdChar(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// "id.expiry[.e]" → its parts.
struct Payload {
  std::string id;
  domain::TimestampMs expiry = 0;
  bool embedded = false;
};
std::optional<Payload> ParsePayload(std::string_view p) {
  Payload out;
  const auto dot = p.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 64) return std::nullopt;
  out.id = std::string(p.substr(0, dot));
  for (char c : out.id) {
    if (!IsIdChar(c)) return std::nullopt;
  }
  std::string_view rest = p.substr(dot + 1);
  if (rest.ends_with(".e")) {
    out.embedded = true;
    rest.remove_suffix(2);
  }
  if (rest.empty() || rest.size() > 15) return std::nullopt;
  for (char c : rest) {
    if (c < '0' || c > '9') return std::nullopt;
    out.expiry = out.expiry * 10 + (c - '0');
  }
  return out;
}

}  // namespace

std::string ResultAccess::Sign(const std::string& kind, const std::string& payload) const {
  return payload + "." + sealer_.Mac("formtokn", kind + ":" + payload).substr(0, 32);
}

std::optional<std::string> ResultAccess::Verify(const std::string& kind,
                                                const std::string& token) const {
  if (token.size() > 200) return std::nullopt;
  const auto dot = token.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string payload = token.substr(0, dot);
  if (!ConstantTimeEquals(token.substr(dot + 1),
                          sealer_.Mac("formtokn", kind + ":" + payload).substr(0, 32))) {
    return std::nullopt;
  }
  return payload;
}

std::string ResultAccess::FormToken(const std::string& screening_id) const {
  return Sign("form", screening_id + "." + std::to_string(clock_.NowMs() + kFormLifetimeMs));
}

bool ResultAccess::CheckForm(const std::string& token, const std::string& screening_id) const {
  auto payload = Verify("form", token);
  if (!payload) return false;
  auto p = ParsePayload(*payload);
  return p && p->id == screening_id && !p->embedded && p->expiry >= clock_.NowMs() &&
         !Exited(screening_id);
}

std::string ResultAccess::ResultToken(const std::string& screening_id, bool embedded) const {
  return Sign("result", screening_id + "." + std::to_string(clock_.NowMs() + kResultLifetimeMs) +
                            (embedded ? ".e" : ""));
}

std::optional<ResultAccess::ResultRef> ResultAccess::OpenResult(const std::string& token) const {
  auto payload = Verify("result", token);
  if (!payload) return std::nullopt;
  auto p = ParsePayload(*payload);
  if (!p || p->expiry < clock_.NowMs() || Exited(p->id)) return std::nullopt;
  return ResultRef{p->id, p->embedded};
}

bool ResultAccess::Exit(const std::string& result_token) {
  auto payload = Verify("result", result_token);
  if (!payload) return false;
  auto p = ParsePayload(*payload);
  if (!p) return false;
  const domain::TimestampMs now = clock_.NowMs();
  core::MutexLock lock(mu_);
  while (!exit_order_.empty() &&
         (exit_order_.front().first < now || exit_order_.size() >= kMaxExits)) {
    auto it = exited_.find(exit_order_.front().second);
    if (it != exited_.end() && it->second == exit_order_.front().first) exited_.erase(it);
    exit_order_.pop_front();
  }
  exited_[p->id] = now + kExitMemoryMs;
  exit_order_.emplace_back(now + kExitMemoryMs, p->id);
  return true;
}

bool ResultAccess::Exited(const std::string& screening_id) const {
  core::MutexLock lock(mu_);
  auto it = exited_.find(screening_id);
  return it != exited_.end() && it->second >= clock_.NowMs();
}

}  // namespace parcours::http
