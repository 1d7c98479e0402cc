#include "app/notify/sms_gateway_channel.h"

#include <curl/curl.h>

#include <boost/json.hpp>

namespace parcours::app {
namespace {

// The JSON string literal's inside (without the quotes).
std::string JsonInside(const std::string& v) {
  std::string quoted = boost::json::serialize(boost::json::value(v));
  return quoted.substr(1, quoted.size() - 2);
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) {
    s.replace(at, from.size(), to);
  }
}

// The gateway's answer body is not kept: it may echo the message.
std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

}  // namespace

std::string SmsGatewayBody(const std::string& body_template, const RenderedSms& m) {
  std::string body = body_template;
  ReplaceAll(body, "{{to}}", JsonInside(m.to));
  ReplaceAll(body, "{{text}}", JsonInside(m.text));
  ReplaceAll(body, "{{id}}", JsonInside(m.idempotency_key));
  return body;
}

struct SmsGatewayChannel::Impl {
  SmsGatewaySettings settings;
  CURL* curl = nullptr;
  ~Impl() {
    if (curl) curl_easy_cleanup(curl);
  }
};

Result<std::unique_ptr<SmsGatewayChannel>> SmsGatewayChannel::Create(const SmsGatewaySettings& s) {
  if (s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("sms-gateway-url", "must start with http:// or https://");
  }
  if (s.body_template.find("{{to}}") == std::string::npos ||
      s.body_template.find("{{text}}") == std::string::npos) {
    return Status::InvalidArgument("sms-gateway-body", "must contain {{to}} and {{text}}");
  }
  if (!s.auth_header.empty() && s.auth_header.find(':') == std::string::npos) {
    return Status::InvalidArgument("sms-gateway-auth", "a header line: \"Name: value\"");
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) return Status::Internal("libcurl initialisation failed");
  auto c = std::unique_ptr<SmsGatewayChannel>(new SmsGatewayChannel());
  c->impl_ = std::make_unique<Impl>();
  c->impl_->settings = s;
  c->impl_->curl = curl_easy_init();
  if (!c->impl_->curl) return Status::Internal("libcurl: no handle");
  return c;
}

SmsGatewayChannel::~SmsGatewayChannel() = default;

SendOutcome SmsGatewayChannel::Send(const RenderedSms& m) {
  CURL* h = impl_->curl;
  const SmsGatewaySettings& s = impl_->settings;
  curl_easy_reset(h);
  const std::string body = SmsGatewayBody(s.body_template, m);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("Idempotency-Key: " + m.idempotency_key).c_str());
  if (!s.auth_header.empty()) headers = curl_slist_append(headers, s.auth_header.c_str());
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, s.timeout_seconds);
  const CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  SendOutcome out;
  if (rc != CURLE_OK) {
    out.kind = SendOutcome::Kind::kTemporary;
    out.detail = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
    return out;
  }
  out.detail = "HTTP " + std::to_string(code);
  if (code >= 200 && code < 300) {
    out.kind = SendOutcome::Kind::kSent;
  } else if (code == 408 || code == 425 || code == 429 || code >= 500) {
    out.kind = SendOutcome::Kind::kTemporary;
  } else {
    out.kind = SendOutcome::Kind::kPermanent;
  }
  return out;
}

}  // namespace parcours::app
