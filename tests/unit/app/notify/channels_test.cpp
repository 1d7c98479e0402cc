// What the channels put on the wire, without a network: the e-mail's
// headers and parts, the SMS gateway's body, and the settings they refuse.
// (Real sends: tests/functional/notify.test.mjs, tests/reliability/.)
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/notify/sms_gateway_channel.h"
#include "app/notify/smtp_channel.h"

namespace parcours::app {
namespace {

RenderedEmail Mail() {
  RenderedEmail m;
  m.to = "r@example.fr";
  m.subject = "Parcours DPP : une demande à traiter";
  m.text = "Bonjour\n";
  m.html = "<p>Bonjour</p>";
  m.message_id = "01jdabcdefghjkmnpqrstvwxyz@parcours.example.fr";
  m.language = "fr";
  return m;
}

SmtpSettings Settings() {
  SmtpSettings s;
  s.url = "smtp://127.0.0.1:2525";
  s.from = "Parcours DPP <ne-pas-repondre@parcours.example.fr>";
  return s;
}

TEST(SmtpChannelTest, ComposesAMultipartMessageWithItsMessageId) {
  const std::string raw = ComposeEmail(Settings(), Mail(), 1764400000000);
  EXPECT_NE(raw.find("Message-ID: <01jdabcdefghjkmnpqrstvwxyz@parcours.example.fr>\r\n"),
            std::string::npos);
  EXPECT_NE(raw.find("From: Parcours DPP <ne-pas-repondre@parcours.example.fr>\r\n"),
            std::string::npos);
  EXPECT_NE(raw.find("Date: Sat, 29 Nov 2025 07:06:40 +0000\r\n"), std::string::npos);
  // The accented subject is an RFC 2047 encoded word.
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_LT(raw.find("text/plain"), raw.find("text/html"));  // plain text first
  EXPECT_EQ(raw.find("List-Unsubscribe"), std::string::npos);
}

TEST(SmtpChannelTest, OneClickUnsubscribeWhenTheMessageHasAnOptOutPage) {
  RenderedEmail m = Mail();
  m.unsubscribe_url = "https://parcours.example.fr/rappel/desinscription/TOKEN";
  const std::string raw = ComposeEmail(Settings(), m, 0);
  EXPECT_NE(
      raw.find("List-Unsubscribe: <https://parcours.example.fr/rappel/desinscription/TOKEN>\r\n"),
      std::string::npos);
  EXPECT_NE(raw.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos);
}

TEST(SmtpChannelTest, NoHeaderInjection) {
  RenderedEmail m = Mail();
  m.subject = "hello\r\nBcc: victim@example.org";
  m.to = "r@example.fr\r\nBcc: victim@example.org";
  const std::string raw = ComposeEmail(Settings(), m, 0);
  EXPECT_EQ(raw.find("\r\nBcc:"), std::string::npos);
}

TEST(SmtpChannelTest, RefusesWhatItCannotUse) {
  SmtpSettings s = Settings();
  EXPECT_TRUE(SmtpChannel::Create(s).ok());
  s.url = "http://127.0.0.1:2525";
  EXPECT_EQ(SmtpChannel::Create(s).status().field(), "smtp-url");
  s = Settings();
  s.from = "nobody";
  EXPECT_EQ(SmtpChannel::Create(s).status().field(), "smtp-from");
  s = Settings();
  s.url = "smtps://mail.example.fr:465";
  EXPECT_TRUE(SmtpChannel::Create(s).ok());
}

TEST(SmtpChannelTest, LoopbackHosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("[::1]"));
  EXPECT_FALSE(IsLoopbackHost("mail.example.fr"));
  EXPECT_FALSE(IsLoopbackHost("10.0.0.1"));
  EXPECT_FALSE(IsLoopbackHost("127.example.fr"));
  EXPECT_EQ(AddressOf("Parcours DPP <a@b.fr>"), "a@b.fr");
  EXPECT_EQ(AddressOf("a@b.fr"), "a@b.fr");
}

TEST(SmsGatewayTest, TheBodyTemplateGetsJsonEscapedValues) {
  RenderedSms m{"+33612345678", "Parcours DPP : \"une\" demande\n", "01jdabc"};
  const std::string body =
      SmsGatewayBody(R"({"to":"{{to}}","text":"{{text}}","idempotency_key":"{{id}}"})", m);
  auto v = boost::json::parse(body);
  EXPECT_EQ(v.at("to").as_string(), "+33612345678");
  EXPECT_EQ(v.at("text").as_string(), "Parcours DPP : \"une\" demande\n");
  EXPECT_EQ(v.at("idempotency_key").as_string(), "01jdabc");
}

TEST(SmsGatewayTest, RefusesWhatItCannotUse) {
  SmsGatewaySettings s;
  s.url = "http://127.0.0.1:9/sms";
  EXPECT_TRUE(SmsGatewayChannel::Create(s).ok());
  s.url = "ftp://x";
  EXPECT_EQ(SmsGatewayChannel::Create(s).status().field(), "sms-gateway-url");
  s.url = "https://sms.example.fr/v1";
  s.body_template = R"({"to":"{{to}}"})";
  EXPECT_EQ(SmsGatewayChannel::Create(s).status().field(), "sms-gateway-body");
  s = SmsGatewaySettings{};
  s.url = "https://sms.example.fr/v1";
  s.auth_header = "Bearer abc";
  EXPECT_EQ(SmsGatewayChannel::Create(s).status().field(), "sms-gateway-auth");
}

TEST(SmsGatewayTest, NoAnswerIsTemporary) {
  SmsGatewaySettings s;
  s.url = "http://127.0.0.1:9/sms";  // discard port: nothing listens
  s.timeout_seconds = 2;
  auto c = SmsGatewayChannel::Create(s);
  ASSERT_TRUE(c.ok());
  SendOutcome o = (*c)->Send(RenderedSms{"+33600000000", "x", "id"});
  EXPECT_EQ(o.kind, SendOutcome::Kind::kTemporary) << o.detail;
}

}  // namespace
}  // namespace parcours::app
