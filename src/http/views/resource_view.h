// View model of one directory resource as listed to parents (the search
// page and the nearby help on a screening result).
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <string>

namespace parcours::app {
struct DirectoryItem;
}

namespace parcours::http {

// "2,4 km" with decimal_separator "," (one decimal under 10 km).
std::string FormatKm(double km, const std::string& decimal_separator);
// "0612345678" → "06 12 34 56 78" (non-breaking spaces); others unchanged.
std::string FormatPhone(const std::string& phone);

// One resource as the JSON API gives it, the fields every listing shares:
// id, name, kind, address, postcode, commune, commune_code, phone,
// distance_km (null when unknown, else rounded to 10 m).
boost::json::object ResourceJson(const app::DirectoryItem& item);

// Fields of templates/partial_resource_item.mustache. t: catalog lookup.
boost::json::object ResourceItemView(const app::DirectoryItem& item,
                                     const std::function<std::string(const std::string&)>& t);

}  // namespace parcours::http
