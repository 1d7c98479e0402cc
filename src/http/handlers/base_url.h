// This deployment's external base URL, for links given out (invitation
// links, FHIR canonical URLs): the `public-url` setting, else the request's
// scheme (X-Forwarded-Proto) and Host. No trailing slash.
#pragma once

#include <string>

#include "http/handlers/context.h"

namespace parcours::http {

std::string BaseUrl(const WebContext& ctx, const Request& req);

}  // namespace parcours::http
