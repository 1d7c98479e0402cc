// SMS through an HTTP gateway, by libcurl: one POST of a JSON body to
// `sms-gateway-url`, so any French SMS provider with an HTTP API can be
// plugged in by settings alone.
//
// The body is `body_template` with {{to}}, {{text}} and {{id}} replaced by
// the JSON-escaped values (the template writes the quotes), e.g. the
// default {"to":"{{to}}","text":"{{text}}","idempotency_key":"{{id}}"}.
// Every request also carries `Idempotency-Key: <id>` (the outbox message
// id, the same on every resend of one message), and `auth_header` as given
// ("Authorization: Bearer …") when set.
//
// Outcomes: 2xx sent; 408, 425, 429 and 5xx temporary; other 4xx permanent
// (the gateway refused this message); no answer temporary.
//
// Not thread-safe (one libcurl handle): one channel per sending thread.
#pragma once

#include <memory>
#include <string>

#include "app/notify/channels.h"
#include "core/status.h"

namespace parcours::app {

struct SmsGatewaySettings {
  std::string url;  // http(s)://…
  std::string auth_header;
  std::string body_template = R"({"to":"{{to}}","text":"{{text}}","idempotency_key":"{{id}}"})";
  long timeout_seconds = 20;
};

// The body for `m` (placeholders replaced, values JSON-escaped).
std::string SmsGatewayBody(const std::string& body_template, const RenderedSms& m);

class SmsGatewayChannel : public SmsChannel {
 public:
  // kInvalidArgument for a URL that is not http(s):// or a body template
  // without {{to}} or {{text}}.
  static Result<std::unique_ptr<SmsGatewayChannel>> Create(const SmsGatewaySettings& s);
  ~SmsGatewayChannel() override;
  SendOutcome Send(const RenderedSms& m) override;

 private:
  SmsGatewayChannel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::app
