// E-mail by SMTP through libcurl. One multipart/alternative message (plain
// text, then HTML; UTF-8, base64 parts) with Message-ID, and
// List-Unsubscribe + List-Unsubscribe-Post (RFC 8058) when the message has
// an opt-out page.
//
// Transport security: smtps:// is TLS from the start; smtp:// requires
// STARTTLS (the send fails when the server does not offer it), except
// towards a loopback host (127.0.0.0/8, ::1, localhost) or when
// `allow_plaintext` is set. Credentials come from the URL
// (smtp://user:password@host) or from `password` (read from
// `smtp-password-file` by the caller).
//
// Not thread-safe (one libcurl handle, kept so the SMTP connection is
// reused): one SmtpChannel per sending thread.
#pragma once

#include <memory>
#include <string>

#include "app/notify/channels.h"
#include "core/status.h"

namespace parcours::app {

struct SmtpSettings {
  std::string url;       // smtp://host:port or smtps://host:port
  std::string from;      // the From address, e.g. "Parcours DPP <ne-pas-repondre@…>"
  std::string password;  // "" = from the URL or none
  bool allow_plaintext = false;
  long timeout_seconds = 30;
};

// The address inside "Name <addr>", or the text itself.
std::string AddressOf(const std::string& mailbox);
// True for 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackHost(const std::string& host);
// The message as sent (headers and body, CRLF line ends), for tests.
std::string ComposeEmail(const SmtpSettings& s, const RenderedEmail& m, long long date_ms);

class SmtpChannel : public EmailChannel {
 public:
  // kInvalidArgument for a URL that is not smtp:// or smtps://, or an empty
  // `from`.
  static Result<std::unique_ptr<SmtpChannel>> Create(const SmtpSettings& s);
  ~SmtpChannel() override;
  SendOutcome Send(const RenderedEmail& m) override;

 private:
  SmtpChannel() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parcours::app
