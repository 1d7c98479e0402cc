#include "http/i18n.h"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace parcours::http {

Result<std::unique_ptr<Catalogs>> Catalogs::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    if (it->path().extension() != ".json") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    files[it->path().stem().string()] = ss.str();
  }
  if (ec) return Status::Unavailable("cannot read catalogs in " + dir + ": " + ec.message());
  return FromJson(files);
}

Result<std::unique_ptr<Catalogs>> Catalogs::FromJson(
    const std::map<std::string, std::string>& json_by_language) {
  auto c = std::unique_ptr<Catalogs>(new Catalogs());
  for (const auto& [lang, text] : json_by_language) {
    if (lang.size() < 2 || lang.size() > 8) {
      return Status::InvalidArgument("language", "bad catalog name: " + lang);
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) {
      return Status::InvalidArgument("catalog", "catalog " + lang + " is not a JSON object");
    }
    auto& m = c->texts_[lang];
    for (const auto& [k, val] : v.as_object()) {
      if (!val.is_string()) {
        return Status::InvalidArgument(
            "catalog", "catalog " + lang + ": key " + std::string(k) + " is not a string");
      }
      m[std::string(k)] = std::string(val.as_string());
    }
  }
  if (!c->Has(kDefaultLanguage)) {
    return Status::InvalidArgument("catalog", "the French catalog (fr.json) is required");
  }
  const auto& fr = c->texts_[kDefaultLanguage];
  c->languages_.push_back(kDefaultLanguage);
  for (auto& [lang, m] : c->texts_) {
    if (lang != kDefaultLanguage) c->languages_.push_back(lang);
    for (const auto& [k, v] : fr) m.emplace(k, v);  // fallback, keeps existing
  }
  return c;
}

std::string Catalogs::Get(const std::string& lang, const std::string& key) const {
  auto l = texts_.find(lang);
  if (l == texts_.end()) l = texts_.find(kDefaultLanguage);
  auto it = l->second.find(key);
  if (it != l->second.end()) return it->second;
  return key;
}

const std::map<std::string, std::string>& Catalogs::All(const std::string& lang) const {
  auto l = texts_.find(lang);
  if (l == texts_.end()) l = texts_.find(kDefaultLanguage);
  return l->second;
}

}  // namespace parcours::http
