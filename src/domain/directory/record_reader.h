// A LineSink reading a whole file of one record type with a header line:
// the first non-blank line is the header, given to Parser::Create; then
// each line goes to Parser::ParseLine, and each record and each error to the
// callbacks. Counts and a fatal header Status are available at the end.
//
// Parser needs:
//   static Result<Parser> Create(std::string_view header);
//   LineOutcome ParseLine(std::string_view line, std::int64_t line_number,
//                         Record* record, LineError* error);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "domain/directory/import_report.h"
#include "domain/text/field_splitter.h"
#include "domain/text/line_stream.h"

namespace parcours::domain {

template <typename Parser, typename Record>
class RecordReader : public LineSink {
 public:
  using RecordFn = std::function<void(const Record&)>;
  using ErrorFn = std::function<void(const LineError&)>;

  // Either callback may be empty. `file` names the input in "… has no
  // header line", `header` in "… header line is too long".
  RecordReader(RecordFn on_record, ErrorFn on_error, std::string file, std::string header)
      : on_record_(std::move(on_record)),
        on_error_(std::move(on_error)),
        file_(std::move(file)),
        header_(std::move(header)) {}

  void OnLine(std::string_view line, std::int64_t line_number) override {
    ++counts_.lines;
    if (!header_done_) {
      if (TrimAscii(line).empty()) return;
      header_done_ = true;
      Result<Parser> parser = Parser::Create(line);
      if (!parser.ok()) {
        status_ = parser.status();
        return;
      }
      parser_.emplace(std::move(parser).value());
      return;
    }
    if (!parser_) return;  // bad header: nothing can be read
    switch (parser_->ParseLine(line, line_number, &record_, &error_)) {
      case LineOutcome::kRecord:
        ++counts_.records;
        if (on_record_) on_record_(record_);
        break;
      case LineOutcome::kSkipped: ++counts_.skipped; break;
      case LineOutcome::kError: Error(error_.line_number, std::move(error_.reason)); break;
    }
  }

  void OnOverlongLine(std::int64_t line_number) override {
    ++counts_.lines;
    if (!header_done_) {
      header_done_ = true;
      status_ = Status::InvalidArgument("header", header_ + " header line is too long");
      return;
    }
    if (!parser_) return;
    Error(line_number, "line too long");
  }

  // Not OK when there was no header (yet) or it lacked a required column
  // (then no row was read).
  Status status() const {
    if (!header_done_) return Status::InvalidArgument("header", file_ + " has no header line");
    return status_;
  }
  const ImportCounts& counts() const { return counts_; }

 private:
  void Error(std::int64_t line_number, std::string reason) {
    ++counts_.errors;
    if (on_error_) on_error_(LineError{line_number, std::move(reason)});
  }

  RecordFn on_record_;
  ErrorFn on_error_;
  std::string file_;
  std::string header_;
  std::optional<Parser> parser_;
  bool header_done_ = false;
  Status status_;
  ImportCounts counts_;
  Record record_;
  LineError error_;
};

// Reads a whole file held in memory with a Reader (a RecordReader taking
// the two callbacks): the reader's status; *counts, if given, receives its
// counts.
template <typename Reader>
Status ReadAllRecords(std::string_view bytes, typename Reader::RecordFn on_record,
                      typename Reader::ErrorFn on_error, ImportCounts* counts) {
  Reader reader(std::move(on_record), std::move(on_error));
  StreamLines(bytes, &reader);
  if (counts != nullptr) *counts = reader.counts();
  return reader.status();
}

}  // namespace parcours::domain
