#include <gtest/gtest.h>

#include "core/statement.hpp"
#include "crypto/encoding.hpp"

namespace rekap {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override { crypto_init(); }

  Statement result() {
    Statement s;
    s.type = StatementType::result;
    s.election = "test-2024";
    s.time = "2024-02-14T13:05:00Z";
    s.tps = "3171011001001";
    s.ballot = Ballot::pdpr;
    s.rev = 2;
    s.images = {sha256("page 1"), sha256("page 2")};
    std::sort(s.images.begin(), s.images.end());
    s.values = {{"pemilih_dpt_l", 50}, {"p1c2", 0}, {"suara_total", 117}};
    return s;
  }
  SecretKey key = SecretKey::from_seed(sha256("statement test"));
};

TEST_F(StatementTest, ResultRoundTrips) {
  Statement s = result();
  s.signer = key.public_key();
  std::string text = encode_statement(s);
  EXPECT_EQ(decode_statement(text), s);
  EXPECT_TRUE(text.starts_with("rekap-statement/1\ntype result\nelection test-2024\n"));
  EXPECT_NE(text.find("\nv suara_total 117\n"), std::string::npos);
}

TEST_F(StatementTest, CorrectionAndEnrolRoundTrip) {
  Statement c = result();
  c.type = StatementType::correction;
  c.supersedes = sha256("old");
  c.reason = "Angka 617 salah baca, di formulir tertulis 117";
  EXPECT_EQ(decode_statement(encode_statement(c)), c);

  Statement g;
  g.type = StatementType::genesis;
  g.election = "test-2024";
  g.time = "2024-02-01T00:00:00Z";
  g.definition = sha256("definition");
  EXPECT_EQ(decode_statement(encode_statement(g)), g);

  Statement e;
  e.type = StatementType::enrol;
  e.election = "test-2024";
  e.time = "2024-02-13T00:00:00Z";
  e.key = SecretKey::from_seed(sha256("device")).public_key();
  e.role = Role::ppk;
  e.scope = "317101";
  EXPECT_EQ(decode_statement(encode_statement(e)), e);
}

TEST_F(StatementTest, SignedStatementVerifies) {
  auto s = SignedStatement::sign(result(), key);
  auto back = SignedStatement::from_wire(s.body, s.signature);
  EXPECT_EQ(back.id, sha256(s.body));
  EXPECT_EQ(back.statement.signer, key.public_key());
}

TEST_F(StatementTest, AnyChangedByteBreaksTheSignatureOrTheEncoding) {
  auto s = SignedStatement::sign(result(), key);
  for (std::size_t i = 0; i < s.body.size(); ++i) {
    std::string tampered = s.body;
    tampered[i] = char(tampered[i] ^ 0x01);
    EXPECT_ANY_THROW(SignedStatement::from_wire(tampered, s.signature)) << "byte " << i;
  }
  for (std::size_t i = 0; i < s.signature.size(); ++i) {
    Signature sig = s.signature;
    sig[i] ^= 0x80;
    EXPECT_THROW(SignedStatement::from_wire(s.body, sig), SignatureError) << "signature byte " << i;
  }
}

TEST_F(StatementTest, ValueChangeWithValidEncodingFailsSignature) {
  auto s = SignedStatement::sign(result(), key);
  std::string tampered = s.body;
  tampered.replace(tampered.find("v suara_total 117"), 17, "v suara_total 617");
  EXPECT_THROW(SignedStatement::from_wire(tampered, s.signature), SignatureError);
}

