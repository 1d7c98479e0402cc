// Pages for parents that only show texts: home, information on post-partum
// depression ("Comprendre"), accessibility statement, personal data & legal.
#include <boost/json.hpp>
#include <string>

#include "app/pathway_config.h"
#include "http/handlers/context.h"
#include "http/views/screening_views.h"

namespace parcours::http {
namespace {

struct StaticPage {
  const char* slug;  // "" for the home page; French slugs in every language
  const char* tmpl;
  const char* title_key;
  bool info = false;  // part of "Comprendre": gets the topics in its view
};

// The topics of "Comprendre", in reading order. Each has a page whose title
// and one-line summary (for the index) come from the catalog.
struct InfoTopic {
  const char* slug;
  const char* title_key;
  const char* summary_key;
};

constexpr const char* kInfoIndexSlug = "comprendre";

constexpr InfoTopic kInfoTopics[] = {
    {"comprendre/baby-blues-ou-depression", "info_blues_title", "info_blues_summary"},
    {"comprendre/signes", "info_signs_title", "info_signs_summary"},
    {"comprendre/se-faire-aider", "info_care_title", "info_care_summary"},
    {"comprendre/ressources", "info_resources_title", "info_resources_summary"},
};

constexpr StaticPage kPages[] = {
    {"", "home", "home_title"},
    {kInfoIndexSlug, "info_index", "info_index_title", true},
    {"comprendre/baby-blues-ou-depression", "info_blues", "info_blues_title", true},
    {"comprendre/signes", "info_signs", "info_signs_title", true},
    {"comprendre/se-faire-aider", "info_care", "info_care_title", true},
    {"comprendre/ressources", "info_resources", "info_resources_title", true},
    {"accessibilite", "accessibility", "accessibility_title"},
    {"confidentialite", "privacy", "privacy_title"},
};

// View of an information page: every topic (the index lists them) and the
// topics other than the current one (each topic page links to them).
boost::json::object InfoView(const WebContext& ctx, const std::string& lang,
                             const std::string& slug) {
  const std::string prefix = WebContext::Prefix(lang);
  boost::json::array topics;
  boost::json::array others;
  for (const InfoTopic& t : kInfoTopics) {
    boost::json::object o;
    o["href"] = prefix + "/" + t.slug;
    o["title"] = ctx.catalogs->Get(lang, t.title_key);
    o["summary"] = ctx.catalogs->Get(lang, t.summary_key);
    if (slug != t.slug) others.push_back(o);
    topics.push_back(std::move(o));
  }
  boost::json::object view;
  view["topics"] = std::move(topics);
  view["other_topics"] = std::move(others);
  view["index_href"] = prefix + "/" + kInfoIndexSlug;
  view["screening_href"] = prefix + "/depistage";
  view["help_href"] = prefix + "/trouver-de-l-aide";
  // Annex-1A pages (data/content/official_pages.json): link text = title.
  boost::json::array pages;
  for (const auto& p : ctx.pathway->official_pages()) {
    pages.push_back(
        {{"title", p.title}, {"url", p.url}, {"site", p.site}, {"language", p.language}});
  }
  view["has_official_pages"] = !pages.empty();
  view["official_pages"] = std::move(pages);
  return view;
}

}  // namespace

void RegisterPageRoutes(Router& r, WebContext& ctx) {
  for (const StaticPage& p : kPages) {
    AddPage(
        r, ctx, "GET", "/" + std::string(p.slug), [&ctx, p](Request& req, const std::string& lang) {
          boost::json::object view = p.info ? InfoView(ctx, lang, p.slug) : boost::json::object();
          // The retention periods in force (settings), never a fixed text.
          if (std::string_view(p.tmpl) == "privacy") {
            const PageTexts t(*ctx.catalogs, lang, WebContext::Prefix(lang));
            view["retention"] =
                t.Fill("privacy_retention",
                       {{"alert_days", std::to_string(ctx.options.retention_alert_contact_days)},
                        {"reminder_days", std::to_string(ctx.options.retention_reminder_days)},
                        {"outbox_days", std::to_string(ctx.options.retention_outbox_days)}});
          }
          return ctx.Page(req, lang, p.tmpl, p.title_key, std::move(view));
        });
  }
}

}  // namespace parcours::http
