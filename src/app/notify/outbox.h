// Writing a message to the outbox (storage/outbox_repository.h), inside the
// caller's transaction. The message is rendered when it is sent, from
// templates/mail/<template>.{txt,html}.mustache (e-mail) or the catalog key
// "sms_<template>" (SMS), in the recipient's language, over `vars`. `vars`
// never carries health data or a name: a message may be read on a lock
// screen or by whoever shares the mailbox.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/common/types.h"

namespace parcours::storage {
class Transaction;
}

namespace parcours::app {

class Clock;
class Random;
class Sealer;

struct OutgoingMessage {
  std::string dedupe_key;                   // see OutboxMessageRecord::dedupe_key
  std::string channel;                      // "email", "sms"
  std::string kind;                         // "alert_new", "reminder", ...
  std::string territory_code;               // "" = none
  std::string to;                           // e-mail address or E.164 phone number
  std::string language;                     // "fr", "en"
  std::string template_name;                // "alert_new", "reminder", ...
  std::map<std::string, std::string> vars;  // links, counts; no health data
  domain::TimestampMs due_at = 0;           // not sent before
  // E-mail only: the opt-out page, sent as List-Unsubscribe with
  // List-Unsubscribe-Post (RFC 8058), so a mail client can unsubscribe by
  // POST and a scanner following links changes nothing.
  std::string unsubscribe_url;
};

// What a row's sealed payload holds (JSON {"to","language","template",
// "vars","unsubscribe_url"}), written by EnqueueMessage and read by the
// sender.
struct MessagePayload {
  std::string to;
  std::string language;
  std::string template_name;
  std::map<std::string, std::string> vars;
  std::string unsubscribe_url;  // e-mail only; "" = none
};
std::string EncodePayload(const MessagePayload& p);
// kInternal when the text is not such a payload (a damaged row).
Result<MessagePayload> DecodePayload(std::string_view json);

// Seals and enqueues `m` in `tx`. Ok also when its dedupe_key was already
// enqueued (nothing is written then).
Status EnqueueMessage(storage::Transaction& tx, const Sealer& sealer, const Clock& clock,
                      Random& random, const OutgoingMessage& m);

}  // namespace parcours::app
