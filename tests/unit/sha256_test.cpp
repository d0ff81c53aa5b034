#include "crypto/sha256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"

namespace rekap {
namespace {

// FIPS 180-2 examples.
TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(to_hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesHashAsTheWholeAndTheHasherStartsOver) {
  std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Hash32 whole = sha256(text);
  EXPECT_EQ(to_hex(whole), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256({text.substr(0, 1), text.substr(1, 30), "", text.substr(31)}), whole);
  Sha256 h;
  EXPECT_EQ(h.update(text.substr(0, 7)).update(text.substr(7)).finish(), whole);
  EXPECT_EQ(h.update("abc").finish(), sha256("abc"));
}

TEST(Sha256, EveryThreadHashesAlone) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong, t] {
      std::string text(1000 + t, char('a' + t));
      Hash32 want = sha256(text);
      for (int i = 0; i < 2000; ++i)
        wrong[t] += sha256({text.substr(0, 10), text.substr(10)}) != want;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace rekap
