#include "app/demo_mode.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "app/pathway_config.h"
#include "core/log.h"
#include "domain/common/json_document.h"
#include "storage/storage.h"

namespace parcours::app {
namespace {

namespace json = boost::json;

constexpr domain::TimestampMs kRefreshMs = 1000;

// Parses {code: recontact block} against the territories of `config`.
Result<std::map<std::string, domain::RecontactConfig>> ParseOpened(const PathwayConfig& config,
                                                                   const json::value* v,
                                                                   const std::string& where) {
  std::map<std::string, domain::RecontactConfig> out;
  if (v == nullptr || !v->is_object()) {
    return Status::InvalidArgument("recontact", where + ": recontact: must map territory codes");
  }
  for (const auto& [code, block] : v->as_object()) {
    const std::string c(code);
    const domain::Territory* t = config.territories().Find(c);
    // "<where>: <field>: <why>", the field named in full.
    auto bad = [&where](std::string field, std::string_view why) {
      std::string message = where;
      message.append(": ").append(field).append(": ").append(why);
      return Status::InvalidArgument(std::move(field), std::move(message));
    };
    if (t == nullptr || t->outside()) return bad("recontact." + c, "no such territory");
    auto terms = domain::ParseRecontact(&block, t->recontact.closed_days);
    if (!terms.ok()) {
      std::string field = c;
      field.append(".").append(terms.status().field());
      return bad(std::move(field), terms.status().message());
    }
    if (!terms->open) return bad("recontact." + c, "not open");
    out[c] = std::move(*terms);
  }
  return out;
}

}  // namespace

Result<DemoState> ParseDemoState(const PathwayConfig& config, std::string_view text) {
  auto root = domain::ParseJsonDocument(text, "demo setting");
  if (!root.ok()) return root.status();
  DemoState s;
  s.loaded = true;
  if (const auto* at = root->if_contains("loaded_at_ms"); at != nullptr && at->is_int64()) {
    s.loaded_at = at->as_int64();
  }
  auto opened = ParseOpened(config, root->if_contains("recontact"), "demo setting");
  if (!opened.ok()) return opened.status();
  s.recontact = std::move(*opened);
  return s;
}

Result<std::vector<std::string>> RecordDemoMode(storage::Storage& storage,
                                                const PathwayConfig& config, const Clock& clock,
                                                const std::string& share_dir) {
  const std::string path = share_dir + "/data/demo/recontact.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto root = domain::ParseJsonDocument(ss.str(), path);
  if (!root.ok()) return root.status();
  auto opened = ParseOpened(config, root->if_contains("recontact"), path);
  if (!opened.ok()) return opened.status();
  json::object setting;
  setting["loaded_at_ms"] = clock.NowMs();
  setting["recontact"] = root->at("recontact");
  const std::string value = json::serialize(setting);
  PARCOURS_RETURN_IF_ERROR(storage.Transact(
      [&](storage::Transaction& tx) { return tx.PutSetting(kDemoSetting, value); }));
  std::vector<std::string> codes;
  for (const auto& [code, terms] : *opened) codes.push_back(code);
  return codes;
}

DemoMode::DemoMode(storage::Storage& storage, const PathwayConfig& config, const Clock& clock)
    : storage_(storage), config_(config), clock_(clock), state_(std::make_shared<DemoState>()) {}

std::shared_ptr<const DemoState> DemoMode::Current() {
  core::MutexLock lock(mu_);
  const domain::TimestampMs now = clock_.NowMs();
  if (read_at_ >= 0 && now - read_at_ < kRefreshMs && now >= read_at_) return state_;
  read_at_ = now;
  std::optional<std::string> value;
  Status st = storage_.Read([&](storage::Transaction& tx) {
    auto v = tx.GetSetting(kDemoSetting);
    if (!v.ok()) return v.status();
    value = std::move(*v);
    return Status::Ok();
  });
  if (!st.ok()) {
    log::Warn("demo setting unreadable", {{"error", st.message()}});
    return state_;
  }
  if (!value) {
    state_ = std::make_shared<DemoState>();
    return state_;
  }
  auto parsed = ParseDemoState(config_, *value);
  if (!parsed.ok()) {
    log::Warn("demo setting invalid", {{"error", parsed.status().message()}});
    return state_;
  }
  state_ = std::make_shared<DemoState>(std::move(*parsed));
  return state_;
}

}  // namespace parcours::app
