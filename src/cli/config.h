// Settings of the `parcours` program, from (lowest to highest precedence)
// built-in defaults, a configuration file (`--config FILE` or
// PARCOURS_CONFIG; lines "key = value", '#' comments), environment variables
// (PARCOURS_<KEY> with '-' as '_', upper-case) and command-line flags
// (`--key value` or `--key=value`).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace parcours::cli {

struct SettingSpec {
  const char* key;
  const char* default_value;
  const char* help;
};

// Every setting the program knows, with its default and help line.
const std::vector<SettingSpec>& AllSettings();

class Config {
 public:
  // args: the arguments after the subcommand. Unknown keys are errors
  // (field = the key). Positional arguments are kept in order.
  static Result<Config> Parse(const std::vector<std::string>& args,
                              const std::map<std::string, std::string>& env);

  const std::string& Get(const std::string& key) const;
  Result<int> GetInt(const std::string& key, int min, int max) const;
  bool help() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  // Where a value came from: "default", "file", "env", "flag".
  const std::string& Source(const std::string& key) const;

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> sources_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// The process environment as a map (PARCOURS_* only).
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace parcours::cli
