// The store's contract on every backend (StoreTest, over store_backends.hpp), and the photos'
// store.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "server/open_storage.hpp"
#include "store/image_files.hpp"
#include "unit/store_backends.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("rekap-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The contract every store keeps, run on each backend (store_backends.hpp).
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() { crypto_init(); }
  void SetUp() override {
    if (const std::string why = unavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
    db_ = make_test_database(GetParam());
  }
  std::unique_ptr<Store> open() { return open_store(db_->location()); }

  std::unique_ptr<TestDatabase> db_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreTest, ::testing::Values(Backend::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, StoreTest, ::testing::Values(Backend::postgres));

constexpr const char* kTpsA = "3171011001001";
constexpr const char* kTpsB = "3171011001002";

TEST_P(StoreTest, MetaRoundTrip) {
  auto store = open();
  EXPECT_FALSE(store->get_meta("election").has_value());
  store->put_meta("election", "pemilu-2024");
  const std::string binary = "\x00\x01\xff key bytes"s;
  store->put_meta("admin_key", binary);
  EXPECT_EQ(store->get_meta("election"), "pemilu-2024");
  EXPECT_EQ(store->get_meta("admin_key"), binary);
  store->put_meta("election", "pemilu-2029");
  EXPECT_EQ(store->get_meta("election"), "pemilu-2029");
  store->put_meta("empty", "");
  EXPECT_EQ(store->get_meta("empty"), "");
}

TEST_P(StoreTest, DefinitionRoundTrip) {
  auto store = open();
  EXPECT_FALSE(store->load_definition().has_value());
  const DefinitionFiles files = {{"election.csv", "id,name\npemilu-2024,Pemilu 2024\n"},
                                 {"tps.csv", "code,dpt_l,dpt_p\n3171011001001,120,130\n"}};
  store->save_definition(files);
  EXPECT_EQ(store->load_definition(), files);

  // Saving again replaces the whole set, not just the files named.
  const DefinitionFiles replacement = {{"regions.csv", "code,name\n31,DKI JAKARTA\n"}};
  store->save_definition(replacement);
  EXPECT_EQ(store->load_definition(), replacement);
}

TEST_P(StoreTest, AppendGetScanByTpsCurrent) {
  auto store = open();
  EXPECT_EQ(store->size(), 0u);
  const std::vector<StoredStatement> first = {
      make_statement(0, "", -1), make_statement(1, kTpsA, 0), make_statement(2, kTpsB, 0)};
  store->append(first, {{kTpsA, 0, 1}, {kTpsB, 0, 2}}, {});
  EXPECT_EQ(store->size(), 3u);
  // A correction supersedes statement 1, and a second ballot arrives for the same TPS.
  const std::vector<StoredStatement> second = {make_statement(3, kTpsA, 0),
                                               make_statement(4, kTpsA, 1)};
  store->append(second, {{kTpsA, 0, 3}, {kTpsA, 1, 4}}, {});
  EXPECT_EQ(store->size(), 5u);

  std::vector<StoredStatement> all = first;
  all.insert(all.end(), second.begin(), second.end());
  for (const StoredStatement& s : all) {
    const auto got = store->get(s.index);
    ASSERT_TRUE(got.has_value()) << s.index;
    expect_same(*got, s);
  }
  EXPECT_FALSE(store->get(5).has_value());

  std::vector<std::uint64_t> scanned;
  store->scan(0, [&](const StoredStatement& s) {
    expect_same(s, all.at(scanned.size()));
    scanned.push_back(s.index);
  });
  EXPECT_EQ(scanned, (std::vector<std::uint64_t>{0, 1, 2, 3, 4}));
  scanned.clear();
  store->scan(3, [&](const StoredStatement& s) { scanned.push_back(s.index); });
  EXPECT_EQ(scanned, (std::vector<std::uint64_t>{3, 4}));
  scanned.clear();
  store->scan(99, [&](const StoredStatement& s) { scanned.push_back(s.index); });
  EXPECT_TRUE(scanned.empty());

  const auto a = store->by_tps(kTpsA);
  ASSERT_EQ(a.size(), 3u);
  expect_same(a[0], all[1]);
  expect_same(a[1], all[3]);
  expect_same(a[2], all[4]);
  ASSERT_EQ(store->by_tps(kTpsB).size(), 1u);
  EXPECT_TRUE(store->by_tps("3171011001999").empty());
  // Statements about no TPS are stored with tps NULL and still come back with "".
  const auto none = store->by_tps("");
  ASSERT_EQ(none.size(), 1u);
  expect_same(none[0], all[0]);

  const auto current = store->current_of(kTpsA);
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(current[0].tps, kTpsA);
  EXPECT_EQ(current[0].ballot, 0);
  EXPECT_EQ(current[0].index, 3u);
  EXPECT_EQ(current[1].ballot, 1);
  EXPECT_EQ(current[1].index, 4u);
  const auto current_b = store->current_of(kTpsB);
  ASSERT_EQ(current_b.size(), 1u);
  EXPECT_EQ(current_b[0].index, 2u);
  EXPECT_TRUE(store->current_of("3171011001999").empty());
}

TEST_P(StoreTest, CurrentResultsOfALargeBatchTheLastOneWins) {
  auto store = open();
  // More TPS than one SQL statement may carry, and a correction in the same batch as the
  // result it supersedes.
  constexpr std::uint64_t kCount = 2500;
  std::vector<StoredStatement> batch;
  std::vector<CurrentUpdate> current;
  for (std::uint64_t i = 0; i < kCount; ++i) {
    const std::string tps = "3171011" + std::to_string(100000 + i);
    batch.push_back(make_statement(i, tps, 0));
    current.push_back({tps, 0, i});
  }
  batch.push_back(make_statement(kCount, "3171011100007", 0));
  current.push_back({"3171011100007", 0, kCount});
  store->append(batch, current, {});

  ASSERT_EQ(store->current_of("3171011100007").size(), 1u);
  EXPECT_EQ(store->current_of("3171011100007")[0].index, kCount);
  for (std::uint64_t i : {0, 999, 1000, 2001, 2499}) {
    const auto c = store->current_of("3171011" + std::to_string(100000 + i));
    ASSERT_EQ(c.size(), 1u) << i;
    EXPECT_EQ(c[0].index, i);
  }
}

TEST_P(StoreTest, ScanStreamsAcrossBatchesAndAllowsCallsBack) {
  auto store = open();
  constexpr std::uint64_t kCount = 2000;  // several scan batches
  std::vector<StoredStatement> batch;
  for (std::uint64_t i = 0; i < kCount; ++i) batch.push_back(make_statement(i, kTpsA, 0));
  store->append(batch, {}, {});
  std::uint64_t expected = 7;
  store->scan(7, [&](const StoredStatement& s) {
    ASSERT_EQ(s.index, expected);
    EXPECT_EQ(s.body, batch[expected].body);
    // The callback may use the store: no connection is held while it runs.
    if (expected % 500 == 0) {
      EXPECT_TRUE(store->get(expected).has_value());
    }
    ++expected;
  });
  EXPECT_EQ(expected, kCount);
}

TEST_P(StoreTest, SizeAndDataPersistAcrossReopen) {
  {
    auto store = open();
    store->put_meta("election", "pemilu-2024");
    store->append({make_statement(0, kTpsA, 0), make_statement(1, kTpsA, 2)},
                  {{kTpsA, 0, 0}, {kTpsA, 2, 1}}, {});
  }
  auto store = open();
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(store->get_meta("election"), "pemilu-2024");
  expect_same(*store->get(1), make_statement(1, kTpsA, 2));
  EXPECT_EQ(store->current_of(kTpsA).size(), 2u);
  // The next append continues where the reopened log ends.
  EXPECT_THROW(store->append({make_statement(0, kTpsB, 0)}, {}, {}), StoreError);
  store->append({make_statement(2, kTpsB, 0)}, {{kTpsB, 0, 2}}, {});
  EXPECT_EQ(store->size(), 3u);
}

TEST_P(StoreTest, NonConsecutiveIndexRefusedAndNothingWritten) {
  auto store = open();
  store->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});

  // First index must equal size().
  EXPECT_THROW(store->append({make_statement(2, kTpsA, 0)}, {{kTpsA, 0, 2}}, {}), StoreError);
  // A gap inside the batch is refused as a whole, including its valid first statement.
  EXPECT_THROW(store->append({make_statement(1, kTpsB, 0), make_statement(3, kTpsB, 0)},
                             {{kTpsB, 0, 1}}, {}),
               StoreError);
  // A current update pointing past the log is refused too.
  EXPECT_THROW(store->append({make_statement(1, kTpsB, 0)}, {{kTpsB, 0, 5}}, {}), StoreError);

  try {
    store->append({make_statement(5, kTpsA, 0)}, {}, {});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(db_->name()), std::string::npos) << message;
    EXPECT_NE(message.find("index 5, expected 1"), std::string::npos) << message;
  }

  EXPECT_EQ(store->size(), 1u);
  EXPECT_FALSE(store->get(1).has_value());
  EXPECT_TRUE(store->by_tps(kTpsB).empty());
  EXPECT_TRUE(store->current_of(kTpsB).empty());
  ASSERT_EQ(store->current_of(kTpsA).size(), 1u);
  EXPECT_EQ(store->current_of(kTpsA)[0].index, 0u);
}

