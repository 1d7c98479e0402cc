#include "app/notify/outbox.h"

#include <boost/json.hpp>

#include "app/clock.h"
#include "app/crypto/sealer.h"
#include "domain/common/json_document.h"
#include "storage/storage.h"

namespace parcours::app {

std::string EncodePayload(const MessagePayload& p) {
  boost::json::object vars;
  for (const auto& [k, v] : p.vars) vars[k] = v;
  boost::json::object o{{"to", p.to},
                        {"language", p.language},
                        {"template", p.template_name},
                        {"vars", std::move(vars)}};
  if (!p.unsubscribe_url.empty()) o["unsubscribe_url"] = p.unsubscribe_url;
  return boost::json::serialize(o);
}

Result<MessagePayload> DecodePayload(std::string_view json) {
  auto doc = domain::ParseJsonDocument(json, "outbox payload");
  if (!doc.ok()) return doc.status();
  MessagePayload p;
  auto text = [&](const char* key, std::string& out) {
    const auto* v = doc->if_contains(key);
    if (v && v->is_string()) out = std::string(v->as_string());
    return v != nullptr && v->is_string();
  };
  if (!text("to", p.to) || !text("language", p.language) || !text("template", p.template_name)) {
    return Status::Internal("outbox payload lacks to, language or template");
  }
  (void)text("unsubscribe_url", p.unsubscribe_url);
  if (const auto* vars = doc->if_contains("vars"); vars && vars->is_object()) {
    for (const auto& [k, v] : vars->as_object()) {
      if (v.is_string()) p.vars[std::string(k)] = std::string(v.as_string());
    }
  }
  return p;
}

Status EnqueueMessage(storage::Transaction& tx, const Sealer& sealer, const Clock& clock,
                      Random& random, const OutgoingMessage& m) {
  if (m.channel != "email" && m.channel != "sms") {
    return Status::InvalidArgument("channel", "unknown channel " + m.channel);
  }
  if (m.dedupe_key.empty()) return Status::InvalidArgument("dedupe_key", "empty dedupe key");
  if (m.to.empty()) return Status::InvalidArgument("to", "no recipient");
  if (m.template_name.empty()) return Status::InvalidArgument("template_name", "no template");
  storage::OutboxMessageRecord r;
  r.id = NewId(clock, random);
  r.dedupe_key = m.dedupe_key;
  r.channel = m.channel;
  r.kind = m.kind;
  r.territory_code = m.territory_code;
  r.payload_sealed = sealer.Seal(EncodePayload(
      MessagePayload{m.to, m.language.empty() ? "fr" : m.language, m.template_name, m.vars,
                     m.channel == "email" ? m.unsubscribe_url : std::string()}));
  r.status = "pending";
  r.created_at = clock.NowMs();
  r.next_attempt_at = m.due_at > 0 ? m.due_at : r.created_at;
  auto inserted = tx.outbox().Enqueue(r);
  return inserted.ok() ? Status::Ok() : inserted.status();
}

}  // namespace parcours::app
