#include "http/views/mail_renderer.h"

#include <boost/json.hpp>

#include "http/i18n.h"
#include "http/views/renderer.h"

namespace parcours::http {
namespace {

// Trims the blank lines a template's sections leave around the text.
std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::size_t start = s.find_first_not_of("\n ");
  return start == std::string::npos ? std::string() : s.substr(start);
}

}  // namespace

MailRenderer::~MailRenderer() = default;

Result<std::unique_ptr<MailRenderer>> MailRenderer::Load(const std::string& share_dir,
                                                         std::string public_url,
                                                         std::string mail_domain) {
  auto m = std::unique_ptr<MailRenderer>(new MailRenderer());
  auto catalogs = Catalogs::Load(share_dir + "/data/i18n");
  if (!catalogs.ok()) return catalogs.status();
  m->catalogs_ = std::move(*catalogs);
  auto renderer = Renderer::Load(share_dir + "/templates/mail", *m->catalogs_);
  if (!renderer.ok()) return renderer.status();
  m->renderer_ = std::move(*renderer);
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  m->public_url_ = std::move(public_url);
  m->mail_domain_ = mail_domain.empty() ? "parcours.invalid" : std::move(mail_domain);
  return m;
}

namespace {

boost::json::object View(const app::MessagePayload& p, const std::string& public_url,
                         const std::string& lang) {
  boost::json::object view;
  view["lang"] = lang;
  for (const auto& [k, v] : p.vars) view[k] = v;
  if (auto it = p.vars.find("path"); it != p.vars.end()) view["link"] = public_url + it->second;
  if (!p.unsubscribe_url.empty()) view["unsubscribe_url"] = p.unsubscribe_url;
  return view;
}

std::string Language(const Catalogs& c, const std::string& lang) {
  return c.Has(lang) ? lang : Catalogs::kDefaultLanguage;
}

}  // namespace

Result<app::RenderedEmail> MailRenderer::RenderEmail(const app::MessagePayload& p,
                                                     const std::string& message_id) const {
  const std::string lang = Language(*catalogs_, p.language);
  const boost::json::value view = View(p, public_url_, lang);
  auto text = renderer_->Render(p.template_name + ".txt", lang, view);
  if (!text.ok()) return text.status();
  auto html = renderer_->Render(p.template_name + ".html", lang, view);
  if (!html.ok()) return html.status();
  app::RenderedEmail e;
  e.to = p.to;
  e.subject = catalogs_->Get(lang, "mail_" + p.template_name + "_subject");
  e.text = Trimmed(std::move(*text)) + "\n";
  e.html = std::move(*html);
  e.message_id = message_id + "@" + mail_domain_;
  e.unsubscribe_url = p.unsubscribe_url;
  e.language = lang;
  return e;
}

Result<app::RenderedSms> MailRenderer::RenderSms(const app::MessagePayload& p,
                                                 const std::string& message_id) const {
  const std::string lang = Language(*catalogs_, p.language);
  auto text = renderer_->Render(p.template_name + ".sms", lang, View(p, public_url_, lang));
  if (!text.ok()) return text.status();
  return app::RenderedSms{p.to, Trimmed(std::move(*text)), message_id};
}

}  // namespace parcours::http
