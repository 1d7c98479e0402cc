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

// An entry of the main navigation. At most one entry is current: `page`
// when the current page is the entry's own page (aria-current="page"),
// `section` when it is a page under it (aria-current="true").
struct NavLink {
  std::string label;
  std::string href;
  bool current_page = false;
  bool current_section = false;
};

// The main navigation (home, understanding, screening, finding help) for a
// page at `path` (without language prefix, e.g. "/comprendre/signes") in the
// language whose URL prefix is `prefix`. `label(key)` gives catalog texts.
template <typename LabelFn>
std::vector<NavLink> MainNavigation(const std::string& prefix, const std::string& path,
                                    LabelFn label);

struct LayoutView {
  std::string lang;
  std::string title;
  std::string prefix;  // "" for French, "/en" for English...
  std::string dsfr_css_url;
  std::string app_css_url;
  std::string dsfr_prefix;
  std::vector<LanguageLink> languages;
  std::vector<NavLink> nav;
  bool parent_page = true;  // shows the quick-exit link
  bool demo = false;        // demo data loaded: the "Démonstration / Demo" notice
  // The quick exit goes through the server (/sortie, which invalidates the
  // result page it names), then to a neutral site; the script makes it
  // replace the current history entry.
  std::string quick_exit_href;
  std::string quick_exit_js_url;
  // A page's own script (progressive enhancement; the page works without
  // it), e.g. the live inbox. Empty: none.
  std::string page_js_url;
  std::string content_html;  // the rendered page body

  boost::json::value ToJson() const;
};

// Paths of the navigation entries, in order, with their catalog keys.
struct NavEntry {
  const char* path;  // "/" or "/section"
  const char* label_key;
};
inline constexpr NavEntry kMainNavigation[] = {
    {"/", "info_nav_home"},
    {"/comprendre", "info_nav_understand"},
    {"/depistage", "info_nav_screening"},
    {"/trouver-de-l-aide", "info_nav_help"},
};

// True when `path` is `section` or a page under it ("/trouver-de-l-aide/x" is under
// "/trouver-de-l-aide", "/aidez" is not). The home page "/" has no pages under it.
bool InSection(const std::string& path, const std::string& section);

template <typename LabelFn>
std::vector<NavLink> MainNavigation(const std::string& prefix, const std::string& path,
                                    LabelFn label) {
  std::vector<NavLink> out;
  for (const NavEntry& e : kMainNavigation) {
    NavLink link;
    link.label = label(e.label_key);
    std::string entry = e.path;
    link.href = entry == "/" ? (prefix.empty() ? "/" : prefix) : prefix + entry;
    link.current_page = path == entry;
    link.current_section = !link.current_page && entry != "/" && InSection(path, entry);
    out.push_back(std::move(link));
  }
  return out;
}

}  // namespace parcours::http
