// Message catalogs: one JSON file per language in data/i18n/<lang>.json, a
// flat object of key → text. Adding a language is adding a file. French is
// the reference: a key missing in another language falls back to French.
// Read-only after Load(): safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace parcours::http {

class Catalogs {
 public:
  static constexpr const char* kDefaultLanguage = "fr";

  static Result<std::unique_ptr<Catalogs>> Load(const std::string& dir);
  // For tests and embedding.
  static Result<std::unique_ptr<Catalogs>> FromJson(
      const std::map<std::string, std::string>& json_by_language);

  bool Has(const std::string& lang) const { return texts_.count(lang) != 0; }
  const std::vector<std::string>& languages() const { return languages_; }
  // Text for key in lang (French fallback, then the key itself).
  std::string Get(const std::string& lang, const std::string& key) const;
  // Every key of lang, with French fallbacks filled in.
  const std::map<std::string, std::string>& All(const std::string& lang) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> texts_;
  std::vector<std::string> languages_;  // "fr" first
};

}  // namespace parcours::http
