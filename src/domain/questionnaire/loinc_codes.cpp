#include "domain/questionnaire/loinc_codes.h"

#include <boost/json.hpp>
#include <charconv>

#include "domain/common/json_document.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

Status Bad(const std::string& path, const std::string& why) {
  return Status::InvalidArgument(path, path + ": " + why);
}

Result<LoincCoding> Coding(const json::value* v, const std::string& path, bool answer) {
  if (v == nullptr || !v->is_object()) return Bad(path, "must be {\"code\", \"display\"}");
  const json::value* code = v->as_object().if_contains("code");
  const json::value* display = v->as_object().if_contains("display");
  if (code == nullptr || !code->is_string() || !IsLoincCode(code->as_string(), answer)) {
    return Bad(path + ".code",
               answer ? "must be a LOINC answer code (LA…-n)" : "must be a LOINC code");
  }
  if (display == nullptr || !display->is_string() || display->as_string().empty()) {
    return Bad(path + ".display", "must be a text");
  }
  return LoincCoding{std::string(code->as_string()), std::string(display->as_string())};
}

}  // namespace

bool IsLoincCode(std::string_view s, bool answer) {
  if (answer) {
    if (!s.starts_with("LA")) return false;
    s.remove_prefix(2);
  }
  const auto dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 7 || dash + 2 != s.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i != dash && (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

Result<LoincCodes> LoincCodes::Parse(std::string_view text, int item_count, int options_per_item) {
  auto root = ParseJsonDocument(text, "LOINC codes");
  if (!root.ok()) return root.status();
  LoincCodes out;
  const json::value* system = root->if_contains("system");
  if (system == nullptr || !system->is_string() || system->as_string() != "http://loinc.org") {
    return Bad("system", "must be \"http://loinc.org\"");
  }
  out.system_ = std::string(system->as_string());
  const json::value* source = root->if_contains("source");
  if (source == nullptr || !source->is_string() || source->as_string().empty()) {
    return Bad("source", "cite where the codes come from");
  }
  out.source_ = std::string(source->as_string());
  auto panel = Coding(root->if_contains("panel"), "panel", false);
  if (!panel.ok()) return panel.status();
  out.panel_ = std::move(*panel);
  const json::value* items = root->if_contains("items");
  if (items == nullptr || !items->is_object()) return Bad("items", "must be an object");
  for (const auto& [key, v] : items->as_object()) {
    const std::string path = "items." + std::string(key);
    int n = 0;
    auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
    if (ec != std::errc() || p != key.data() + key.size() || n < 1 || n > item_count) {
      return Bad(path, "must be an item number from 1 to " + std::to_string(item_count));
    }
    if (!v.is_object()) return Bad(path, "must be an object");
    LoincItemCodes codes;
    if (v.as_object().contains("code")) {
      auto c = Coding(&v, path, false);
      if (!c.ok()) return c.status();
      codes.item = std::move(*c);
    }
    codes.answers.assign(static_cast<std::size_t>(options_per_item), std::nullopt);
    if (const json::value* a = v.as_object().if_contains("answers")) {
      if (!a->is_array() || a->as_array().size() != static_cast<std::size_t>(options_per_item)) {
        return Bad(path + ".answers",
                   "must list " + std::to_string(options_per_item) + " answers (null: none known)");
      }
      for (std::size_t i = 0; i < a->as_array().size(); ++i) {
        const json::value& x = a->as_array()[i];
        if (x.is_null()) continue;
        auto c = Coding(&x, path + ".answers[" + std::to_string(i) + "]", true);
        if (!c.ok()) return c.status();
        codes.answers[i] = std::move(*c);
      }
    }
    out.items_[n] = std::move(codes);
  }
  return out;
}

const LoincItemCodes* LoincCodes::Item(int number) const {
  auto it = items_.find(number);
  return it == items_.end() ? nullptr : &it->second;
}

}  // namespace parcours::domain
