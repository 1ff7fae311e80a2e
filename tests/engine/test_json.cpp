// The engine's strict JSON reader: RFC 8259 acceptance and rejection, 64-bit integers, UTF-8, round trip.
#include "engine/util/json.h"

#include <gtest/gtest.h>

using namespace blyan::engine;

TEST(Json, ParsesValuesAndKeepsOrder)
{
    const auto v = json::parse(R"( {"b": [1, -2.5e3, true, false, null], "a": "x\u00e9\ud83d\ude00\n", "n": 18446744073709551615} )");
    ASSERT_TRUE(v.isObject());
    EXPECT_EQ(v.members()[0].key, "b");
    EXPECT_EQ(v.at("b").asArray()[1].asDouble(), -2500.0);
    EXPECT_EQ(v.at("a").asString(), "x\xC3\xA9\xF0\x9F\x98\x80\n");
    EXPECT_EQ(v.at("n").asUint64(), 18446744073709551615ull);
    EXPECT_EQ(v.find("zz"), nullptr);
    EXPECT_THROW(v.at("zz"), std::runtime_error);
    EXPECT_THROW(v.at("a").asInt64(), std::runtime_error);
    EXPECT_THROW(v.at("b").asArray()[1].asUint64(), std::runtime_error);
}

TEST(Json, RejectsMalformedInput)
{
    for (const char *bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"\\x\"", "\"a\nb\"", "tru", "{} x",
                            "\"\\ud800\"", "\"\\udc00\"", "{\"a\":1,\"a\":2}", "\"\xC0\xAF\"", "\"\xED\xA0\x80\"",
                            "\"\xF5\x80\x80\x80\"", "[1 2]", "{1:2}", "NaN"}) {
        EXPECT_THROW(json::parse(bad), json::ParseError) << bad;
    }
    std::string deep(200, '[');
    EXPECT_THROW(json::parse(deep), json::ParseError);
}

TEST(Json, ErrorNamesLineAndColumn)
{
    try {
        json::parse("{\n  \"a\": 1\n  \"b\": 2}");
        FAIL();
    } catch (const json::ParseError &e) {
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
    }
}

TEST(Json, SerializeRoundTrips)
{
    const char *text = R"({"a":[1,2.5,-3e-07,"q\"\\\u0001"],"b":{"c":null,"d":true},"e":12345678901234567})";
    const auto v = json::parse(text);
    const auto again = json::parse(json::serialize(v));
    EXPECT_EQ(json::serialize(again), json::serialize(v));
    EXPECT_EQ(again.at("e").asUint64(), 12345678901234567ull);
    auto o = json::Value::makeObject();
    o.set("x", json::Value::makeNumber(3));
    o.set("x", json::Value::makeNumber(0.1));
    EXPECT_EQ(json::serialize(o), "{\"x\":0.1}");
}
