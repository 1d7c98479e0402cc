// The chart and its data table carry the same values: the SVG's circles are
// read back (their height turned into a score) and compared with the points
// the table is made from.
#include "http/views/score_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

namespace parcours::http {
namespace {

struct Read {
  double x, y;
  std::string label;
};

std::vector<Read> Circles(const std::string& svg) {
  std::vector<Read> out;
  static const std::regex kCircle(
      "<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\" r=\"4\"/><text [^>]*>([0-9]+)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kCircle);
       it != std::sregex_iterator(); ++it) {
    out.push_back({std::stod((*it)[1]), std::stod((*it)[2]), (*it)[3]});
  }
  return out;
}

int ScoreAt(double y) {
  using G = ChartGeometry;
  const double h = G::kHeight - G::kTop - G::kBottom;
  return static_cast<int>(std::lround(30 - (y - G::kTop) * 30 / h));
}

TEST(ScoreChart, PointsAndTableAgree) {
  const std::vector<ChartPoint> points = {{1754300000000, "2025-08-04", 14, "probable"},
                                          {1756000000000, "2025-08-24", 9, "watch"},
                                          {1757000000000, "2025-09-04", 0, "low"},
                                          {1758000000000, "2025-09-16", 30, "probable"}};
  ChartScale scale;
  scale.cutoffs = {{9, "à surveiller"}, {11, "possible"}, {13, "probable"}};
  const std::string svg = RenderScoreChartSvg(points, scale, "g", "Scores", "Desc <&>");
  const auto circles = Circles(svg);
  ASSERT_EQ(circles.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    EXPECT_EQ(ScoreAt(circles[i].y), points[i].score) << i;
    EXPECT_EQ(circles[i].label, std::to_string(points[i].score)) << i;
    if (i > 0) {
      EXPECT_GT(circles[i].x, circles[i - 1].x) << "time runs left to right";
    }
  }
  // Accessible: an image with its title and description; text escaped.
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"g-title g-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"g-desc\">Desc &lt;&amp;&gt;</desc>"), std::string::npos);
  EXPECT_NE(svg.find("à surveiller (9)"), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos);
}

TEST(ScoreChart, OnePointSitsInTheMiddle) {
  const std::vector<ChartPoint> one = {{1754300000000, "2025-08-04", 12, "possible"}};
  const auto circles = Circles(RenderScoreChartSvg(one, ChartScale{}, "g", "t", "d"));
  ASSERT_EQ(circles.size(), 1u);
  using G = ChartGeometry;
  EXPECT_DOUBLE_EQ(circles[0].x, G::kLeft + (G::kWidth - G::kLeft - G::kRight) / 2.0);
  EXPECT_EQ(ScoreAt(circles[0].y), 12);
}

}  // namespace
}  // namespace parcours::http
