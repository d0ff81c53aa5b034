// Reports in the store, on every backend: stored with their fields, read back newest first,
// counted per ballot, field and region, kept across a reopen, and added to a database made
// before reports existed.
#include <gtest/gtest.h>

#include "crypto/keys.hpp"
#include "server/open_storage.hpp"
#include "unit/store_backends.hpp"

namespace rekap {
namespace {

class ReportStore : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (const std::string why = unavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
    db_ = make_test_database(GetParam());
  }
  std::unique_ptr<Store> open() { return open_store(db_->location()); }

  std::unique_ptr<TestDatabase> db_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, ReportStore, ::testing::Values(Backend::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, ReportStore, ::testing::Values(Backend::postgres));

Report report(const std::string& tps, int ballot, std::vector<std::string> fields,
              const std::string& text, std::int64_t ms) {
  Report r;
  r.tps = tps;
  r.ballot = ballot;
  r.fields = std::move(fields);
  r.text = text;
  r.received_ms = ms;
  return r;
}

TEST_P(ReportStore, RoundTripsNewestFirstAndSurvivesAReopen) {
  Report with_evidence = report("3171011001001", 1, {"p1c2", "suara_sah"},
                                "Angka 86 di foto, 886 di situs.\nBaris kedua.", 1000);
  with_evidence.statement = sha256("statement");
  with_evidence.image = sha256("photo");
  {
    auto store = open();
    EXPECT_EQ(store->add_report(with_evidence), 1u);
    EXPECT_EQ(store->add_report(report("3171011001001", 0, {}, "kedua", 2000)), 2u);
    EXPECT_EQ(store->add_report(report("3171011002001", 0, {"c1"}, "ketiga", 3000)), 3u);
  }
  auto store = open();
  auto all = store->reports("3171011001001", 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, 2u);
  EXPECT_EQ(all[0].text, "kedua");
  EXPECT_TRUE(all[0].fields.empty());
  EXPECT_FALSE(all[0].statement);
  EXPECT_FALSE(all[0].image);
  const Report& first = all[1];
  EXPECT_EQ(first.id, 1u);
  EXPECT_EQ(first.tps, with_evidence.tps);
  EXPECT_EQ(first.ballot, 1);
  EXPECT_EQ(first.fields, with_evidence.fields);  // in the order given
  EXPECT_EQ(first.text, with_evidence.text);
  EXPECT_EQ(first.statement, with_evidence.statement);
  EXPECT_EQ(first.image, with_evidence.image);
  EXPECT_EQ(first.received_ms, 1000);
  EXPECT_EQ(store->reports("3171011001001", 1).size(), 1u);
  EXPECT_EQ(store->reports("", 10).size(), 3u);
  EXPECT_EQ(store->reports("3171011001", 10).size(), 2u);  // the desa
  EXPECT_TRUE(store->reports("3172", 10).empty());
  EXPECT_EQ(store->add_report(report("3171011001002", 4, {}, "keempat", 4000)), 4u);
}

TEST_P(ReportStore, CountsPerBallotFieldAndRegion) {
  auto store = open();
  store->add_report(report("3171011001001", 0, {"c1", "suara_sah"}, "a", 10));
  store->add_report(report("3171011001001", 0, {"c1"}, "b", 20));
  store->add_report(report("3171011001001", 1, {"c1"}, "c", 30));
  store->add_report(report("3171011001002", 1, {}, "d", 40));
  store->add_report(report("3171011002001", 2, {}, "e", 50));
  store->add_report(report("3171011002001", 2, {}, "f", 60));
  store->add_report(report("3171011002001", 2, {}, "g", 15));
  store->add_report(report("3201011001001", 0, {}, "h", 70));

  ReportCounts tps = store->report_counts("3171011001001");
  EXPECT_EQ(tps.total, 3u);
  EXPECT_EQ(tps.tps, 1u);
  EXPECT_EQ(tps.ballots, (std::array<std::uint64_t, 5>{2, 1, 0, 0, 0}));
  std::map<std::pair<int, std::string>, std::uint64_t> fields{
      {{0, "c1"}, 2}, {{0, "suara_sah"}, 1}, {{1, "c1"}, 1}};
  EXPECT_EQ(tps.fields, fields);

  ReportCounts kecamatan = store->report_counts("317101");
  EXPECT_EQ(kecamatan.total, 7u);
  EXPECT_EQ(kecamatan.tps, 3u);
  ReportCounts nation = store->report_counts("");
  EXPECT_EQ(nation.total, 8u);
  EXPECT_EQ(nation.tps, 4u);
  EXPECT_EQ(store->report_counts("33").total, 0u);

  auto desa = store->report_groups("317101", 10, 0);
  ASSERT_EQ(desa.size(), 2u);
  EXPECT_EQ(desa[0].code, "3171011001");  // 4 reports, before the desa with 3
  EXPECT_EQ(desa[0].count, 4u);
  EXPECT_EQ(desa[0].latest_ms, 40);
  EXPECT_EQ(desa[1].code, "3171011002");
  EXPECT_EQ(desa[1].latest_ms, 60);
  auto top = store->report_groups("", 13, 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].count, 3u);
  EXPECT_EQ(top[1].count, 3u);
  EXPECT_EQ(top[0].code, "3171011001001");  // equal counts: by code
  EXPECT_EQ(top[1].code, "3171011002001");
  auto provinces = store->report_groups("", 2, 0);
  ASSERT_EQ(provinces.size(), 2u);
  EXPECT_EQ(provinces[0].code, "31");
  EXPECT_EQ(provinces[1].code, "32");
}

TEST_P(ReportStore, ADatabaseFromBeforeReportsIsUpgradedInPlace) {
  StoredStatement s;
  s.index = 0;
  s.body = "genesis";
  s.id = sha256(s.body);
  s.leaf = sha256("leaf");
  {
    auto store = open();
    store->put_meta("origin", "rekap.local/test");
    store->append({s}, {}, {});
  }
  db_->make_version_1();
  auto store = open();
  EXPECT_EQ(store->size(), 1u);
  EXPECT_EQ(store->get_meta("origin"), "rekap.local/test");
  EXPECT_EQ(store->get(0)->body, "genesis");
  EXPECT_EQ(store->add_report(report("3171011001001", 0, {"c1"}, "after the upgrade", 5)), 1u);
  EXPECT_EQ(store->reports("", 5).at(0).text, "after the upgrade");
}

}  // namespace
}  // namespace rekap
