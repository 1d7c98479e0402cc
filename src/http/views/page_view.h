// View models of the page layout. Plain structs turned into JSON for the
// logic-less templates; everything shown is decided here, not in templates.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace parcours::http {

struct LanguageLink {
  std::string code;   // "fr"
  std::string label;  // "Français"
  std::string href;   // same page in that language
  bool current = false;
};

struct LayoutView {
  std::string lang;
  std::string title;
  std::string prefix;  // "" for French, "/en" for English...
  std::string dsfr_css_url;
  std::string app_css_url;
  std::string dsfr_prefix;
  std::vector<LanguageLink> languages;
  bool parent_page = true;   // shows the quick-exit link
  std::string content_html;  // the rendered page body

  boost::json::value ToJson(const boost::json::value& catalog) const;
};

}  // namespace parcours::http
