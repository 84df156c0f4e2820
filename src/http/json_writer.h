// A streaming JSON writer for hot responses: values are appended to one string as they are
// written, with no intermediate tree (nlohmann::json allocates a node per value and copies
// initializer lists; a case page is ~150 values). Strings are escaped by AppendJsonString
// (invalid UTF-8 becomes U+FFFD). The caller writes a well-formed sequence — Key before each
// value inside an object, Begin/End paired; the writer only places the commas. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace huiyin::http {

class JsonWriter {
 public:
  explicit JsonWriter(size_t reserve = 1024) { out_.reserve(reserve); }

  JsonWriter& Key(std::string_view key);
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Shortest text that reads back as the same double; null when not finite.
  JsonWriter& Number(double value);
  // A JSON text the caller has checked (e.g. stored attributes), inserted as it is.
  JsonWriter& Raw(std::string_view json);

  // Key and value in one call.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(std::string_view key, std::optional<int64_t> value) {
    return value ? Key(key).Int(*value) : Key(key).Null();
  }
  JsonWriter& Field(std::string_view key, std::optional<double> value) {
    return value ? Key(key).Number(*value) : Key(key).Null();
  }
  JsonWriter& Field(std::string_view key, std::optional<bool> value) {
    return value ? Key(key).Bool(*value) : Key(key).Null();
  }

  const std::string& Text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();  // the comma before a value or key that follows another

  std::string out_;
  bool after_value_ = false;  // a value ended last: the next item needs a comma
};

}  // namespace huiyin::http
