#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "log/note.hpp"

namespace rekap::tlog {
namespace {

// Known answers from Go's golang.org/x/mod/sumdb/note (note_test.go, example_test.go): the
// "PeterNeumann" signer key's seed, its verifier key, and its signature of kQuote.
constexpr std::string_view kPeterSeedHex =
    "810a1402d5146c8d84f2443330f54080ebf98ee17d9c74f6252fc5d5c7283173";
constexpr std::string_view kPeterVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kEnochVkey =
    "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr std::string_view kQuote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kPeterSig =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr std::string_view kEnochSig =
    "\xE2\x80\x94 EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/"
    "5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

// A real checkpoint of a static-ct log with witness cosignatures, and the verifier keys of the
// log (type 0x01) and of one witness (type 0x04), as published in a C2SP checkpoint test suite.
constexpr std::string_view kRealCheckpoint =
    "arche2025h1.staging.ct.transparency.dev\n"
    "1432088532\n"
    "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n"
    "\n"
    "\xE2\x80\x94 arche2025h1.staging.ct.transparency.dev "
    "zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFb"
    "on5Ch9MNL5zRNZ55lvGt0=\n"
    "\xE2\x80\x94 arche2025h1.staging.ct.transparency.dev "
    "ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
    "\xE2\x80\x94 transparency.dev/DEV:witness-little-garden "
    "2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/"
    "KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY0"
    "96st5BQ==\n"
    "\xE2\x80\x94 witness1.smartit.nu/witness1 "
    "pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0Xwz"
    "dZsDsUAQ==\n"
    "\xE2\x80\x94 remora.n621.de "
    "2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/"
    "zZ0WBxtqB0"
    "DrAWfBw==\n"
    "\xE2\x80\x94 witness.stagemole.eu "
    "Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/"
    "2TUFucgKi7lI7cUiOvKFYe/"
    "TmN9DAg==\n";
constexpr std::string_view kRealLogVkey =
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
constexpr std::string_view kRemoraVkey =
    "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

SecretKey peter_key() {
  std::array<std::uint8_t, 32> seed;
  EXPECT_TRUE(from_hex(kPeterSeedHex, seed));
  return SecretKey::from_seed(seed);
}

SecretKey test_key(std::uint8_t fill) {
  std::array<std::uint8_t, 32> seed;
  seed.fill(fill);
  return SecretKey::from_seed(seed);
}

Verifier verifier_of(std::string_view vkey) {
  auto v = parse_verifier_key(vkey);
  EXPECT_TRUE(v) << vkey;
  return v.value_or(Verifier{});
}

Checkpoint test_checkpoint() {
  Checkpoint c;
  c.origin = "rekap.example/pemilu-2024";
  c.size = 123456;
  for (std::size_t i = 0; i < c.root.size(); ++i) c.root[i] = std::uint8_t(i * 7 + 1);
  return c;
}

class NoteTest : public ::testing::Test {
 protected:
  void SetUp() override { crypto_init(); }
};

TEST_F(NoteTest, VerifierKeyKnownAnswers) {
  SecretKey peter = peter_key();
  EXPECT_EQ(key_id("PeterNeumann", peter.public_key()), 0xc74f20a3u);
  EXPECT_EQ(verifier_key("PeterNeumann", peter.public_key()), kPeterVkey);

  Verifier v = verifier_of(kPeterVkey);
  EXPECT_EQ(v.name, "PeterNeumann");
  EXPECT_EQ(v.key_id, 0xc74f20a3u);
  EXPECT_EQ(v.type, kSigEd25519);
  EXPECT_EQ(v.key, peter.public_key());

  // c2sp.org/signed-note's example key.
  Verifier foo =
      verifier_of("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  EXPECT_EQ(foo.key_id, 0x530d903au);
  EXPECT_EQ(to_hex(foo.key), "e932791ae6e7a840a46164c904786426d5e7821dd8b29a00d61cae72afdd4da4");

  // A witness's cosignature key (type 0x04), and a key whose base64 holds '+' characters.
  Verifier remora = verifier_of(kRemoraVkey);
  EXPECT_EQ(remora.type, kSigCosignatureV1);
  EXPECT_EQ(remora.key_id, 0xda77ade7u);
  EXPECT_EQ(verifier_key(remora.name, remora.key, kSigCosignatureV1), kRemoraVkey);
  Verifier plus = verifier_of("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6");
  EXPECT_EQ(plus.name, "TEST");

  // The same key under another signature type has another key id.
  EXPECT_NE(key_id("PeterNeumann", peter.public_key(), kSigCosignatureV1), 0xc74f20a3u);
}

TEST_F(NoteTest, SignNoteKnownAnswer) {
  std::string expected = std::string(kQuote) + "\n" + std::string(kPeterSig);
  EXPECT_EQ(sign_note(kQuote, "PeterNeumann", peter_key()), expected);

  Note note = parse_note(expected);
  EXPECT_EQ(note.text, kQuote);
  ASSERT_EQ(note.signatures.size(), 1u);
  EXPECT_EQ(note.signatures[0].name, "PeterNeumann");
  EXPECT_EQ(note.signatures[0].key_id, 0xc74f20a3u);
  EXPECT_EQ(note.signatures[0].signature.size(), 64u);
  EXPECT_TRUE(verify_note(note, verifier_of(kPeterVkey)));
  EXPECT_EQ(format_note(note), expected);
}

TEST_F(NoteTest, TwoSignerKnownAnswer) {
  std::string message =
      std::string(kQuote) + "\n" + std::string(kPeterSig) + std::string(kEnochSig);
  Note note = parse_note(message);
  ASSERT_EQ(note.signatures.size(), 2u);
  EXPECT_TRUE(verify_note(note, verifier_of(kPeterVkey)));
  EXPECT_TRUE(verify_note(note, verifier_of(kEnochVkey)));
  EXPECT_EQ(format_note(note), message);

  Verifier foo =
      verifier_of("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
  EXPECT_FALSE(verify_note(note, foo));  // no line by this key: not verified
  Note example = parse_note(
      "This is an example message.\n\n\xE2\x80\x94 example.com/foo "
      "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM="
      "\n");
  EXPECT_TRUE(verify_note(example, foo));
}

TEST_F(NoteTest, RealCheckpointWithCosignatures) {
  Note note = parse_note(kRealCheckpoint);
  ASSERT_EQ(note.signatures.size(), 6u);
  EXPECT_EQ(format_note(note), kRealCheckpoint);
  auto checkpoint = parse_checkpoint_body(note.text);
  ASSERT_TRUE(checkpoint);
  EXPECT_EQ(checkpoint->origin, "arche2025h1.staging.ct.transparency.dev");
  EXPECT_EQ(checkpoint->size, 1432088532u);
  EXPECT_TRUE(checkpoint->extensions.empty());
  EXPECT_EQ(checkpoint_body(*checkpoint), note.text);

  // The log's Ed25519 line verifies; its other line (an RFC 6962 tree head signature, type 0x05)
  // has another key id and is left alone.
  EXPECT_TRUE(verify_note(note, verifier_of(kRealLogVkey)));

  Verifier remora = verifier_of(kRemoraVkey);
  const NoteSignature& cosig = note.signatures[4];
  EXPECT_EQ(verify_cosignature(note.text, cosig, remora), std::optional<std::uint64_t>(1779573024));
  std::string clobbered = note.text;
  clobbered.replace(clobbered.find("1432088532"), 10, "1432088533");
  EXPECT_FALSE(verify_cosignature(clobbered, cosig, remora));
  for (std::size_t i = 0; i < note.signatures.size(); ++i) {
    if (i == 4) continue;
    EXPECT_FALSE(verify_cosignature(note.text, note.signatures[i], remora)) << i;
  }
}

TEST_F(NoteTest, CosignatureLayoutOfSpecExample) {
  // c2sp.org/tlog-cosignature's example: key id, then the big-endian timestamp of its
  // "time 1679315147" line, then a 64-byte signature.
  Note note = parse_note(
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
      "\xE2\x80\x94 example.com/behind-the-sofa "
      "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/"
      "Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
      "\xE2\x80\x94 witness.example.com/w1 "
      "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/"
      "zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkB"
      "IfZ+qnA==\n");
  ASSERT_EQ(note.signatures.size(), 2u);
  const NoteSignature& w = note.signatures[1];
  EXPECT_EQ(w.key_id, 0x8d66cf3fu);
  ASSERT_EQ(w.signature.size(), 72u);
  std::uint64_t timestamp = 0;
  for (char b : w.signature.substr(0, 8)) timestamp = timestamp << 8 | std::uint8_t(b);
  EXPECT_EQ(timestamp, 1679315147u);
}

TEST_F(NoteTest, CheckpointRoundTrip) {
  Checkpoint c = test_checkpoint();
  std::string body = checkpoint_body(c);
  EXPECT_EQ(body, "rekap.example/pemilu-2024\n123456\n" + to_base64(c.root) + "\n");
  EXPECT_EQ(parse_checkpoint_body(body), c);

  c.extensions = {"extension one", "\xE2\x80\x94 two"};
  body = checkpoint_body(c);
  EXPECT_TRUE(body.ends_with("\nextension one\n\xE2\x80\x94 two\n"));
  EXPECT_EQ(parse_checkpoint_body(body), c);

  Checkpoint empty;
  empty.origin = "o";
  empty.root = sha256("");
  EXPECT_EQ(checkpoint_body(empty), "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  EXPECT_EQ(parse_checkpoint_body(checkpoint_body(empty)), empty);

  Checkpoint largest = test_checkpoint();
  largest.size = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(parse_checkpoint_body(checkpoint_body(largest)), largest);
}

TEST_F(NoteTest, CheckpointRefusals) {
  std::string root = to_base64(test_checkpoint().root);
  for (const std::string& bad : std::vector<std::string>{
           "o\n123\n" + root,                          // no final newline
           "o\n123\n" + root + "\n\n",                 // empty extension line
           "o\n123\n" + root + "\nx\n\n",              // empty extension line
           "o\n123\n",                                 // no root
           "\n123\n" + root + "\n",                    // empty origin
           "o\n0123\n" + root + "\n",                  // leading zero
           "o\n00\n" + root + "\n",                    // leading zero
           "o\n\n" + root + "\n",                      // empty size
           "o\n-1\n" + root + "\n",                    // sign
           "o\n+1\n" + root + "\n",                    // sign
           "o\n 1\n" + root + "\n",                    // space
           "o\n1e3\n" + root + "\n",                   // not decimal digits
           "o\n18446744073709551616\n" + root + "\n",  // 2^64
           "o\n1\n" + root.substr(0, 43) + "\n",       // unpadded
           "o\n1\n" + root.substr(0, 42) + "B=\n",     // non-canonical trailing bits
           "o\n1\n" + to_base64(as_bytes(std::string(31, 'x'))) + "\n",  // 31 bytes
           "o\n1\n" + to_base64(as_bytes(std::string(33, 'x'))) + "\n",  // 33 bytes
           "o\r\n1\n" + root + "\n",                                     // control character
           "o\xff\n1\n" + root + "\n",                                   // not UTF-8
       }) {
    EXPECT_FALSE(parse_checkpoint_body(bad)) << bad;
  }

  Checkpoint c = test_checkpoint();
  c.origin = "";
  EXPECT_THROW(checkpoint_body(c), std::invalid_argument);
  c.origin = "two\nlines";
  EXPECT_THROW(checkpoint_body(c), std::invalid_argument);
  c = test_checkpoint();
  c.extensions = {""};
  EXPECT_THROW(checkpoint_body(c), std::invalid_argument);
  c.extensions = {"tab\there"};
  EXPECT_THROW(checkpoint_body(c), std::invalid_argument);
}

TEST_F(NoteTest, SignParseFormatRoundTrip) {
  SecretKey key = test_key(7);
  std::string body = checkpoint_body(test_checkpoint());
  std::string message = sign_note(body, "rekap.example/pemilu-2024", key);
  Note note = parse_note(message);
  EXPECT_EQ(note.text, body);
  EXPECT_EQ(format_note(note), message);
  Verifier v = verifier_of(verifier_key("rekap.example/pemilu-2024", key.public_key()));
  EXPECT_TRUE(verify_note(note, v));

  // Texts may hold blank lines and non-ASCII text: the last blank line ends the text.
  std::string text = "first\n\n\nkab. Pidie Jaya \xE2\x80\x94 Meureudu\n";
  Note odd = parse_note(sign_note(text, "n", key));
  EXPECT_EQ(odd.text, text);
  EXPECT_TRUE(verify_note(odd, verifier_of(verifier_key("n", key.public_key()))));
}

TEST_F(NoteTest, AnyChangedByteBreaksVerification) {
  SecretKey key = test_key(1);
  Verifier v = verifier_of(verifier_key("log.example", key.public_key()));
  Note note = parse_note(sign_note(checkpoint_body(test_checkpoint()), "log.example", key));
  ASSERT_TRUE(verify_note(note, v));
  for (std::size_t i = 0; i < note.text.size(); ++i) {
    Note changed = note;
    changed.text[i] ^= 0x01;
    EXPECT_FALSE(verify_note(changed, v)) << "text byte " << i;
  }
  for (std::size_t i = 0; i < note.signatures[0].signature.size(); ++i) {
    Note changed = note;
    changed.signatures[0].signature[i] ^= 0x01;
    EXPECT_FALSE(verify_note(changed, v)) << "signature byte " << i;
  }
  Note truncated = note;
  truncated.signatures[0].signature.pop_back();
  EXPECT_FALSE(verify_note(truncated, v));

  // The same through the text form: any changed base64 character of the signature line.
  std::string message = format_note(note);
  std::size_t b64 = message.rfind(' ') + 1;
  for (std::size_t i = b64; i + 1 < message.size(); ++i) {
    std::string changed = message;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    try {
      EXPECT_FALSE(verify_note(parse_note(changed), v)) << "base64 character " << i;
    } catch (const std::invalid_argument&) {
      // Refused outright (non-canonical base64): as good as a failed verification.
    }
  }
}

TEST_F(NoteTest, WrongNameKeyIdOrTypeDoesNotVerify) {
  SecretKey key = test_key(2);
  Note note = parse_note(sign_note(checkpoint_body(test_checkpoint()), "log.example", key));
  Verifier v = verifier_of(verifier_key("log.example", key.public_key()));

  Verifier other_name = v;
  other_name.name = "log.example2";
  EXPECT_FALSE(verify_note(note, other_name));
  Verifier other_id = v;
  other_id.key_id ^= 1;
  EXPECT_FALSE(verify_note(note, other_id));
  Verifier other_key = verifier_of(verifier_key("log.example", test_key(3).public_key()));
  EXPECT_FALSE(verify_note(note, other_key));
  Verifier cosigner = verifier_of(verifier_key("log.example", key.public_key(), kSigCosignatureV1));
  EXPECT_FALSE(verify_note(note, cosigner));

  // A line that claims the name but not the key id is someone else's: ignored.
  Note with_stranger = note;
  with_stranger.signatures.insert(with_stranger.signatures.begin(),
                                  {"log.example", v.key_id ^ 1, std::string(64, 'x')});
  EXPECT_TRUE(verify_note(with_stranger, v));
  // A second line by the known key that fails rejects the note, as signed-note asks.
  Note with_forgery = note;
  with_forgery.signatures.push_back({"log.example", v.key_id, std::string(64, 'x')});
  EXPECT_FALSE(verify_note(with_forgery, v));
  // Without any line by the key, nothing verifies.
  Note unsigned_note = note;
  unsigned_note.signatures[0].name = "someone.else";
  EXPECT_FALSE(verify_note(unsigned_note, v));
}

TEST_F(NoteTest, MalformedNotesRefused) {
  std::string text(kQuote);
  std::string sig(kPeterSig);
  std::vector<std::string> bad = {
      "",
      text,
      text + "\n",
      text + "\n" + sig.substr(0, sig.size() - 1),  // no final newline
      "\x01" + text + "\n" + sig,                   // control character
      text.substr(0, 10) + "\r" + text.substr(10) + "\n" + sig,
      "\xff" + text + "\n" + sig,          // not UTF-8
      "\xC0\xAF" + text + "\n" + sig,      // overlong encoding
      "\xED\xA0\x80" + text + "\n" + sig,  // UTF-16 surrogate
      text +
          "\n\xE2\x80\x94 Bad Name "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      text + "\n" + sig + "Unexpected line.\n",
      text + "\n" + sig + "\n",  // blank line after the signatures
      text + sig,                // no blank line
      text + "\n-- PeterNeumann " + sig.substr(sig.rfind(' ') + 1),  // ASCII dashes
      text + "\n\xE2\x80\x94PeterNeumann " + sig.substr(sig.rfind(' ') + 1),
      text + "\n\xE2\x80\x94 PeterNeumann\n",   // no signature
      text + "\n\xE2\x80\x94 PeterNeumann \n",  // empty signature
      text +
          "\n\xE2\x80\x94  "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      text +
          "\n\xE2\x80\x94 Peter+Neumann "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      text +
          "\n\xE2\x80\x94 Peter\xC2\xA0Neumann "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      text +
          "\n\xE2\x80\x94 PeterNeumann "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
      text +
          "\n\xE2\x80\x94 PeterNeumann "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n",
      text +
          "\n\xE2\x80\x94 PeterNeumann "
          "x08go/ZJkuBS9UG/"
          "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM= \n",
      text + "\n\xE2\x80\x94 PeterNeumann x08gow==\n",  // key id only, no signature
  };
  std::string many = text + "\n";
  for (int i = 0; i < 101; ++i) many += sig;
  bad.push_back(many);
  for (const std::string& message : bad) {
    EXPECT_THROW(parse_note(message), std::invalid_argument) << message;
  }

  // The spec's floor is 16 signatures; Go takes 100.
  std::string hundred = text + "\n";
  for (int i = 0; i < 100; ++i) hundred += sig;
  EXPECT_EQ(parse_note(hundred).signatures.size(), 100u);
}

// Whatever parses is in its one canonical form: formatting gives back the very bytes. Random
// byte changes to good notes and checkpoints must be refused or parse to exactly themselves.
TEST_F(NoteTest, MutatedInputsAreRefusedOrCanonical) {
  std::mt19937 rng(20240214);
  std::string note_text(kRealCheckpoint);
  std::string body = parse_note(note_text).text;
  int parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string m = round % 2 ? note_text : body;
    for (int k = 1 + int(rng() % 3); k > 0; --k) {
      std::size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0:
          m[at] = char(rng());
          break;
        case 1:
          m.erase(at, 1);
          break;
        default:
          m.insert(at, 1, "\n +=A\xE2"[rng() % 6]);
      }
      if (m.empty()) break;
    }
    if (round % 2) {
      try {
        EXPECT_EQ(format_note(parse_note(m)), m);
        ++parsed;
      } catch (const std::invalid_argument&) {
      }
    } else if (auto c = parse_checkpoint_body(m)) {
      EXPECT_EQ(checkpoint_body(*c), m);
      ++parsed;
    }
  }
  EXPECT_GT(parsed, 100);  // the mutations do not all land in refusals
}

TEST_F(NoteTest, FormatAndSignRefuseWhatCannotParse) {
  SecretKey key = test_key(4);
  EXPECT_THROW(sign_note("no newline", "n", key), std::invalid_argument);
  EXPECT_THROW(sign_note("", "n", key), std::invalid_argument);
  EXPECT_THROW(sign_note("tab\there\n", "n", key), std::invalid_argument);
  EXPECT_THROW(sign_note("text\n", "bad name", key), std::invalid_argument);
  EXPECT_THROW(sign_note("text\n", "", key), std::invalid_argument);
  EXPECT_THROW(format_note(Note{"text\n", {}}), std::invalid_argument);
  EXPECT_THROW(format_note(Note{"text\n", {{"n", 1, ""}}}), std::invalid_argument);
  EXPECT_THROW(verifier_key("a+b", key.public_key()), std::invalid_argument);
}

TEST_F(NoteTest, VerifierKeyRefusals) {
  // Every proper substring and every single-byte change of a good key is refused (the
  // manglings Go's note_test.go tries).
  std::string good(kPeterVkey);
  for (std::size_t i = 0; i <= good.size(); ++i) {
    for (std::size_t j = i + 1; j <= good.size(); ++j) {
      if (i == 0 && j == good.size()) continue;
      EXPECT_FALSE(parse_verifier_key(good.substr(i, j - i))) << good.substr(i, j - i);
    }
  }
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string changed = good;
    ++changed[i];
    EXPECT_FALSE(parse_verifier_key(changed)) << changed;
  }

  SecretKey key = test_key(5);
  // Built by hand, so that names verifier_key() refuses can be tried too.
  auto with_type = [&](std::string_view name, std::uint8_t type) {
    char id[9];
    std::snprintf(id, sizeof id, "%08x", unsigned(key_id(name, key.public_key(), type)));
    std::string typed = char(type) + std::string(key.public_key().begin(), key.public_key().end());
    return std::string(name) + "+" + id + "+" + to_base64(as_bytes(typed));
  };
  EXPECT_TRUE(parse_verifier_key(with_type("ok", kSigEd25519)));
  EXPECT_TRUE(parse_verifier_key(with_type("ok", kSigCosignatureV1)));
  EXPECT_FALSE(parse_verifier_key(with_type("ok", 0x02)));  // ECDSA: not supported here
  EXPECT_FALSE(parse_verifier_key(with_type("ok", 0x00)));

  for (std::string_view bad : {
           // Go's own: a key of the wrong length, and an unknown algorithm, each with a
           // matching key hash.
           "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
           "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
           "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // upper case
           "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
           "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",
           "PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
           "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
           "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
           "PeterNeumann+c74f20a3",
           "PeterNeumann",
           "",
       }) {
    EXPECT_FALSE(parse_verifier_key(bad)) << bad;
  }

  // Names with a whitespace of any kind cannot be keys, even with a matching key id.
  for (std::string_view name : {"a b", "a\tb",
                                "a\xC2\xA0"
                                "b",
                                "a\xE3\x80\x80"
                                "b",
                                "a\xE2\x80\xA8"
                                "b",
                                "a\xC2\x85"
                                "b",
                                "a\xE1\x9A\x80"
                                "b",
                                "a\x01"
                                "b",
                                "a\xff"
                                "b"}) {
    EXPECT_FALSE(valid_key_name(name)) << name;
    EXPECT_FALSE(parse_verifier_key(with_type(name, kSigEd25519))) << name;
  }
  EXPECT_TRUE(valid_key_name("rekap.example/pemilu-2024"));
  EXPECT_TRUE(valid_key_name("oid/1.3.6.1.4.1"));
  EXPECT_TRUE(valid_key_name("caf\xC3\xA9"));
}

TEST_F(NoteTest, CosignatureRoundTrip) {
  SecretKey log = test_key(8);
  SecretKey witness = test_key(9);
  Checkpoint c = test_checkpoint();
  c.extensions = {"an extension"};
  std::string body = checkpoint_body(c);
  Note note = parse_note(sign_note(body, c.origin, log));
  NoteSignature cosig = cosign(body, "witness.example/w1", witness, 1700000000);
  EXPECT_EQ(cosig.key_id, key_id("witness.example/w1", witness.public_key(), kSigCosignatureV1));
  ASSERT_EQ(cosig.signature.size(), 72u);
  EXPECT_EQ(to_hex(as_bytes(cosig.signature.substr(0, 8))), "000000006553f100");
  note.signatures.push_back(cosig);

  Note back = parse_note(format_note(note));
  EXPECT_EQ(back, note);
  Verifier wv =
      verifier_of(verifier_key("witness.example/w1", witness.public_key(), kSigCosignatureV1));
  EXPECT_EQ(verify_cosignature(back.text, back.signatures[1], wv),
            std::optional<std::uint64_t>(1700000000));
  EXPECT_TRUE(verify_note(back, verifier_of(verifier_key(c.origin, log.public_key()))));
  // The witness's key as a plain note key verifies neither.
  Verifier plain = verifier_of(verifier_key("witness.example/w1", witness.public_key()));
  EXPECT_FALSE(verify_cosignature(back.text, back.signatures[1], plain));
  EXPECT_FALSE(verify_note(back, wv));

  // A timestamp of 0 is refused both ways: cosign will not make one, and a cosignature made by
  // hand with one (a valid Ed25519 signature over the spec's message) does not verify.
  EXPECT_THROW(cosign(body, "w", witness, 0), std::invalid_argument);
  Signature zero_sig = witness.sign("cosignature/v1\ntime 0\n" + body);
  NoteSignature zero{"w", key_id("w", witness.public_key(), kSigCosignatureV1),
                     std::string(8, '\0') + std::string(zero_sig.begin(), zero_sig.end())};
  EXPECT_FALSE(
      verify_cosignature(body, zero, verifier_of(verifier_key("w", witness.public_key(), 4))));
  NoteSignature one = cosign(body, "w", witness, 1);
  EXPECT_EQ(verify_cosignature(body, one, verifier_of(verifier_key("w", witness.public_key(), 4))),
            std::optional<std::uint64_t>(1));
  std::uint64_t max = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(verify_cosignature(body, cosign(body, "w", witness, max),
                               verifier_of(verifier_key("w", witness.public_key(), 4))),
            std::optional<std::uint64_t>(max));
}

TEST_F(NoteTest, CosignatureChangesBreakVerification) {
  SecretKey witness = test_key(10);
  Checkpoint c = test_checkpoint();
  c.extensions = {"ext"};
  std::string body = checkpoint_body(c);
  NoteSignature cosig = cosign(body, "w.example", witness, 1234567890);
  Verifier wv = verifier_of(verifier_key("w.example", witness.public_key(), kSigCosignatureV1));
  ASSERT_TRUE(verify_cosignature(body, cosig, wv));

  // Every byte of the body, extension lines included, is covered.
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string changed = body;
    changed[i] ^= 0x01;
    EXPECT_FALSE(verify_cosignature(changed, cosig, wv)) << "body byte " << i;
  }
  EXPECT_FALSE(verify_cosignature(checkpoint_body(test_checkpoint()), cosig, wv));
  // Every byte of timestamp and signature.
  for (std::size_t i = 0; i < cosig.signature.size(); ++i) {
    NoteSignature changed = cosig;
    changed.signature[i] ^= 0x01;
    EXPECT_FALSE(verify_cosignature(body, changed, wv)) << "signature byte " << i;
  }
  NoteSignature renamed = cosig;
  renamed.name = "x.example";
  EXPECT_FALSE(verify_cosignature(body, renamed, wv));
  NoteSignature reid = cosig;
  reid.key_id ^= 1;
  EXPECT_FALSE(verify_cosignature(body, reid, wv));

  // A timestamp of 2^63 or more is refused outright.
  EXPECT_THROW(cosign(body, "w.example", witness, std::uint64_t(1) << 63), std::invalid_argument);
  NoteSignature high = cosig;
  high.signature[0] = char(0x80);
  EXPECT_FALSE(verify_cosignature(body, high, wv));
  // Only checkpoints are cosigned.
  EXPECT_THROW(cosign("not a checkpoint\n", "w.example", witness, 1), std::invalid_argument);
  EXPECT_THROW(cosign(body, "bad name", witness, 1), std::invalid_argument);
  EXPECT_FALSE(verify_cosignature("not a checkpoint\n", cosig, wv));
}

}  // namespace
}  // namespace rekap::tlog
