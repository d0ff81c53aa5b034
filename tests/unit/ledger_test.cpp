#include <gtest/gtest.h>

#include "core/ledger.hpp"
#include "test_election.hpp"

namespace rekap {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_init();
    ASSERT_TRUE(submit(test::genesis(def, admin)).accepted());
  }

  const Definition& def = test::election();
  SecretKey admin = SecretKey::from_seed(sha256("admin"));
  SecretKey device = SecretKey::from_seed(sha256("device 1"));
  SecretKey other_device = SecretKey::from_seed(sha256("device 2"));
  SecretKey ppk = SecretKey::from_seed(sha256("ppk"));
  Ledger ledger{def, admin.public_key()};
  std::string tps = "3171011001001";
  static bool no_images(const Hash32&) { return false; }

  Decision submit(const SignedStatement& s, const Ledger::ImageExists& images = no_images) {
    Decision d = ledger.decide(s, images);
    if (d.accepted()) ledger.apply(s, d);
    return d;
  }
  SignedStatement enrol(const SecretKey& key, Role role, const std::string& scope,
                        const SecretKey* signer = nullptr) {
    Statement st;
    st.type = StatementType::enrol;
    st.election = def.election_id;
    st.time = "2024-02-13T00:00:00Z";
    st.key = key.public_key();
    st.role = role;
    st.scope = scope;
    return SignedStatement::sign(st, signer ? *signer : admin);
  }
  Statement result(std::uint32_t rev, std::uint32_t voters, const std::string& code = "") {
    Statement st;
    st.type = StatementType::result;
    st.election = def.election_id;
    st.time = "2024-02-14T13:00:00Z";
    st.tps = code.empty() ? tps : code;
    st.ballot = Ballot::ppwp;
    st.rev = rev;
    const Tps& t = def.tps[def.find_tps(st.tps)];
    const FormLayout& layout = def.contests[t.contest[0]].layout;
    auto values = test::valid_form(layout, {t.dpt_l, t.dpt_p}, voters);
    for (std::size_t i = 0; i < values.size(); ++i)
      st.values.emplace_back(layout.fields[i].name, values[i]);
    return st;
  }
};

TEST_F(LedgerTest, EnrolThenResultIsAccepted) {
  EXPECT_TRUE(submit(enrol(device, Role::kpps, tps)).accepted());
  Decision d = submit(SignedStatement::sign(result(1, 80), device));
  ASSERT_TRUE(d.accepted()) << d.message;
  EXPECT_EQ(d.index, 2u);
  EXPECT_FALSE(d.superseded);
  EXPECT_EQ(ledger.current(0, Ballot::ppwp).rev, 1u);
}

TEST_F(LedgerTest, DuplicateGetsTheSameIndexAndNothingTwice) {
  submit(enrol(device, Role::kpps, tps));
  auto s = SignedStatement::sign(result(1, 80), device);
  Decision first = submit(s);
  Decision again = submit(s);
  EXPECT_EQ(again.kind, Decision::Kind::duplicate);
  EXPECT_EQ(again.grounds, Decision::Grounds::none);
  EXPECT_EQ(again.index, first.index);
  EXPECT_EQ(ledger.size(), 3u);
}

TEST_F(LedgerTest, UnknownKeyAndWrongScopeAreRefused) {
  Decision d = submit(SignedStatement::sign(result(1, 80), device));
  EXPECT_EQ(d.grounds, Decision::Grounds::not_enrolled);
  EXPECT_EQ(d.code, "unknown_signer");
  submit(enrol(other_device, Role::kpps, "3171011001002"));
  d = submit(SignedStatement::sign(result(1, 80), other_device));
  EXPECT_EQ(d.grounds, Decision::Grounds::not_allowed);
  EXPECT_EQ(d.code, "out_of_scope");
  EXPECT_EQ(ledger.current(0, Ballot::ppwp).rev, 0u);
}

TEST_F(LedgerTest, OnlyAdminEnrols) {
  submit(enrol(device, Role::kpps, tps));
  Decision d = submit(enrol(other_device, Role::kpps, "3171011001002", &device));
  EXPECT_EQ(d.grounds, Decision::Grounds::not_allowed);
  EXPECT_EQ(d.code, "not_admin");
  d = submit(enrol(other_device, Role::kpps, "9999999999999"));
  EXPECT_EQ(d.code, "unknown_scope");
  d = submit(enrol(device, Role::kpps, "3171011001002"));
  EXPECT_EQ(d.code, "already_enrolled");
  d = submit(enrol(ppk, Role::ppk, "3171011001"));
  EXPECT_EQ(d.code, "unknown_scope") << "a ppk's scope is a kecamatan";
}

TEST_F(LedgerTest, NewerRevSupersedesOlderIsStale) {
  submit(enrol(device, Role::kpps, tps));
  Decision r2 = submit(SignedStatement::sign(result(2, 80), device));
  ASSERT_TRUE(r2.accepted());
  Decision r1 = submit(SignedStatement::sign(result(1, 70), device));
  EXPECT_EQ(r1.grounds, Decision::Grounds::conflict);
  EXPECT_EQ(r1.code, "stale_rev");
  Decision r3 = submit(SignedStatement::sign(result(3, 75), device));
  ASSERT_TRUE(r3.accepted());
  EXPECT_EQ(r3.superseded, r2.index);
}