TEST_F(StatementTest, NonCanonicalTextIsRefusedWithItsLine) {
  Statement s = result();
  s.signer = key.public_key();
  std::string text = encode_statement(s);
  auto expect_line = [](const std::string& t, int line) {
    try {
      decode_statement(t);
      ADD_FAILURE() << "accepted: " << t;
    } catch (const StatementError& e) {
      EXPECT_EQ(e.line(), line) << e.what();
    }
  };
  std::string leading_zero = text;
  leading_zero.replace(leading_zero.find("v suara_total 117"), 17, "v suara_total 0117");
  expect_line(leading_zero, 13);
  std::string crlf = text;
  crlf.replace(crlf.find("\ntype"), 1, "\r\n");
  expect_line(crlf, 1);
  std::string no_newline = text.substr(0, text.size() - 1);
  expect_line(no_newline, 13);
  std::string bad_ballot = text;
  bad_ballot.replace(bad_ballot.find("ballot pdpr"), 11, "ballot dpr!");
  expect_line(bad_ballot, 7);
  std::string swapped = text;
  swapped.replace(swapped.find("rev 2\n"), 6, "");
  swapped.replace(swapped.find("tps "), 0, "rev 2\n");
  expect_line(swapped, 6);
  std::string negative = text;
  negative.replace(negative.find("v p1c2 0"), 8, "v p1c2 -1");
  expect_line(negative, 12);
}

TEST_F(StatementTest, LogEntryRoundTripsAndKeepsTheSignature) {
  auto s = SignedStatement::sign(result(), key);
  std::string entry = s.log_entry();
  EXPECT_TRUE(entry.starts_with(s.body));
  EXPECT_TRUE(entry.ends_with("\n"));
  auto back = SignedStatement::from_log_entry(entry);
  EXPECT_EQ(back.id, s.id);
  EXPECT_EQ(back.signature, s.signature);
  std::string tampered = entry;
  tampered[entry.size() - 10] ^= 0x01;
  EXPECT_ANY_THROW(SignedStatement::from_log_entry(tampered));
  EXPECT_THROW(SignedStatement::from_log_entry(s.body), StatementError);
}

TEST_F(StatementTest, UnsortedImagesAreRefused) {
  Statement s = result();
  std::swap(s.images[0], s.images[1]);
  EXPECT_THROW(encode_statement(s), StatementError);
}

TEST_F(StatementTest, ReasonMustBeOneLine) {
  Statement c = result();
  c.type = StatementType::correction;
  c.reason = "two\nlines";
  EXPECT_THROW(encode_statement(c), StatementError);
  c.reason = "";
  EXPECT_THROW(encode_statement(c), StatementError);
}

TEST_F(StatementTest, StoredStatementValuesGoStraightIntoLayoutOrder) {
  FormLayout layout;
  for (const char* name : {"pemilih_dpt_l", "p1c2", "suara_total"}) {
    layout.fields.push_back({name, name, Section::administrasi});
  }
  std::string body = encode_statement(result());
  std::vector<std::uint32_t> values;
  int asked = 0;
  LayoutFor layout_for = [&](const Statement& st) -> const FormLayout* {
    ++asked;
    EXPECT_EQ(st.tps, "3171011001001");
    EXPECT_EQ(st.ballot, Ballot::pdpr);
    return &layout;
  };
  Statement s = decode_stored_statement(body, layout_for, values);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(values, (std::vector<std::uint32_t>{50, 0, 117}));
  EXPECT_TRUE(s.values.empty());
  EXPECT_EQ(s.rev, 2u);
  EXPECT_EQ(s.images, result().images);

  // Lines that are not the layout's fields in order: read as any statement, for the ledger
  // to name what is wrong.
  std::swap(layout.fields[0], layout.fields[1]);
  s = decode_stored_statement(body, layout_for, values);
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(s.values, result().values);
  layout.fields.pop_back();
  s = decode_stored_statement(body, layout_for, values);
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(s.values.size(), 3u);
  s = decode_stored_statement(
      body, [](const Statement&) { return nullptr; }, values);
  EXPECT_TRUE(values.empty());
  EXPECT_EQ(s.values.size(), 3u);
  // Still strict about what it reads.
  EXPECT_THROW(decode_stored_statement(body.substr(0, body.size() - 1), layout_for, values),
               StatementError);
}

TEST(StatementTime, Format) {
  EXPECT_TRUE(valid_time("2024-02-14T23:59:59Z"));
  EXPECT_FALSE(valid_time("2024-02-14 23:59:59Z"));
  EXPECT_FALSE(valid_time("2024-13-14T23:59:59Z"));
  EXPECT_FALSE(valid_time("2024-02-14T24:00:00Z"));
  EXPECT_TRUE(valid_time(utc_now()));
}

}  // namespace
}  // namespace rekap