TEST_P(StoreTest, FailedAppendRollsBackAndStoreStaysUsable) {
  auto store = open();
  store->append({make_statement(0, kTpsA, 0)}, {{kTpsA, 0, 0}}, {});

  // Statement 2 repeats statement 0's id, which the schema refuses (UNIQUE) mid-transaction,
  // after statement 1 and before the current updates were written.
  StoredStatement duplicate = make_statement(2, kTpsB, 0);
  duplicate.id = make_statement(0, kTpsA, 0).id;
  try {
    store->append({make_statement(1, kTpsB, 0), duplicate}, {{kTpsB, 0, 2}}, {});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    // The batch, and the database's reason (SQLite says "UNIQUE", PostgreSQL "unique").
    std::string message = e.what();
    EXPECT_NE(message.find("append statements 1..3"), std::string::npos) << message;
    for (char& c : message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(message.find("unique"), std::string::npos) << message;
  }
  EXPECT_EQ(store->size(), 1u);
  EXPECT_FALSE(store->get(1).has_value());
  EXPECT_TRUE(store->current_of(kTpsB).empty());

  store->append({make_statement(1, kTpsB, 0), make_statement(2, kTpsB, 1)},
                {{kTpsB, 0, 1}, {kTpsB, 1, 2}}, {});
  EXPECT_EQ(store->size(), 3u);
  EXPECT_EQ(store->by_tps(kTpsB).size(), 2u);
  EXPECT_EQ(store->current_of(kTpsB).size(), 2u);
  store->put_meta("after", "failure");
  EXPECT_EQ(store->get_meta("after"), "failure");

  // And the rollback left nothing behind on disk either.
  store.reset();
  store = open();
  EXPECT_EQ(store->size(), 3u);
  EXPECT_EQ(store->by_tps(kTpsB).size(), 2u);
}

TEST_P(StoreTest, ConcurrentReadsDuringAppends) {
  auto store = open();
  constexpr std::uint64_t kBatches = 150;
  constexpr std::uint64_t kPerBatch = 4;
  const std::vector<std::string> tps = {kTpsA, kTpsB, "3171011001003"};

  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<std::uint64_t> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937_64 rng(t);
      try {
        while (!done.load()) {
          const std::uint64_t size = store->size();
          if (size > 0) {
            // Anything below size() has been committed and must be readable.
            const std::uint64_t i = rng() % size;
            const auto s = store->get(i);
            if (!s || s->index != i || s->id != sha256(s->body)) ++failures;
          }
          const std::string& code = tps[rng() % tps.size()];
          const auto statements = store->by_tps(code);
          for (std::size_t k = 1; k < statements.size(); ++k) {
            if (statements[k].index <= statements[k - 1].index) ++failures;
          }
          for (const StoredStatement& s : statements) {
            if (s.tps != code) ++failures;
          }
          // size() moves only after the commit, so a current row may be seen before it does;
          // the statement it names must be readable all the same.
          for (const CurrentUpdate& c : store->current_of(code)) {
            const auto s = store->get(c.index);
            if (!s || s->tps != code || c.tps != code) ++failures;
          }
          ++reads;
        }
      } catch (const std::exception& e) {
        ADD_FAILURE() << "reader " << t << ": " << e.what();
        ++failures;
      }
    });
  }

  std::uint64_t next = 0;
  for (std::uint64_t b = 0; b < kBatches; ++b) {
    std::vector<StoredStatement> batch;
    std::vector<CurrentUpdate> current;
    for (std::uint64_t k = 0; k < kPerBatch; ++k, ++next) {
      batch.push_back(make_statement(next, tps[next % tps.size()], 0));
      current.push_back({tps[next % tps.size()], 0, next});
    }
    store->append(batch, current, {});
  }
  done = true;
  for (std::thread& t : readers) t.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0u);
  EXPECT_EQ(store->size(), kBatches * kPerBatch);
  std::uint64_t total = 0;
  for (const std::string& code : tps) total += store->by_tps(code).size();
  EXPECT_EQ(total, kBatches * kPerBatch);
}

