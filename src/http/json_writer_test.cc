#include "http/json_writer.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace huiyin::http {
namespace {

using nlohmann::json;

TEST(JsonWriterTest, NestedObjectsAndArraysWithCommasInPlace) {
  JsonWriter w;
  w.BeginObject().Field("number", "SQ20261127000001").Field("version", int64_t{3});
  w.Key("clocks").BeginArray();
  for (int i = 0; i < 3; ++i) {
    w.BeginObject().Field("n", i).Field("stopped", i == 1).EndObject();
  }
  w.EndArray();
  w.Key("empty").BeginArray().EndArray();
  w.Key("obj").BeginObject().EndObject();
  w.Field("lat", std::optional<double>()).Field("lng", std::optional<double>(125.9399));
  w.Field("satisfaction", std::optional<int64_t>(5)).Key("raw").Raw(R"({"a":[1,2]})");
  w.EndObject();
  const json j = json::parse(w.Text());
  EXPECT_EQ(j["number"], "SQ20261127000001");
  EXPECT_EQ(j["clocks"].size(), 3u);
  EXPECT_EQ(j["clocks"][1]["stopped"], true);
  EXPECT_EQ(j["clocks"][2]["n"], 2);
  EXPECT_TRUE(j["empty"].is_array() && j["empty"].empty());
  EXPECT_TRUE(j["obj"].is_object() && j["obj"].empty());
  EXPECT_TRUE(j["lat"].is_null());
  EXPECT_DOUBLE_EQ(j["lng"].get<double>(), 125.9399);
  EXPECT_EQ(j["satisfaction"], 5);
  EXPECT_EQ(j["raw"]["a"][1], 2);
}

TEST(JsonWriterTest, EscapesStringsAndReplacesBadUtf8) {
  JsonWriter w;
  w.BeginArray()
      .String("引号\"反斜杠\\换行\n")
      .String("bad \xff byte")
      .String(std::string("\0x", 2));
  w.EndArray();
  const json j = json::parse(w.Text());
  EXPECT_EQ(j[0], "引号\"反斜杠\\换行\n");
  EXPECT_EQ(j[1], "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(j[2], std::string("\0x", 2));
}

TEST(JsonWriterTest, ControlCharactersDelAndBrokenSequencesAmongValidText) {
  JsonWriter w;
  // A tab, a bell, DEL, a lone continuation byte between Chinese, a truncated 3-byte sequence
  // at the end.
  w.BeginArray()
      .String(
          "a\tb\x07"
          "c\x7f")
      .String("街\x80道")
      .String("路\xe8\xb7")
      .EndArray();
  EXPECT_EQ(w.Text(),
            "[\"a\\tb\\u0007c\\u007f\",\"街\xEF\xBF\xBD道\",\"路\xEF\xBF\xBD\xEF\xBF\xBD\"]");
  const json j = json::parse(w.Text());
  EXPECT_EQ(j[0],
            "a\tb\x07"
            "c\x7f");
}

TEST(JsonWriterTest, NumbersRoundTripAndNonFiniteIsNull) {
  JsonWriter w;
  w.BeginArray().Number(0.1).Number(-2.5e-300).Int(std::numeric_limits<int64_t>::min());
  w.Number(std::numeric_limits<double>::infinity()).Number(std::nan("")).EndArray();
  const json j = json::parse(w.Text());
  EXPECT_EQ(j[0].get<double>(), 0.1);
  EXPECT_EQ(j[1].get<double>(), -2.5e-300);
  EXPECT_EQ(j[2].get<int64_t>(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(j[3].is_null());
  EXPECT_TRUE(j[4].is_null());
}

}  // namespace
}  // namespace huiyin::http
