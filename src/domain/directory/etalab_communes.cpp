#include "domain/directory/etalab_communes.h"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/directory/commune_code.h"

namespace parcours::domain {
namespace {

std::string_view Str(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  const auto& s = it->value().get_string();
  return {s.data(), s.size()};
}

bool FiveDigits(std::string_view s) {
  return s.size() == 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Status ReadEtalabCommunes(std::string_view json,
                          const std::function<void(const Commune&)>& on_commune,
                          const std::function<void(const LineError&)>& on_error,
                          ImportCounts* counts) {
  ImportCounts local;
  ImportCounts& n = counts ? *counts : local;
  boost::system::error_code ec;
  boost::json::parse_options opt;
  opt.max_depth = 8;
  boost::json::value doc = boost::json::parse(json, ec, {}, opt);
  if (ec) return Status::InvalidArgument("file", "not a JSON document: " + ec.message());
  if (!doc.is_array()) return Status::InvalidArgument("file", "expected a JSON array of communes");
  std::int64_t index = 0;
  Commune c;
  for (const auto& v : doc.get_array()) {
    ++index;
    ++n.lines;
    auto error = [&](std::string reason) {
      ++n.errors;
      if (on_error) on_error(LineError{index, std::move(reason)});
    };
    if (!v.is_object()) {
      error("entry is not an object");
      continue;
    }
    const auto& o = v.get_object();
    if (Str(o, "type") != "commune-actuelle") {
      ++n.skipped;
      continue;
    }
    std::string_view code = Str(o, "code");
    if (!IsWellFormedCommuneCode(code)) {
      error(DescribeValue("malformed commune code", code));
      continue;
    }
    c.insee_code = std::string(code);
    c.name = std::string(Str(o, "nom"));
    c.department_code = std::string(Str(o, "departement"));
    c.region_code = std::string(Str(o, "region"));
    if (c.name.empty() || c.department_code.empty()) {
      error("commune " + c.insee_code + ": empty name or department");
      continue;
    }
    c.postcodes.clear();
    bool bad = false;
    if (auto it = o.find("codesPostaux"); it != o.end() && it->value().is_array()) {
      for (const auto& p : it->value().get_array()) {
        std::string_view pc = p.is_string() ? std::string_view(p.get_string()) : std::string_view();
        if (!FiveDigits(pc)) {
          error("commune " + c.insee_code + ": " + DescribeValue("malformed postcode", pc));
          bad = true;
          break;
        }
        c.postcodes.emplace_back(pc);
      }
    }
    if (bad) continue;
    std::sort(c.postcodes.begin(), c.postcodes.end());
    c.postcodes.erase(std::unique(c.postcodes.begin(), c.postcodes.end()), c.postcodes.end());
    c.centroid.reset();
    c.population.reset();
    if (auto it = o.find("population"); it != o.end() && it->value().is_int64()) {
      c.population = it->value().get_int64();
    }
    ++n.records;
    if (on_commune) on_commune(c);
  }
  return Status::Ok();
}

}  // namespace parcours::domain
