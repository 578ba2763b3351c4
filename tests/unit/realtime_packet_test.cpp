// Engine.IO and Socket.IO packet codecs: what the reference parsers accept, and what they refuse.
#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "realtime/engineio/packet.hpp"
#include "realtime/socketio/packet.hpp"

using namespace tiptop::realtime;

TEST(EngineIoPacket, PayloadSplitsRecordsAndDecodesBase64Binary) {
  auto packets = eio::decode_payload(
      "4hello\x1e"
      "bAQIDBA==\x1e"
      "3");
  ASSERT_TRUE(packets);
  ASSERT_EQ(packets->size(), 3u);
  EXPECT_EQ((*packets)[0].type, eio::Type::message);
  EXPECT_EQ((*packets)[0].data, "hello");
  EXPECT_TRUE((*packets)[1].binary);
  EXPECT_EQ((*packets)[1].data, std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ((*packets)[2].type, eio::Type::pong);
}

TEST(EngineIoPacket, MalformedPayloadsAreRefused) {
  EXPECT_FALSE(eio::decode_payload("abc"));
  EXPECT_FALSE(eio::decode_payload(""));
  EXPECT_FALSE(eio::decode_payload("4ok\x1e"));       // an empty record
  EXPECT_FALSE(eio::decode_payload("b!!notbase64"));  // bad base64
  EXPECT_FALSE(eio::decode_payload("7x"));            // no such type
}

TEST(EngineIoPacket, EncodesTextAndBinaryForPolling) {
  std::vector<eio::Frame> frames{eio::Frame::message("hello"),
                                 eio::Frame::binary_message(std::string("\x01\x02\x03\x04", 4)),
                                 eio::Frame::text(eio::Type::ping)};
  EXPECT_EQ(eio::encode_payload(frames),
            "4hello\x1e"
            "bAQIDBA==\x1e"
            "2");
}

TEST(SocketIoPacket, DecodesNamespaceAckIdAndAttachments) {
  auto p = sio::decode(R"(2/admin,12["hello",1])");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, sio::Type::event);
  EXPECT_EQ(p->nsp, "/admin");
  EXPECT_EQ(p->id, 12u);
  EXPECT_EQ(tiptop::json::serialize(*p->data), R"(["hello",1])");

  auto b = sio::decode(R"(52-789["m",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}])");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->type, sio::Type::binary_event);
  EXPECT_EQ(b->attachments, 2u);
  EXPECT_EQ(b->id, 789u);

  auto c = sio::decode("0/random");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->nsp, "/random");
  EXPECT_FALSE(c->data);
}

TEST(SocketIoPacket, RefusesWhatTheReferenceParserRefuses) {
  EXPECT_FALSE(sio::decode("abc"));                        // unknown type
  EXPECT_FALSE(sio::decode("2{}"));                        // an event must be an array
  EXPECT_FALSE(sio::decode("2[]"));                        // ... with a name
  EXPECT_FALSE(sio::decode(R"(2["connect"])"));            // reserved names
  EXPECT_FALSE(sio::decode(R"(2abc["m"])"));               // invalid ack id
  EXPECT_FALSE(sio::decode(R"(0"token")"));                // CONNECT payload must be an object
  EXPECT_FALSE(sio::decode(R"(1{})"));                     // DISCONNECT has none
  EXPECT_FALSE(sio::decode(R"(5["m"])"));                  // binary without an attachment count
  EXPECT_FALSE(sio::decode(R"(599-["m"])"));               // too many attachments
  EXPECT_FALSE(sio::decode(R"(21234567890123456["m"])"));  // an id beyond 15 digits
  EXPECT_FALSE(sio::decode(R"(2["m",)"));                  // broken JSON
}

TEST(SocketIoPacket, EncodeRoundTrips) {
  sio::Packet p;
  p.type = sio::Type::binary_ack;
  p.nsp = "/custom";
  p.id = 7;
  p.data = boost::json::array{boost::json::object{{"_placeholder", true}, {"num", 0}}};
  p.buffers = {"\x01"};
  const auto text = sio::encode(p);
  EXPECT_EQ(text, R"(61-/custom,7[{"_placeholder":true,"num":0}])");
  auto back = sio::decode(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->attachments, 1u);
  EXPECT_EQ(back->nsp, "/custom");
}

// Found by tests/fuzz socketio_packets: 1e999 was read as infinity and sent on as null.
TEST(SocketIoPacket, NumbersBeyondADoubleAreRefusedNotTurnedIntoNull) {
  EXPECT_FALSE(tiptop::realtime::sio::decode(R"(2["location:update",{"lat":1e999,"lng":77.6}])"));
  EXPECT_TRUE(tiptop::realtime::sio::decode(R"(2["location:update",{"lat":12.9,"lng":77.6}])"));
  try {
    tiptop::json::parse_body(R"({"items":[{"quantity":-18888e18888888}]})");
    ADD_FAILURE() << "an infinite number was accepted";
  } catch (const tiptop::BadRequestError& e) {
    EXPECT_EQ(e.code(), "INVALID_JSON");
  }
}
