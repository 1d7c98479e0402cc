// A directory resource: a professional (one activity: a person at a
// structure) or a structure the pathway can send a parent to, with the
// fields a project lead keeps by hand and the rules that validate them.
//
// Field names (SetField, FieldNames, manual_fields in storage) are the API
// and CLI identifiers:
//   kind levels name organisation address postcode commune latitude
//   longitude phone email website opening_notes accepts_fathers
//   teleconsultation mon_soutien_psy languages rpps finess siret
// "latitude"/"longitude" both edit `position` (the field "position").
//
// Imports own a subset of the fields (ImportedFields); a field a project
// lead edited by hand is never overwritten by a re-import (MergeImport).
// Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/contact.h"  // NormalisePhone, IsEmail: phone and e-mail fields
#include "domain/directory/care_level_set.h"
#include "domain/directory/resource_kind.h"
#include "domain/geo/lat_lon.h"

namespace parcours::domain {

struct Resource {
  ResourceKind kind = ResourceKind::kGeneralPractitioner;
  CareLevelSet levels;
  std::string name;                // person ("Dr Jeanne Martin") or structure name
  std::string organisation;        // a person's structure, empty for a structure
  std::string address;             // one line: "12 rue des Lilas, BP 12"
  std::string postcode;            // 5 digits, the commune's (never a CEDEX code)
  std::string commune_code;        // INSEE, arrondissements mapped to their commune
  std::optional<LatLon> position;  // own coordinates; none: the commune's centroid is used
  std::string phone;               // digits, "0596748677", or a short number "3114"
  std::string email;
  std::string website;  // http(s) URL
  std::string opening_notes;
  bool accepts_fathers = false;
  bool teleconsultation = false;
  bool mon_soutien_psy = false;
  std::vector<std::string> languages;  // ISO 639-1, lower case, sorted, unique
  std::string rpps;                    // Identification nationale PP (11 or 12 digits)
  std::string finess;                  // 9 characters
  std::string siret;                   // 14 digits

  bool operator==(const Resource&) const = default;
};

struct FieldError {
  std::string field;
  std::string reason;  // English, for the CLI and the API

  bool operator==(const FieldError&) const = default;
};

// Every editable field name, in the order above (with "position" standing
// for latitude+longitude).
const std::vector<std::string_view>& FieldNames();

// Fields an import fills: kind levels name organisation address postcode
// commune position phone email rpps finess siret.
const std::vector<std::string_view>& ImportedFields();
bool IsImportedField(std::string_view field);

// Sets one field from its text form (CLI "field=value", form input), after
// normalising it (trimmed; phone without spaces/dots; levels and languages
// as comma lists; booleans "yes/no/true/false/1/0/oui/non"). An empty value
// clears an optional field. Returns the error and leaves *r unchanged when
// the value is invalid. "latitude" and "longitude" set one coordinate of
// position each: a position with only one of them set is reported by
// Validate. `partial_lat`/`partial_lon` keep the half-set coordinate
// between calls (pass the same pair for one edit).
std::optional<FieldError> SetField(Resource* r, std::string_view field, std::string_view value,
                                   std::optional<double>* partial_lat,
                                   std::optional<double>* partial_lon);

// Whole-record rules: name, levels, commune code and postcode are required;
// postcode/commune must agree on their department (overseas: 972xx ->
// 972xx); coordinates valid. Empty when valid.
std::vector<FieldError> Validate(const Resource& r);

// The names of the fields whose values differ between a and b.
std::vector<std::string> ChangedFields(const Resource& a, const Resource& b);

// `existing` with every imported field taken from `imported`, except those
// named in `manual_fields` (edited by hand).
Resource MergeImport(const Resource& existing, const Resource& imported,
                     const std::vector<std::string>& manual_fields);

// A stable 64-bit fingerprint (FNV-1a) of the imported fields, so an
// unchanged row of a re-import costs no write. Hex, 16 characters.
std::string ImportFingerprint(const Resource& r);

// Text form of a field's value, as SetField reads it back ("" when unset).
std::string FieldValue(const Resource& r, std::string_view field);

}  // namespace parcours::domain
