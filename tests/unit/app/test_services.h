// What the use-case tests build their services from: the pathway
// configuration as shipped (data/) or from a directory, and a sealer of a
// fixed key. gtest assertions inside: a failure ends the calling SetUp with
// a null pointer, which the caller ASSERTs.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "app/crypto/sealer.h"
#include "app/pathway_config.h"

namespace parcours::app::testing {

inline std::unique_ptr<PathwayConfig> LoadPathway(const std::string& dir = PARCOURS_SOURCE_DIR) {
  auto config = PathwayConfig::Load(dir);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  if (!config.ok()) return nullptr;
  return std::make_unique<PathwayConfig>(std::move(*config));
}

inline std::unique_ptr<Sealer> SealerOf(std::string_view hex_key) {
  auto sealer = Sealer::FromHex(hex_key);
  EXPECT_TRUE(sealer.ok()) << sealer.status().ToString();
  if (!sealer.ok()) return nullptr;
  return std::make_unique<Sealer>(std::move(*sealer));
}

}  // namespace parcours::app::testing
