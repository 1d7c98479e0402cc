// LineStream: turns a byte stream fed in chunks of any size into UTF-8 lines,
// so an import reads a 2-million-line file with memory bounded by one chunk
// plus one line.
//
// - Lines end with LF or CRLF; a last line without terminator is delivered by
//   Finish(). A UTF-8 byte-order mark at the start is dropped.
// - The encoding is detected once, from the first `sample_bytes` bytes
//   (buffered until then), for the import report; each line is then decoded
//   with DecodeLine: no copy for UTF-8 (and ASCII) lines, other lines read
//   as Windows-1252, so a Latin-1 file, a UTF-8 file, and a Latin-1 file with
//   a few UTF-8 values all come out right.
// - A line longer than `max_line_bytes` is never buffered whole: it is
//   dropped and reported with its line number, so hostile input cannot grow
//   memory.
//
// Not thread-safe (one stream per import). The sink is borrowed and must
// outlive the stream. Never throws on input; a sink may.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/text/encoding.h"

namespace parcours::domain {

class LineSink {
 public:
  virtual ~LineSink() = default;
  // `line` is UTF-8 without its terminator, valid only during the call.
  // `line_number` is 1-based and counts every physical line of the input.
  virtual void OnLine(std::string_view line, std::int64_t line_number) = 0;
  // The line `line_number` exceeded the maximum length and was skipped.
  virtual void OnOverlongLine(std::int64_t line_number) = 0;
};

class LineStream {
 public:
  struct Options {
    std::size_t max_line_bytes = std::size_t{1} << 20;
    std::size_t sample_bytes = std::size_t{64} << 10;
  };

  explicit LineStream(LineSink* sink) : LineStream(sink, Options()) {}
  LineStream(LineSink* sink, Options options);

  LineStream(const LineStream&) = delete;
  LineStream& operator=(const LineStream&) = delete;

  void Feed(std::string_view bytes);
  // Delivers the last line if it had no terminator. Feed after Finish is
  // ignored.
  void Finish();

  // The detected encoding (kAscii until detection happened).
  TextEncoding encoding() const { return encoding_; }
  std::int64_t lines() const { return line_number_; }

 private:
  void Detect(std::string_view sample);
  void Process(std::string_view bytes);
  void Emit(std::string_view raw);

  LineSink* sink_;
  Options options_;
  bool detected_ = false;
  bool finished_ = false;
  bool dropping_ = false;  // inside an overlong line
  TextEncoding encoding_ = TextEncoding::kAscii;
  std::string pending_;  // partial line, or the sample before detection
  std::string scratch_;  // decoded Latin-1 line
  std::int64_t line_number_ = 0;
};

// Feeds a whole buffer through a LineStream into `sink`; returns the encoding
// detected.
TextEncoding StreamLines(std::string_view bytes, LineSink* sink);

}  // namespace parcours::domain
