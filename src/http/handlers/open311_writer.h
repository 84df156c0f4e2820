// Open311 GeoReport v2 documents, written once for both formats. A handler describes a document
// with one sequence of calls (objects, arrays, named scalars) and Open311Writer streams it as JSON
// or as XML (the standard's mandatory format) by the Spark convention the standard names: an
// object becomes child elements in call order, an array repeats the item element its name calls
// for ("services" → "service", "service_requests" → "request"), null and "" become an empty
// element. Streaming keeps a 1,000-request answer free of an intermediate tree. Not thread-safe;
// one writer per response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace huiyin::api {

enum class Open311Format { kXml, kJson };

// Appends `text` as XML 1.0 character data: & < > " ' escaped; invalid UTF-8, control characters
// other than tab and line feed, surrogates and U+FFFE/U+FFFF (which XML 1.0 cannot carry, even as
// references) replaced by U+FFFD; carriage return kept as &#13; so parsers do not fold it.
void AppendXmlEscaped(std::string& out, std::string_view text);
// The same, returned.
std::string XmlEscape(std::string_view text);

// The element name for the items of an array named `parent` ("service_requests" → "request";
// unknown names → "item").
std::string_view Open311ItemName(std::string_view parent);

class Open311Writer {
 public:
  // Starts a document: in XML the declaration and element `root`; in JSON a top-level array
  // (`array`) or object.
  Open311Writer(Open311Format format, std::string_view root, bool array);

  // Members of the current object take their `name`; items of the current array ignore it.
  void BeginObject(std::string_view name = {});
  void EndObject();
  void BeginArray(std::string_view name);
  void EndArray();
  void Text(std::string_view name, std::string_view value);
  // "" is written as null (the standard's "may not be returned" fields).
  void TextOrNull(std::string_view name, std::string_view value);
  void Null(std::string_view name);
  void Bool(std::string_view name, bool value);
  void Int(std::string_view name, int64_t value);
  // Shortest text that reads back as the same double.
  void Number(std::string_view name, double value);

  // Reserves room for a document of about `bytes` (a long list).
  void Reserve(size_t bytes) { out_.reserve(bytes); }

  // Closes every open level and returns the document.
  std::string Finish();

 private:
  struct Level {
    std::string name;  // XML element name of this level
    bool array = false;
    bool empty = true;  // nothing written inside yet (an empty XML level collapses to <x/>)
  };
  // Writes what precedes a value in the current level; returns the XML element name to use.
  std::string_view Prefix(std::string_view name);
  void Scalar(std::string_view name, std::string_view text, bool json_string, bool null);
  void Open(std::string_view name, bool array);
  void Close();
  void Indent();

  Open311Format format_;
  std::string out_;
  std::vector<Level> stack_;
};

}  // namespace huiyin::api
