// The outbox messages' texts (app::MessageRenderer) from the templates of
// templates/mail/ and the catalogs of data/i18n:
//   <template>.txt.mustache   plain-text part   (values not escaped)
//   <template>.html.mustache  HTML part         (values escaped)
//   <template>.sms.mustache   SMS text          (values not escaped)
// and the subject from the catalog key "mail_<template>_subject". The view
// is the payload's vars, plus `link` = public_url + vars["path"] when the
// payload has a path, and `unsubscribe_url`. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "app/notify/message_renderer.h"

namespace parcours::http {

class Catalogs;
class Renderer;

class MailRenderer : public app::MessageRenderer {
 public:
  // `share_dir` holds templates/mail and data/i18n; `public_url` prefixes
  // links ("" leaves them as paths); `mail_domain` ends Message-IDs.
  static Result<std::unique_ptr<MailRenderer>> Load(const std::string& share_dir,
                                                    std::string public_url,
                                                    std::string mail_domain);
  ~MailRenderer() override;

  Result<app::RenderedEmail> RenderEmail(const app::MessagePayload& p,
                                         const std::string& message_id) const override;
  Result<app::RenderedSms> RenderSms(const app::MessagePayload& p,
                                     const std::string& message_id) const override;

 private:
  MailRenderer() = default;
  std::unique_ptr<Catalogs> catalogs_;
  std::unique_ptr<Renderer> renderer_;
  std::string public_url_;
  std::string mail_domain_;
};

}  // namespace parcours::http