TEST_F(LedgerTest, CorrectionByPpkSupersedesCurrent) {
  submit(enrol(device, Role::kpps, tps));
  submit(enrol(ppk, Role::ppk, "317101"));
  auto original = SignedStatement::sign(result(1, 80), device);
  Decision d0 = submit(original);
  Statement c = result(2, 81);
  c.type = StatementType::correction;
  c.supersedes = original.id;
  c.reason = "salah baca";
  Decision by_device = submit(SignedStatement::sign(c, device));
  EXPECT_EQ(by_device.code, "out_of_scope");
  Decision d = submit(SignedStatement::sign(c, ppk));
  ASSERT_TRUE(d.accepted()) << d.message;
  EXPECT_EQ(d.superseded, d0.index);
  // A correction of something no longer current is refused.
  Statement late = c;
  late.rev = 3;
  Decision again = submit(SignedStatement::sign(late, ppk));
  EXPECT_EQ(again.code, "not_current");
  // The device cannot undo the correction with a newer result of its own.
  Decision device_again = submit(SignedStatement::sign(result(5, 79), device));
  EXPECT_EQ(device_again.grounds, Decision::Grounds::conflict);
  EXPECT_EQ(device_again.code, "corrected");
  EXPECT_EQ(ledger.current(0, Ballot::ppwp).index, d.index);
}

TEST_F(LedgerTest, ArithmeticAndImagesAreChecked) {
  submit(enrol(device, Role::kpps, tps));
  Statement bad = result(1, 80);
  bad.values[bad.values.size() - 3].second += 500;  // suara_sah
  Decision d = submit(SignedStatement::sign(bad, device));
  EXPECT_EQ(d.grounds, Decision::Grounds::invalid);
  EXPECT_EQ(d.code, "validation");
  EXPECT_FALSE(d.violations.empty());

  Statement with_photo = result(1, 80);
  with_photo.images = {sha256("photo")};
  d = submit(SignedStatement::sign(with_photo, device));
  EXPECT_EQ(d.code, "missing_image");
  d = submit(SignedStatement::sign(with_photo, device), [](const Hash32&) { return true; });
  EXPECT_TRUE(d.accepted()) << d.message;
}

TEST_F(LedgerTest, GenesisComesFirstAndOnce) {
  Ledger fresh(def, admin.public_key());
  auto e = enrol(device, Role::kpps, tps);
  Decision d = fresh.decide(e, no_images);
  EXPECT_EQ(d.code, "no_genesis");
  Statement wrong = test::genesis(def, admin).statement;
  wrong.definition = sha256("another definition");
  EXPECT_EQ(fresh.decide(SignedStatement::sign(wrong, admin), no_images).code, "wrong_definition");
  EXPECT_EQ(fresh.decide(test::genesis(def, device), no_images).code, "not_admin");
  Statement later = test::genesis(def, admin).statement;
  later.time = "2024-02-02T00:00:00Z";
  EXPECT_EQ(submit(SignedStatement::sign(later, admin)).code, "genesis_exists");
}

TEST_F(LedgerTest, WrongElectionAndWrongFields) {
  submit(enrol(device, Role::kpps, tps));
  Statement other = result(1, 80);
  other.election = "another-election";
  EXPECT_EQ(submit(SignedStatement::sign(other, device)).code, "wrong_election");
  Statement missing = result(1, 80);
  missing.values.pop_back();
  Decision d = submit(SignedStatement::sign(missing, device));
  EXPECT_EQ(d.code, "wrong_fields");
  EXPECT_NE(d.message.find("suara_total"), std::string::npos);
}

// A rebuild checks results' content on other threads beforehand; the decisions must not change.
TEST_F(LedgerTest, ContentCheckedBeforehandDecidesTheSame) {
  submit(enrol(device, Role::kpps, tps));
  Statement bad_sum = result(1, 80);
  bad_sum.values[bad_sum.values.size() - 3].second += 500;
  Statement missing = result(1, 80);
  missing.values.pop_back();
  Statement unknown = result(1, 80);
  unknown.tps = "3171011001099";
  for (const Statement& st : {result(1, 80), bad_sum, missing, unknown}) {
    SignedStatement s = SignedStatement::sign(st, device);
    Decision content = check_result_content(def, st);
    Decision plain = ledger.decide(s, no_images);
    Decision given = ledger.decide(s, no_images, &content);
    EXPECT_EQ(given.kind, plain.kind) << plain.message;
    EXPECT_EQ(given.code, plain.code);
    EXPECT_EQ(given.message, plain.message);
    EXPECT_EQ(given.values, plain.values);
    EXPECT_EQ(given.violations.size(), plain.violations.size());
  }
  // The signer's right to speak for the TPS is still checked first.
  Statement foreign = result(1, 80);
  Decision content = check_result_content(def, foreign);
  ASSERT_TRUE(content.accepted());
  EXPECT_EQ(ledger.decide(SignedStatement::sign(foreign, other_device), no_images, &content).code,
            "unknown_signer");
}

}  // namespace
}  // namespace rekap
