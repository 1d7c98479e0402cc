#include "domain/text/line_stream.h"

#include <cstring>
#include <utility>

namespace parcours::domain {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

LineStream::LineStream(LineSink* sink, Options options) : sink_(sink), options_(options) {
  if (options_.max_line_bytes == 0) options_.max_line_bytes = 1;
}

void LineStream::Feed(std::string_view bytes) {
  if (finished_ || bytes.empty()) return;
  if (!detected_) {
    if (pending_.empty() && bytes.size() >= options_.sample_bytes) {
      Detect(bytes.substr(0, options_.sample_bytes));
      Process(bytes);
      return;
    }
    pending_.append(bytes);
    if (pending_.size() < options_.sample_bytes) return;
    std::string sample = std::move(pending_);
    pending_.clear();
    Detect(std::string_view(sample).substr(0, options_.sample_bytes));
    Process(sample);
    return;
  }
  Process(bytes);
}

void LineStream::Finish() {
  if (finished_) return;
  if (!detected_) {
    std::string sample = std::move(pending_);
    pending_.clear();
    Detect(sample);
    Process(sample);
  }
  finished_ = true;
  if (dropping_) {
    dropping_ = false;
    sink_->OnOverlongLine(++line_number_);
  } else if (!pending_.empty()) {
    std::string last = std::move(pending_);
    pending_.clear();
    Emit(last);
  }
}

void LineStream::Detect(std::string_view sample) {
  if (sample.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    encoding_ = TextEncoding::kUtf8;
  } else {
    encoding_ = DetectEncoding(sample);
  }
  detected_ = true;
}

void LineStream::Process(std::string_view bytes) {
  while (!bytes.empty()) {
    const void* nl = std::memchr(bytes.data(), '\n', bytes.size());
    if (nl == nullptr) {
      // No terminator in this chunk: keep the partial line, within bounds.
      if (dropping_) return;
      if (pending_.size() + bytes.size() > options_.max_line_bytes) {
        pending_.clear();
        dropping_ = true;
        return;
      }
      pending_.append(bytes);
      return;
    }
    const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes.data());
    const std::string_view part = bytes.substr(0, len);
    bytes.remove_prefix(len + 1);
    if (dropping_) {
      dropping_ = false;
      sink_->OnOverlongLine(++line_number_);
      continue;
    }
    if (pending_.empty()) {
      if (part.size() > options_.max_line_bytes) {
        sink_->OnOverlongLine(++line_number_);
      } else {
        Emit(part);
      }
      continue;
    }
    if (pending_.size() + part.size() > options_.max_line_bytes) {
      pending_.clear();
      sink_->OnOverlongLine(++line_number_);
      continue;
    }
    pending_.append(part);
    std::string line = std::move(pending_);
    pending_.clear();
    Emit(line);
    // Give the buffer back to pending_ so its capacity is reused.
    line.clear();
    pending_ = std::move(line);
  }
}

void LineStream::Emit(std::string_view raw) {
  ++line_number_;
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  if (line_number_ == 1 && raw.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    raw.remove_prefix(kUtf8Bom.size());
  }
  sink_->OnLine(DecodeLine(raw, &scratch_), line_number_);
}

TextEncoding StreamLines(std::string_view bytes, LineSink* sink) {
  LineStream stream(sink);
  stream.Feed(bytes);
  stream.Finish();
  return stream.encoding();
}

}  // namespace parcours::domain