TEST_P(StoreTest, UnsupportedSchemaVersionRefused) {
  open()->put_meta("x", "y");
  // Stamp the database as written by a future version, which this one must not touch.
  db_->set_schema_version(99);
  try {
    open();
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST_P(StoreTest, OpenFailureNamesTheDatabase) {
  const auto [missing, name] = db_->unopenable();
  try {
    open_store(missing);
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

TEST_P(StoreTest, TreeHashesAndRangesCommitWithTheStatements) {
  auto store = open();
  std::vector<StoredStatement> batch;
  for (std::uint64_t i = 0; i < 300; ++i) batch.push_back(make_statement(i, kTpsA, 0));
  store->append(batch, {}, {{1, 0, sha256("node 1/0")}});
  auto leaves = store->read_hashes(0, 250, 50);
  ASSERT_EQ(leaves.size(), 50u);
  EXPECT_EQ(leaves[0], sha256("leaf 250"));
  EXPECT_EQ(store->read_hashes(1, 0, 1)[0], sha256("node 1/0"));
  EXPECT_THROW(store->read_hashes(0, 299, 2), StoreError);
  EXPECT_THROW(store->read_hashes(1, 1, 1), StoreError);
  auto rows = store->range(298, 10);
  ASSERT_EQ(rows.size(), 2u);
  expect_same(rows[1], batch[299]);
  // A batch refused for a duplicate node stores none of its statements either.
  EXPECT_THROW(store->append({make_statement(300, kTpsA, 0)}, {}, {{1, 0, sha256("again")}}),
               StoreError);
  EXPECT_EQ(store->size(), 300u);
  EXPECT_FALSE(store->get(300).has_value());
}

// The photos' contract on every backend: files beside an SQLite store, a table in PostgreSQL.
class ImageStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() { crypto_init(); }
  void SetUp() override {
    if (const std::string why = unavailable(GetParam()); !why.empty()) GTEST_SKIP() << why;
    db_ = make_test_database(GetParam());
  }
  std::unique_ptr<ImageStore> open() {
    return open_storage(db_->location(), dir_.file("images"), OpenMode::create).images;
  }

  TempDir dir_;
  std::unique_ptr<TestDatabase> db_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, ImageStoreTest, ::testing::Values(Backend::sqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, ImageStoreTest, ::testing::Values(Backend::postgres));

std::vector<fs::path> regular_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path());
  }
  return out;
}

TEST_P(ImageStoreTest, PutReadExists) {
  auto images = open();
  const std::string photo = "\xff\xd8\xff\xe0 jpeg bytes \x00 with a nul"s;
  const Hash32 hash = sha256(photo);
  EXPECT_FALSE(images->exists(hash));
  EXPECT_FALSE(images->read(hash).has_value());

  images->put(hash, photo);
  EXPECT_TRUE(images->exists(hash));
  EXPECT_EQ(images->read(hash), photo);

  // Putting it again is a no-op success; an empty image is still an image.
  images->put(hash, photo);
  images->put(sha256(""), "");
  EXPECT_EQ(images->read(sha256("")), "");

  // Opened again, the store holds what was stored.
  images.reset();
  EXPECT_EQ(open()->read(hash), photo);
}

TEST_P(ImageStoreTest, HashMismatchRefusedAndNothingStored) {
  auto images = open();
  const std::string photo = "the real photo";
  const Hash32 claimed = sha256("some other photo");
  try {
    images->put(claimed, photo);
    FAIL() << "expected ImageHashMismatch";
  } catch (const ImageHashMismatch& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("expected " + to_hex(claimed)), std::string::npos) << message;
    EXPECT_NE(message.find("got " + to_hex(sha256(photo))), std::string::npos) << message;
  }
  EXPECT_FALSE(images->exists(claimed));
  EXPECT_FALSE(images->exists(sha256(photo)));
  EXPECT_TRUE(regular_files(dir_.file("images")).empty());
}

