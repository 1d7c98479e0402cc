#include "http/views/page_view.h"

#include <boost/json.hpp>

namespace parcours::http {

bool InSection(const std::string& path, const std::string& section) {
  if (section == "/") return path == "/";
  return path == section || (path.starts_with(section) && path[section.size()] == '/');
}

boost::json::value LayoutView::ToJson() const {
  boost::json::object o;
  o["lang"] = lang;
  o["title"] = title;
  o["prefix"] = prefix;
  o["home_href"] = prefix.empty() ? "/" : prefix;
  o["dsfr_css_url"] = dsfr_css_url;
  o["app_css_url"] = app_css_url;
  o["dsfr_prefix"] = dsfr_prefix;
  boost::json::array langs;
  for (const auto& l : languages) {
    langs.push_back(
        {{"code", l.code}, {"label", l.label}, {"href", l.href}, {"current", l.current}});
  }
  o["has_languages"] = !langs.empty();
  o["languages"] = std::move(langs);
  boost::json::array nav_links;
  for (const auto& n : nav) {
    nav_links.push_back({{"label", n.label},
                         {"href", n.href},
                         {"current_page", n.current_page},
                         {"current_section", n.current_section}});
  }
  o["has_nav"] = !nav_links.empty();
  o["nav"] = std::move(nav_links);
  o["parent_page"] = parent_page;
  o["demo"] = demo;
  o["quick_exit_href"] = quick_exit_href;
  o["quick_exit_js_url"] = quick_exit_js_url;
  o["has_page_js"] = !page_js_url.empty();
  o["page_js_url"] = page_js_url;
  o["content"] = content_html;
  return o;
}

}  // namespace parcours::http
