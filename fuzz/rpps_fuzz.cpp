// libFuzzer target: arbitrary bytes through the RPPS extract reader, with and
// without the real header in front, fed in chunks whose size the input
// chooses. Checks the reader's accounting, never trusts the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/directory/rpps_parser.h"
#include "domain/text/encoding.h"
#include "domain/text/line_stream.h"

namespace {

constexpr std::string_view kHeader =
    "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|"
    "Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|"
    "Code profession|Libellé profession|Code catégorie professionnelle|"
    "Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|"
    "Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|"
    "Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|"
    "Numéro FINESS établissement juridique|Identifiant technique de la structure|"
    "Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|"
    "Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|"
    "Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|"
    "Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|"
    "Mention distribution (coord. structure)|Bureau cedex (coord. structure)|"
    "Code postal (coord. structure)|Code commune (coord. structure)|"
    "Libellé commune (coord. structure)|Code pays (coord. structure)|"
    "Libellé pays (coord. structure)|Téléphone (coord. structure)|"
    "Téléphone 2 (coord. structure)|Télécopie (coord. structure)|"
    "Adresse e-mail (coord. structure)|Code Département (structure)|"
    "Libellé Département (structure)|Ancien identifiant de la structure|"
    "Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|"
    "Code section tableau pharmaciens|Libellé section tableau pharmaciens|Code rôle|"
    "Libellé rôle|Code genre activité|Libellé genre activité|\n";

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool with_header = (data[0] & 1) != 0;
  const std::size_t chunk = 1 + (data[0] >> 1);
  std::string input(with_header ? kHeader : std::string_view());
  input.append(reinterpret_cast<const char*>(data) + 1, size - 1);

  using parcours::domain::RppsActivity;
  std::int64_t activities = 0;
  std::int64_t errors = 0;
  parcours::domain::RppsReader reader(
      [&](const RppsActivity& a) {
        ++activities;
        Check(!a.national_id.empty() && !a.structure_id.empty());
        Check(a.key == a.national_id + "/" + a.structure_id);
        Check(parcours::domain::IsValidUtf8(a.last_name));
        Check(a.commune_code.empty() || a.commune_code.size() == 5);
      },
      [&](const parcours::domain::LineError& e) {
        ++errors;
        Check(e.line_number >= 1 && !e.reason.empty());
        Check(parcours::domain::IsValidUtf8(e.reason));
      });
  parcours::domain::LineStream stream(&reader, {.max_line_bytes = 4096, .sample_bytes = 256});
  const std::string_view all(input);
  for (std::size_t i = 0; i < all.size(); i += chunk) stream.Feed(all.substr(i, chunk));
  stream.Finish();

  const auto& counts = reader.counts();
  Check(counts.records == activities && counts.errors == errors);
  Check(counts.lines == stream.lines());
  if (reader.status().ok()) {
    // Every line after the header is a record, a skip or an error (blank
    // lines before the header count in lines only).
    Check(counts.records + counts.skipped + counts.errors <= counts.lines - 1);
  } else {
    Check(counts.records == 0);
  }
  return 0;
}