TEST_P(ImageStoreTest, ConcurrentPutsOfManyPhotos) {
  auto images = open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string photo = "photo " + std::to_string(t) + "/" + std::to_string(i % 20);
        images->put(sha256(photo), photo);
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 20; ++i) {
      const std::string photo = "photo " + std::to_string(t) + "/" + std::to_string(i);
      EXPECT_EQ(images->read(sha256(photo)), photo);
    }
  }
}

// Files: where each photo lies, and a local file a publisher may link.
TEST(ImageFilesTest, NamedByHashUnderTwoHexDigits) {
  crypto_init();
  TempDir dir;
  ImageFiles images(dir.file("images"));
  const std::string photo = "a photo";
  const Hash32 hash = sha256(photo);
  EXPECT_FALSE(fs::exists(images.path_of(hash)));
  images.put(hash, photo);
  const std::string hex = to_hex(hash);
  EXPECT_EQ(images.path_of(hash), dir.file("images") + "/" + hex.substr(0, 2) + "/" + hex);
  EXPECT_TRUE(fs::is_regular_file(images.path_of(hash)));
  EXPECT_EQ(images.file_of(hash), images.path_of(hash));
  EXPECT_EQ(regular_files(dir.path()).size(), 1u);
}

}  // namespace
}  // namespace rekap
