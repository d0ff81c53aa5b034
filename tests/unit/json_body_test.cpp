// JSON request bodies read strictly: repeated and unknown members and trailing data refused,
// each naming what is wrong.
#include "http/json_body.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rekap {
namespace {

// The error's code and member, or "ok".
std::string refusal(const std::string& body) {
  try {
    http::parse_json_body(body, {"statement", "signature", "meta"});
  } catch (const http::JsonBodyError& e) {
    return e.code() + " " + e.member();
  }
  return "ok";
}

TEST(JsonBody, AWellFormedBodyIsItsObject) {
  auto obj =
      http::parse_json_body(R"({"statement":"s","signature":"x"})", {"statement", "signature"});
  EXPECT_EQ(obj.at("statement").as_string(), "s");
  EXPECT_EQ(refusal(R"({"statement":"s"})"), "ok") << "allowed members may be left out";
  EXPECT_EQ(refusal(R"({"meta":{"a":1,"b":[{"a":1},{"a":2}]}})"), "ok")
      << "the same name in different objects is no repeat";
}

TEST(JsonBody, ARepeatedMemberIsRefusedNamingIt) {
  EXPECT_EQ(refusal(R"({"statement":"x","statement":"real"})"), "duplicate_member statement");
  EXPECT_EQ(refusal(R"({"meta":{"a":1,"a":2}})"), "duplicate_member meta.a");
  EXPECT_EQ(refusal(R"({"meta":{"list":[{"k":1,"k":1}]}})"), "duplicate_member meta.list[].k");
  try {
    http::parse_json_body(R"({"statement":"x","statement":"real"})", {"statement"});
  } catch (const http::JsonBodyError& e) {
    EXPECT_STREQ(e.what(), "member statement appears more than once");
  }
}

TEST(JsonBody, UnknownMembersTrailingDataAndNonObjectsAreRefused) {
  EXPECT_EQ(refusal(R"({"statement":"s","signatur":"x"})"), "unexpected_member signatur");
  try {
    http::parse_json_body(R"({"x":1})", {"statement", "signature"});
  } catch (const http::JsonBodyError& e) {
    EXPECT_STREQ(e.what(), "unexpected member x (this body has statement, signature)");
  }
  EXPECT_EQ(refusal(R"({"statement":"s"} {"statement":"t"})"), "malformed_json ");
  EXPECT_EQ(refusal(R"({"statement":"s"}x)"), "malformed_json ");
  EXPECT_EQ(refusal(R"({"statement":"s")"), "malformed_json ");
  EXPECT_EQ(refusal(""), "malformed_json ");
  EXPECT_EQ(refusal(R"(["statement"])"), "malformed_request ");
  EXPECT_EQ(refusal("42"), "malformed_request ");
}

TEST(JsonBody, KeysWithEscapesCompareByTheirValue) {
  // "st\u0061tement" is "statement": the same member twice.
  EXPECT_EQ(refusal(R"({"statement":"x","st\u0061tement":"y"})"), "duplicate_member statement");
}

}  // namespace
}  // namespace rekap
