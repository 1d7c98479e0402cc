#include "domain/pathway/consultation.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/common/json_document.h"

namespace parcours::domain {
namespace {

namespace json = boost::json;

struct ContextName {
  ConsultationContext context;
  std::string_view name;
};

constexpr ContextName kContexts[] = {
    {ConsultationContext::kEpp, "epp"},
    {ConsultationContext::kEpnp, "epnp"},
    {ConsultationContext::kReferentMidwife, "referent_midwife"},
    {ConsultationContext::kPaediatric, "paediatric"},
    {ConsultationContext::kGp, "gp"},
    {ConsultationContext::kOther, "other"},
};

bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::string_view ToString(ConsultationContext c) {
  for (const auto& n : kContexts) {
    if (n.context == c) return n.name;
  }
  return "other";
}

std::optional<ConsultationContext> ParseConsultationContext(std::string_view s) {
  for (const auto& n : kContexts) {
    if (n.name == s) return n.context;
  }
  return std::nullopt;
}

const std::vector<ConsultationContext>& AllConsultationContexts() {
  static const std::vector<ConsultationContext> kAll = [] {
    std::vector<ConsultationContext> v;
    for (const auto& n : kContexts) v.push_back(n.context);
    return v;
  }();
  return kAll;
}

Result<VulnerabilityFactors> VulnerabilityFactors::Parse(std::string_view text) {
  auto root = ParseJsonDocument(text, "vulnerability factors");
  if (!root.ok()) return root.status();
  const json::value* list = root->if_contains("factors");
  if (list == nullptr || !list->is_array() || list->as_array().empty()) {
    return Status::InvalidArgument("factors", "factors: must be a non-empty list");
  }
  VulnerabilityFactors out;
  const json::array& a = list->as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string path = "factors[" + std::to_string(i) + "]";
    if (!a[i].is_object()) return Status::InvalidArgument(path, path + ": must be an object");
    const json::object& o = a[i].as_object();
    const json::value* code = o.if_contains("code");
    if (code == nullptr || !code->is_string() || !IsCode(code->as_string())) {
      return Status::InvalidArgument(path + ".code", path + ".code: must be a code [a-z0-9_]");
    }
    VulnerabilityFactor f;
    f.code = std::string(code->as_string());
    if (out.Find(f.code) != nullptr) {
      return Status::InvalidArgument(path + ".code", path + ".code: duplicate " + f.code);
    }
    const json::value* label = o.if_contains("label");
    if (label == nullptr || !label->is_object()) {
      return Status::InvalidArgument(path + ".label", path + ".label: must be an object");
    }
    for (const auto& [lang, text_v] : label->as_object()) {
      if (!text_v.is_string() || text_v.as_string().empty()) {
        return Status::InvalidArgument(path + ".label",
                                       path + ".label." + std::string(lang) + ": must be a text");
      }
      f.labels[std::string(lang)] = std::string(text_v.as_string());
    }
    if (!f.labels.contains("fr")) {
      return Status::InvalidArgument(path + ".label", path + ".label: needs a French label");
    }
    out.factors_.push_back(std::move(f));
  }
  return out;
}

const VulnerabilityFactor* VulnerabilityFactors::Find(std::string_view code) const {
  for (const auto& f : factors_) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

std::string VulnerabilityFactors::Label(std::string_view code, const std::string& lang) const {
  const VulnerabilityFactor* f = Find(code);
  if (f == nullptr) return std::string(code);
  auto it = f->labels.find(lang);
  if (it == f->labels.end()) it = f->labels.find("fr");
  return it->second;
}

Result<std::vector<std::string>> VulnerabilityFactors::Check(
    const std::vector<std::string>& codes) const {
  FieldErrors errors;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (Find(codes[i]) == nullptr) {
      errors.Add("vulnerability[" + std::to_string(i) + "]",
                 "unknown vulnerability factor \"" + codes[i].substr(0, 64) + "\"", "unknown");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  std::vector<std::string> out;
  for (const auto& f : factors_) {
    if (std::find(codes.begin(), codes.end(), f.code) != codes.end()) out.push_back(f.code);
  }
  return out;
}

}  // namespace parcours::domain
