#include "http/handlers/open311_writer.h"

#include <gtest/gtest.h>

namespace huiyin::api {
namespace {

TEST(XmlEscapeTest, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(XmlEscape(R"(a & b < c > d "e" 'f')"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
}

TEST(XmlEscapeTest, ReplacesWhatXmlCannotCarry) {
  // NUL, BEL, ESC and U+FFFF cannot appear in XML 1.0, not even as character references.
  EXPECT_EQ(XmlEscape(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(XmlEscape("x\x07y\x1Bz"), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBF"), "\xEF\xBF\xBD");
  // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
  EXPECT_EQ(XmlEscape("\x80"), "\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("\xE9\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("\xED\xA0\x80"), "\xEF\xBF\xBD");
}

TEST(XmlEscapeTest, KeepsChineseTabsNewlinesAndCarriageReturns) {
  EXPECT_EQ(XmlEscape("通化市\t东昌区\n"), "通化市\t东昌区\n");
  EXPECT_EQ(XmlEscape("a\r\nb"), "a&#13;\nb");
  EXPECT_EQ(XmlEscape("😀"), "😀");
}

// The same calls as a service_requests document with one request.
std::string OneRequest(Open311Format format) {
  Open311Writer w(format, "service_requests", /*array=*/true);
  w.BeginObject();
  w.Text("service_request_id", "SQ20260104000001");
  w.Text("status", "open");
  w.TextOrNull("status_notes", "");
  w.Number("lat", 41.7283);
  w.Bool("flag", true);
  w.Int("n", 7);
  w.Text("description", "A & \"B\" <c>");
  w.EndObject();
  return w.Finish();
}

TEST(Open311WriterTest, WritesOneDocumentAsJson) {
  EXPECT_EQ(OneRequest(Open311Format::kJson),
            R"([{"service_request_id":"SQ20260104000001","status":"open","status_notes":null,)"
            R"("lat":41.7283,"flag":true,"n":7,"description":"A & \"B\" <c>"}])");
}

TEST(Open311WriterTest, WritesTheSameDocumentAsXmlBySparkConvention) {
  EXPECT_EQ(OneRequest(Open311Format::kXml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<service_requests>\n"
            "  <request>\n"
            "    <service_request_id>SQ20260104000001</service_request_id>\n"
            "    <status>open</status>\n"
            "    <status_notes/>\n"
            "    <lat>41.7283</lat>\n"
            "    <flag>true</flag>\n"
            "    <n>7</n>\n"
            "    <description>A &amp; &quot;B&quot; &lt;c&gt;</description>\n"
            "  </request>\n"
            "</service_requests>\n");
}

TEST(Open311WriterTest, NamesNestedItemsAndCollapsesEmptyLevels) {
  for (auto format : {Open311Format::kXml, Open311Format::kJson}) {
    Open311Writer w(format, "service_definition", /*array=*/false);
    w.Text("service_code", "a&b");
    w.BeginArray("attributes");
    w.BeginObject();
    w.Text("code", "kind");
    w.BeginArray("values");
    w.BeginObject();
    w.Text("key", "1");
    w.Text("name", "<x>");
    w.EndObject();
    w.EndArray();
    w.BeginArray("formats");
    w.EndArray();
    w.EndObject();
    w.EndArray();
    std::string doc = w.Finish();
    if (format == Open311Format::kJson) {
      EXPECT_EQ(doc, R"({"service_code":"a&b","attributes":[{"code":"kind","values":)"
                     R"([{"key":"1","name":"<x>"}],"formats":[]}]})");
    } else {
      EXPECT_NE(doc.find("<service_code>a&amp;b</service_code>"), std::string::npos) << doc;
      EXPECT_NE(doc.find("\n  <attributes>\n    <attribute>\n"), std::string::npos) << doc;
      EXPECT_NE(doc.find("<value>\n          <key>1</key>"), std::string::npos) << doc;
      EXPECT_NE(doc.find("<name>&lt;x&gt;</name>"), std::string::npos) << doc;
      EXPECT_NE(doc.find("<formats/>"), std::string::npos) << doc;
    }
  }
  Open311Writer empty(Open311Format::kXml, "errors", true);
  EXPECT_EQ(empty.Finish(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors/>\n");
  Open311Writer empty_json(Open311Format::kJson, "errors", true);
  EXPECT_EQ(empty_json.Finish(), "[]");
}

}  // namespace
}  // namespace huiyin::api
