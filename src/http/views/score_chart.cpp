#include "http/views/score_chart.h"

#include <cstdio>
#include <initializer_list>
#include <string_view>

#include "core/html.h"

namespace parcours::http {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

double ChartGeometry::X(const std::vector<ChartPoint>& points, std::size_t i) {
  const double w = kWidth - kLeft - kRight;
  if (points.size() < 2 || points.back().at == points.front().at) {
    return points.size() < 2
               ? kLeft + w / 2
               : kLeft + w * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  }
  const double span = static_cast<double>(points.back().at - points.front().at);
  return kLeft + w * static_cast<double>(points[i].at - points.front().at) / span;
}

double ChartGeometry::Y(int score, int max_score) {
  const double h = kHeight - kTop - kBottom;
  return kTop + h * static_cast<double>(max_score - score) / static_cast<double>(max_score);
}

std::string RenderScoreChartSvg(const std::vector<ChartPoint>& points, const ChartScale& scale,
                                const std::string& id, const std::string& title,
                                const std::string& desc) {
  using G = ChartGeometry;
  const int w = G::kWidth, h = G::kHeight;
  const int top = scale.max_score;
  std::string s;
  // Appends its parts: no temporary strings.
  auto add = [&s](std::initializer_list<std::string_view> parts) {
    for (std::string_view p : parts) s.append(p);
  };
  const std::string width = std::to_string(w), height = std::to_string(h);
  s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"score-chart\"";
  add({" viewBox=\"0 0 ", width, " ", height, "\" aria-labelledby=\"", id, "-title ", id,
       "-desc\">"});
  add({"<title id=\"", id, "-title\">", EscapeHtml(title), "</title>"});
  add({"<desc id=\"", id, "-desc\">", EscapeHtml(desc), "</desc>"});
  // Axes: 0 and the maximum score.
  const std::string left = std::to_string(G::kLeft), right = std::to_string(w - G::kRight);
  const std::string y0 = Num(G::Y(0, top)), ytop = Num(G::Y(top, top));
  add({"<g class=\"axes\" stroke=\"#666666\" stroke-width=\"1\">"});
  add({"<line x1=\"", left, "\" y1=\"", y0, "\" x2=\"", right, "\" y2=\"", y0, "\"/>"});
  add({"<line x1=\"", left, "\" y1=\"", ytop, "\" x2=\"", left, "\" y2=\"", y0, "\"/></g>"});
  add({"<g class=\"labels\" font-size=\"11\" fill=\"#3a3a3a\">"});
  const std::string label_x = std::to_string(G::kLeft - 6);
  for (int v : {0, top}) {
    add({"<text x=\"", label_x, "\" y=\"", Num(G::Y(v, top) + 4), "\" text-anchor=\"end\">",
         std::to_string(v), "</text>"});
  }
  add({"</g>"});
  // Band cut-offs, dashed.
  add(
      {"<g class=\"cutoffs\" stroke=\"#b34000\" stroke-width=\"1\" stroke-dasharray=\"4 4\" "
       "font-size=\"11\" fill=\"#b34000\">"});
  for (const auto& [value, label] : scale.cutoffs) {
    const std::string y = Num(G::Y(value, top));
    add({"<line x1=\"", left, "\" y1=\"", y, "\" x2=\"", right, "\" y2=\"", y, "\"/>"});
    add({"<text x=\"", right, "\" y=\"", Num(G::Y(value, top) - 3),
         "\" text-anchor=\"end\" stroke=\"none\">", EscapeHtml(label), " (", std::to_string(value),
         ")</text>"});
  }
  add({"</g>"});
  // The scores: a line, then one circle per screening.
  if (points.size() > 1) {
    add(
        {"<polyline class=\"scores\" fill=\"none\" stroke=\"#000091\" stroke-width=\"2\" "
         "points=\""});
    for (std::size_t i = 0; i < points.size(); ++i) {
      add({i ? " " : "", Num(G::X(points, i)), ",", Num(G::Y(points[i].score, top))});
    }
    add({"\"/>"});
  }
  add({"<g class=\"points\" fill=\"#000091\" font-size=\"11\">"});
  const std::string date_y = std::to_string(h - 10);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string x = Num(G::X(points, i)), y = Num(G::Y(points[i].score, top));
    add({"<circle cx=\"", x, "\" cy=\"", y, "\" r=\"4\"/>"});
    add({"<text x=\"", x, "\" y=\"", Num(G::Y(points[i].score, top) - 8),
         "\" text-anchor=\"middle\">", std::to_string(points[i].score), "</text>"});
    // Dates at the edges stay inside the image.
    const char* anchor = points.size() < 2        ? "middle"
                         : i == 0                 ? "start"
                         : i + 1 == points.size() ? "end"
                                                  : "middle";
    add({"<text x=\"", x, "\" y=\"", date_y, "\" text-anchor=\"", anchor, "\" fill=\"#3a3a3a\">",
         EscapeHtml(points[i].date), "</text>"});
  }
  add({"</g></svg>"});
  return s;
}

}  // namespace parcours::http
