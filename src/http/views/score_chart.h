// The score chart of a follow-up record: a server-rendered SVG (no script,
// role="img" with <title> and <desc>) and a data table for screen readers,
// both built from the same points so they always carry the same values
// (tests/unit/http/score_chart_test.cpp reads the SVG back and compares).
#pragma once

#include <string>
#include <vector>

#include "domain/common/types.h"

namespace parcours::http {

struct ChartPoint {
  domain::TimestampMs at = 0;
  std::string date;  // as shown (e.g. "2026-11-29")
  int score = 0;
  std::string band;  // shown label
};

struct ChartScale {
  int max_score = 30;
  // Cut-offs drawn as dashed lines (score >= value is that band), with labels.
  std::vector<std::pair<int, std::string>> cutoffs;
};

struct ChartGeometry {
  static constexpr int kWidth = 640;
  static constexpr int kHeight = 240;
  static constexpr int kLeft = 40;
  static constexpr int kRight = 16;
  static constexpr int kTop = 16;
  static constexpr int kBottom = 32;
  // Pixel position of a point; x by time (one point: the middle).
  static double X(const std::vector<ChartPoint>& points, std::size_t i);
  static double Y(int score, int max_score);
};

// `title` and `desc` are plain text (escaped here); `id` prefixes the ids
// of title and desc (unique in the page).
std::string RenderScoreChartSvg(const std::vector<ChartPoint>& points, const ChartScale& scale,
                                const std::string& id, const std::string& title,
                                const std::string& desc);

}  // namespace parcours::http
