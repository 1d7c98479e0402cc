#include "app/notify/smtp_channel.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace parcours::app {
namespace {

std::string Base64(std::string_view bytes) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Base64 in lines of 76 characters (RFC 2045).
std::string Base64Lines(std::string_view bytes) {
  const std::string b = Base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

// RFC 2047 encoded words of at most 45 bytes of UTF-8 each (never cutting a
// character), folded on continuation lines.
std::string EncodedHeader(std::string_view text) {
  if (IsAscii(text) && text.size() < 900) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

// Header values must not carry line breaks (header injection).
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

std::string DateHeader(long long ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string Scheme(const std::string& url) {
  auto colon = url.find("://");
  if (colon == std::string::npos) return {};
  std::string s = url.substr(0, colon);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string HostOf(const std::string& url) {
  CURLU* u = curl_url();
  std::string host;
  if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* h = nullptr;
    if (curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && h) host = h;
    curl_free(h);
  }
  curl_url_cleanup(u);
  return host;
}

struct Reader {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t ReadBody(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Reader*>(user);
  const std::size_t want = size * n;
  const std::size_t left = r->data->size() - r->pos;
  const std::size_t k = std::min(want, left);
  std::memcpy(buf, r->data->data() + r->pos, k);
  r->pos += k;
  return k;
}

}  // namespace

std::string AddressOf(const std::string& mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

bool IsLoopbackHost(const std::string& host) {
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, h.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string ComposeEmail(const SmtpSettings& s, const RenderedEmail& m, long long date_ms) {
  const std::string boundary = "=_parcours_" + m.message_id.substr(0, m.message_id.find('@'));
  std::string out;
  auto header = [&](const char* name, const std::string& value) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  };
  header("From", OneLine(s.from));
  header("To", OneLine(m.to));
  header("Subject", EncodedHeader(OneLine(m.subject)));
  header("Date", DateHeader(date_ms));
  header("Message-ID", "<" + OneLine(m.message_id) + ">");
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");
  if (!m.language.empty()) header("Content-Language", OneLine(m.language));
  if (!m.unsubscribe_url.empty()) {
    header("List-Unsubscribe", "<" + OneLine(m.unsubscribe_url) + ">");
    header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  }
  header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  out += "\r\n";
  auto part = [&](const char* type, const std::string& body) {
    out += "--" + boundary + "\r\n";
    out += std::string("Content-Type: ") + type + "; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: base64\r\n\r\n";
    out += Base64Lines(body);
  };
  part("text/plain", m.text);
  part("text/html", m.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

struct SmtpChannel::Impl {
  SmtpSettings settings;
  bool require_tls = true;
  CURL* curl = nullptr;
  ~Impl() {
    if (curl) curl_easy_cleanup(curl);
  }
};

Result<std::unique_ptr<SmtpChannel>> SmtpChannel::Create(const SmtpSettings& s) {
  const std::string scheme = Scheme(s.url);
  if (scheme != "smtp" && scheme != "smtps") {
    return Status::InvalidArgument("smtp-url", "must start with smtp:// or smtps://");
  }
  const std::string host = HostOf(s.url);
  if (host.empty()) return Status::InvalidArgument("smtp-url", "no host in the URL");
  if (AddressOf(s.from).find('@') == std::string::npos) {
    return Status::InvalidArgument("smtp-from", "an e-mail address is needed");
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) return Status::Internal("libcurl initialisation failed");
  auto c = std::unique_ptr<SmtpChannel>(new SmtpChannel());
  c->impl_ = std::make_unique<Impl>();
  c->impl_->settings = s;
  c->impl_->require_tls = scheme == "smtp" && !IsLoopbackHost(host) && !s.allow_plaintext;
  c->impl_->curl = curl_easy_init();
  if (!c->impl_->curl) return Status::Internal("libcurl: no handle");
  return c;
}

SmtpChannel::~SmtpChannel() = default;

SendOutcome SmtpChannel::Send(const RenderedEmail& m) {
  CURL* h = impl_->curl;
  const SmtpSettings& s = impl_->settings;
  curl_easy_reset(h);
  const std::string body = ComposeEmail(s, m, static_cast<long long>(std::time(nullptr)) * 1000);
  Reader reader{&body};
  const std::string from = "<" + AddressOf(s.from) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + AddressOf(m.to) + ">").c_str());
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(h, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadBody);
  curl_easy_setopt(h, CURLOPT_READDATA, &reader);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, s.timeout_seconds);
  // STARTTLS required unless loopback or allowed: the send fails otherwise.
  curl_easy_setopt(
      h, CURLOPT_USE_SSL,
      impl_->require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  if (!s.password.empty()) curl_easy_setopt(h, CURLOPT_PASSWORD, s.password.c_str());
  const CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(rcpt);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  SendOutcome out;
  if (rc == CURLE_OK) {
    out.kind = SendOutcome::Kind::kSent;
    out.detail = "accepted (" + std::to_string(code) + ")";
    return out;
  }
  // The server's code first (what an operator looks up), then libcurl's words.
  out.detail = code > 0 ? "SMTP " + std::to_string(code) + ": " : std::string();
  out.detail += curl_easy_strerror(rc);
  if (error[0] != '\0') out.detail += std::string(" (") + error + ")";
  out.kind =
      code >= 500 && code < 600 ? SendOutcome::Kind::kPermanent : SendOutcome::Kind::kTemporary;
  return out;
}

}  // namespace parcours::app
