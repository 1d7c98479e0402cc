// Reads the JSON body of POST /api/v1/consultations into the use case's
// typed input. A field of the wrong JSON type, an unknown field or an
// identifier that is not one of its type is recorded in `unreadable` (with
// its field name) and read as absent; whether a value is acceptable is the
// use case's to say. Never fails, whatever the body (fuzz/consultation_fuzz.cpp).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "app/consultation/consultation_service.h"

namespace parcours::http {

// instrument defaults to "epds", language to `session_language`.
app::ConsultationInput ReadConsultationJson(const boost::json::object& o,
                                            std::string_view session_language);

}  // namespace parcours::http
