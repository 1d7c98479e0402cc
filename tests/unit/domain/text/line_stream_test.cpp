#include "domain/text/line_stream.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace parcours::domain {
namespace {

struct Recorder final : LineSink {
  std::vector<std::pair<std::int64_t, std::string>> lines;
  std::vector<std::int64_t> overlong;
  void OnLine(std::string_view line, std::int64_t n) override { lines.emplace_back(n, line); }
  void OnOverlongLine(std::int64_t n) override { overlong.push_back(n); }
};

Recorder FeedInChunks(std::string_view bytes, std::size_t chunk, LineStream::Options options = {}) {
  Recorder r;
  LineStream stream(&r, options);
  for (std::size_t i = 0; i < bytes.size(); i += chunk) stream.Feed(bytes.substr(i, chunk));
  stream.Finish();
  return r;
}

TEST(LineStreamTest, SplitsLfAndCrlfAndKeepsALastLineWithoutTerminator) {
  const Recorder r = FeedInChunks("a|b\r\n\nc\nlast", 1000);
  ASSERT_EQ(r.lines.size(), 4u);
  EXPECT_EQ(r.lines[0], (std::pair<std::int64_t, std::string>{1, "a|b"}));
  EXPECT_EQ(r.lines[1], (std::pair<std::int64_t, std::string>{2, ""}));
  EXPECT_EQ(r.lines[2], (std::pair<std::int64_t, std::string>{3, "c"}));
  EXPECT_EQ(r.lines[3], (std::pair<std::int64_t, std::string>{4, "last"}));
}

TEST(LineStreamTest, NoLineAfterAFinalNewline) {
  const Recorder r = FeedInChunks("a\nb\n", 3);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_TRUE(FeedInChunks("", 1).lines.empty());
}

TEST(LineStreamTest, DropsUtf8ByteOrderMark) {
  const Recorder r = FeedInChunks("\xEF\xBB\xBFheader\nrow", 2);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].second, "header");
}

TEST(LineStreamTest, ChunkSizeDoesNotChangeTheLines) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "ligne n°" + std::to_string(i) + "|Hénin|\r\n";
  const Recorder whole = FeedInChunks(text, text.size());
  for (std::size_t chunk : {1u, 2u, 7u, 64u, 4096u}) {
    const Recorder r = FeedInChunks(text, chunk, {.max_line_bytes = 1 << 20, .sample_bytes = 100});
    EXPECT_EQ(r.lines, whole.lines) << "chunk " << chunk;
  }
  EXPECT_EQ(whole.lines.size(), 200u);
}

TEST(LineStreamTest, DetectsLatin1AndConvertsEveryLine) {
  Recorder r;
  LineStream stream(&r);
  stream.Feed("Libell\xE9 profession\n");
  stream.Feed("Sage-Femme|Fort-de-France\nH\xE9nin\n");
  stream.Finish();
  EXPECT_EQ(stream.encoding(), TextEncoding::kLatin1);
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[0].second, "Libellé profession");
  EXPECT_EQ(r.lines[2].second, "Hénin");
}

TEST(LineStreamTest, DetectsUtf8) {
  Recorder r;
  LineStream stream(&r);
  stream.Feed("Libellé profession\n");
  stream.Finish();
  EXPECT_EQ(stream.encoding(), TextEncoding::kUtf8);
  EXPECT_EQ(r.lines[0].second, "Libellé profession");
}

TEST(LineStreamTest, DropsOverlongLinesAndReportsTheirNumber) {
  const std::string big(5000, 'x');
  const std::string text = "ok\n" + big + "\nafter\n" + big;
  for (std::size_t chunk : {1u, 100u, 100000u}) {
    const Recorder r = FeedInChunks(text, chunk, {.max_line_bytes = 1000, .sample_bytes = 16});
    ASSERT_EQ(r.lines.size(), 2u) << chunk;
    EXPECT_EQ(r.lines[0], (std::pair<std::int64_t, std::string>{1, "ok"}));
    EXPECT_EQ(r.lines[1], (std::pair<std::int64_t, std::string>{3, "after"}));
    EXPECT_EQ(r.overlong, (std::vector<std::int64_t>{2, 4})) << chunk;
  }
}

TEST(LineStreamTest, StreamLinesReadsABuffer) {
  Recorder r;
  EXPECT_EQ(StreamLines("a\nb", &r), TextEncoding::kAscii);
  EXPECT_EQ(r.lines.size(), 2u);
}

}  // namespace
}  // namespace parcours::domain
