#include "http/views/resource_view.h"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>

#include "app/directory/directory_search.h"

namespace parcours::http {

std::string FormatKm(double km, const std::string& decimal_separator) {
  char buf[32];
  std::snprintf(buf, sizeof buf, km < 10 ? "%.1f" : "%.0f", km);
  std::string s = buf;
  if (auto dot = s.find('.'); dot != std::string::npos) s.replace(dot, 1, decimal_separator);
  return s + "\u00a0km";
}

std::string FormatPhone(const std::string& p) {
  if (p.size() != 10) return p;
  std::string out;
  for (std::size_t i = 0; i < p.size(); i += 2) {
    if (i) out += "\u00a0";
    out += p.substr(i, 2);
  }
  return out;
}

boost::json::object ResourceJson(const app::DirectoryItem& it) {
  const auto& x = it.record.resource;
  boost::json::object o;
  o["id"] = it.record.id;
  o["name"] = x.name;
  o["kind"] = domain::ToString(x.kind);
  o["address"] = x.address;
  o["postcode"] = x.postcode;
  o["commune"] = it.commune_name;
  o["commune_code"] = x.commune_code;
  o["phone"] = x.phone;
  o["distance_km"] = it.distance_km ? boost::json::value(std::round(*it.distance_km * 100) / 100)
                                    : boost::json::value(nullptr);
  return o;
}

boost::json::object ResourceItemView(const app::DirectoryItem& it,
                                     const std::function<std::string(const std::string&)>& t) {
  const auto& x = it.record.resource;
  boost::json::object o;
  o["name"] = x.name;
  o["kind"] = t("dir_kind_" + std::string(domain::ToString(x.kind)));
  std::string lv;
  for (auto l : x.levels.ToVector()) {
    lv += (lv.empty() ? "" : ", ") + t("dir_level_" + std::string(domain::ToString(l)));
  }
  o["levels"] = lv;
  if (!x.organisation.empty()) o["organisation"] = x.organisation;
  if (!x.address.empty()) o["address"] = x.address;
  o["place"] = x.postcode + " " + it.commune_name;
  if (it.distance_km) o["distance"] = FormatKm(*it.distance_km, t("decimal_separator"));
  if (!x.phone.empty()) {
    o["phone"] = FormatPhone(x.phone);
    o["phone_href"] = "tel:" + x.phone;
  }
  if (!x.email.empty()) o["email"] = x.email;
  if (!x.website.empty()) o["website"] = x.website;
  if (!x.opening_notes.empty()) o["opening_notes"] = x.opening_notes;
  o["accepts_fathers"] = x.accepts_fathers;
  o["teleconsultation"] = x.teleconsultation;
  o["mon_soutien_psy"] = x.mon_soutien_psy;
  return o;
}

}  // namespace parcours::http
