// Turns an outbox payload into the text that leaves: an e-mail (subject,
// plain text, HTML) or an SMS, in the payload's language. Implemented over
// the mustache templates of templates/mail/ and the catalogs of data/i18n
// (http/views/mail_renderer.h); a seam so the sender is tested without them.
// Thread-safe.
#pragma once

#include <string>

#include "app/notify/channels.h"
#include "app/notify/outbox.h"
#include "core/status.h"

namespace parcours::app {

class MessageRenderer {
 public:
  virtual ~MessageRenderer() = default;
  // `message_id`: the outbox row's id (Message-ID local part, SMS
  // idempotency key). kInternal for an unknown template.
  virtual Result<RenderedEmail> RenderEmail(const MessagePayload& p,
                                            const std::string& message_id) const = 0;
  virtual Result<RenderedSms> RenderSms(const MessagePayload& p,
                                        const std::string& message_id) const = 0;
};

}  // namespace parcours::app
