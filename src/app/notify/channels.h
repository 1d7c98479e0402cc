// The two ways a message leaves: e-mail (SMTP) and SMS (an HTTP gateway).
// A channel sends one rendered message and says how it went; it decides
// nothing about retries (the sender does, from the outcome's kind).
//
// One channel object per sending thread: implementations keep a connection
// (libcurl handle) and are not thread-safe.
#pragma once

#include <memory>
#include <string>

namespace parcours::app {

struct RenderedEmail {
  std::string to;
  std::string subject;
  std::string text;  // the plain-text part
  std::string html;  // the HTML part
  // Without angle brackets, e.g. "01jd…@parcours.example.fr": the same for
  // every send of one outbox message, so a resend is recognisably the same.
  std::string message_id;
  std::string unsubscribe_url;  // "" = no List-Unsubscribe header
  std::string language;
};

struct RenderedSms {
  std::string to;    // E.164
  std::string text;  // short, discreet
  // The outbox message id: a gateway that sees it twice sends once.
  std::string idempotency_key;
};

struct SendOutcome {
  enum class Kind {
    kSent,       // accepted by the server or gateway
    kTemporary,  // try again later (4xx SMTP, 5xx/429 gateway, network)
    kPermanent,  // never going to work (5xx SMTP, 4xx gateway)
  };
  Kind kind = Kind::kTemporary;
  // What the server answered, for the attempt log: never the message.
  std::string detail;
};

class EmailChannel {
 public:
  virtual ~EmailChannel() = default;
  virtual SendOutcome Send(const RenderedEmail& m) = 0;
};

class SmsChannel {
 public:
  virtual ~SmsChannel() = default;
  virtual SendOutcome Send(const RenderedSms& m) = 0;
};

}  // namespace parcours::app
