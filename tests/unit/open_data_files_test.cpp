// The open data's files: gzip made of pieces, files rewritten piece by piece, the daily archive
// with its signed checksums, static serving with ETags, and the times they show.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "crypto/encoding.hpp"
#include "gunzip.hpp"
#include "http/static_files.hpp"
#include "log/note.hpp"
#include "publish/opendata/archive.hpp"
#include "publish/opendata/piece_file.hpp"
#include "publish/opendata/wib_time.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace fs = std::filesystem;
using namespace publish;
using namespace http;

using test::gunzip;

class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() / ("rekap-od-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string rows(const std::string& tag, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += tag + "," + std::to_string(i * 7919 % 1000) + "\n";
  return out;
}

TEST(GzipPieces, ConcatenatedPiecesAreOneGzipStream) {
  std::vector<std::string> texts = {"header\n", rows("a", 500), "", rows("b", 3)};
  std::string gz(gzip_header());
  std::uint32_t crc = 0;
  std::uint64_t size = 0;
  std::string all;
  for (const auto& t : texts) {
    DeflatedPiece p = deflate_piece(t);
    EXPECT_EQ(inflate_piece(p), t);
    gz += p.data;
    crc = crc_combine(crc, p.crc, p.size);
    size += p.size;
    all += t;
  }
  gz += gzip_trailer(crc, size);
  EXPECT_EQ(crc,
            std::uint32_t(crc32(0, reinterpret_cast<const Bytef*>(all.data()), uInt(all.size()))));
  EXPECT_EQ(gunzip(gz), all);
}

TEST(PieceFile, RewritesOnlyChangedPiecesAndKeepsBothFilesEqual) {
  TempDir dir;
  PieceFile file(dir.path() / "x/ppwp.csv");
  std::vector<std::string> texts = {"h\n", rows("a", 100), rows("b", 50), rows("c", 70)};
  std::vector<FreshPiece> pieces;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    pieces.push_back({deflate_piece(texts[i]), std::uint32_t(i), i == 2 ? 0u : 1u});
  }
  EXPECT_THROW(file.rewrite(4, [&](std::size_t i) { return i == 1 ? &pieces[1] : nullptr; }),
               std::runtime_error)
      << "the first rewrite must give every piece";
  EXPECT_FALSE(fs::exists(dir.path() / "x/ppwp.csv.tmp"));
  file.rewrite(4, [&](std::size_t i) { return &pieces[i]; });
  auto check = [&] {
    std::string all = texts[0] + texts[1] + texts[2] + texts[3];
    EXPECT_EQ(read_file_or_throw(file.path()), all);
    EXPECT_EQ(gunzip(read_file_or_throw(dir.path() / "x/ppwp.csv.gz")), all);
    EXPECT_EQ(file.size(), all.size());
    EXPECT_EQ(file.gzip_size(), fs::file_size(dir.path() / "x/ppwp.csv.gz"));
  };
  check();
  EXPECT_EQ(file.rows(), 0u + 1 + 2 + 3);
  EXPECT_EQ(file.reported(), 3u);
  // Piece 2 changes; the others are copied from the files being replaced.
  texts[2] = rows("B", 400);
  FreshPiece changed{deflate_piece(texts[2]), 9, 9};
  file.rewrite(4, [&](std::size_t i) { return i == 2 ? &changed : nullptr; });
  check();
  EXPECT_EQ(file.rows(), 0u + 1 + 9 + 3);
  EXPECT_EQ(file.reported(), 1u + 1 + 9 + 1);
  // And again, copying from the files the last rewrite made: every piece at its new place.
  for (std::size_t changing : {3u, 1u, 2u}) {
    texts[changing] = rows("n" + std::to_string(changing), int(10 + changing));
    FreshPiece next{deflate_piece(texts[changing]), 1, 1};
    file.rewrite(4, [&](std::size_t i) { return i == changing ? &next : nullptr; });
    check();
  }
  // A published file that went missing: the rewrite fails, and the next one must give all.
  fs::remove(file.path());
  EXPECT_THROW(file.rewrite(4, [&](std::size_t) { return nullptr; }), std::runtime_error);
  EXPECT_FALSE(file.written());
}

TEST(Archive, SnapshotsDataWithSignedChecksums) {
  crypto_init();
  TempDir dir;
  fs::path data = dir.path() / "data";
  write_file_atomically(data / "ppwp.csv", "a,b\n1,2\n");
  write_file_atomically(data / "pdpr/pdpr-11-1.csv", "x\n");
  write_file_atomically(data / "index.json", "{}");
  write_file_atomically(data / "2024-02-13/old.csv", "old\n");
  SecretKey key = SecretKey::generate();
  std::string note = make_archive(data, "2024-02-14", "rekap.local/test", key);
  EXPECT_EQ(read_file_or_throw(data / "2024-02-14/SHA256SUMS"), note);
  EXPECT_EQ(read_file_or_throw(data / "2024-02-14/ppwp.csv"), "a,b\n1,2\n");
  EXPECT_FALSE(fs::exists(data / "2024-02-14/2024-02-13")) << "archives are not archived";
  EXPECT_FALSE(fs::exists(data / "2024-02-14/index.json"));
  // The note verifies with the log key's verifier key, and its text is sha256sum's.
  auto verifier =
      tlog::parse_verifier_key(tlog::verifier_key("rekap.local/test", key.public_key()));
  tlog::Note parsed = tlog::parse_note(note);
  EXPECT_TRUE(tlog::verify_note(parsed, *verifier));
  EXPECT_EQ(parsed.text, to_hex(sha256("x\n")) + "  pdpr/pdpr-11-1.csv\n" +
                             to_hex(sha256("a,b\n1,2\n")) + "  ppwp.csv\n");
  // A later snapshot of the same day replaces it; the archived copy does not follow the live
  // file, which is replaced, not changed in place.
  write_file_atomically(data / "ppwp.csv", "a,b\n1,3\n");
  EXPECT_EQ(read_file_or_throw(data / "2024-02-14/ppwp.csv"), "a,b\n1,2\n");
  make_archive(data, "2024-02-14", "rekap.local/test", key);
  EXPECT_EQ(read_file_or_throw(data / "2024-02-14/ppwp.csv"), "a,b\n1,3\n");
  EXPECT_EQ(archive_dates(data), (std::vector<std::string>{"2024-02-13", "2024-02-14"}));
  EXPECT_THROW(make_archive(data, "../x", "rekap.local/test", key), std::invalid_argument);
}

Request get(const std::string& target, const std::string& etag = "", bool gzip = false) {
  Request req{http::verb::get, target, 11};
  if (!etag.empty()) req.set(http::field::if_none_match, etag);
  if (gzip) req.set(http::field::accept_encoding, "gzip, deflate");
  return req;
}

TEST(StaticFiles, EtagNotModifiedAndGzip) {
  TempDir dir;
  std::string big(5000, 'x');
  write_file_atomically(dir.path() / "data/a.csv", big);
  write_file_atomically(dir.path() / "data/a.csv.gz", "pretend gzip");
  write_file_atomically(dir.path() / "pemilu/p.json", std::string(300, '1'));
  auto res = serve_static(dir.path(), "/data/a.csv", get("/data/a.csv"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->result(), http::status::ok);
  EXPECT_EQ(res->body(), big);
  EXPECT_EQ((*res)[http::field::content_type], "text/csv; charset=utf-8");
  std::string etag((*res)[http::field::etag]);
  auto again = serve_static(dir.path(), "/data/a.csv", get("/data/a.csv", etag));
  EXPECT_EQ(again->result(), http::status::not_modified);
  EXPECT_TRUE(again->body().empty());
  // gzip: the file's .gz sibling, with an ETag of its own.
  auto gz = serve_static(dir.path(), "/data/a.csv", get("/data/a.csv", etag, true));
  EXPECT_EQ(gz->result(), http::status::ok);
  EXPECT_EQ((*gz)[http::field::content_encoding], "gzip");
  EXPECT_EQ(gz->body(), "pretend gzip");
  EXPECT_NE((*gz)[http::field::etag], etag);
  // Without a sibling, compressed on the fly.
  auto fly = serve_static(dir.path(), "/pemilu/p.json", get("/pemilu/p.json", "", true));
  EXPECT_EQ((*fly)[http::field::content_encoding], "gzip");
  EXPECT_EQ(gunzip(fly->body()), std::string(300, '1'));
  auto fly304 = serve_static(dir.path(), "/pemilu/p.json",
                             get("/pemilu/p.json", std::string((*fly)[http::field::etag]), true));
  EXPECT_EQ(fly304->result(), http::status::not_modified);
  // A replaced file has a new ETag.
  write_file_atomically(dir.path() / "data/a.csv", big + "y");
  auto changed = serve_static(dir.path(), "/data/a.csv", get("/data/a.csv", etag));
  EXPECT_EQ(changed->result(), http::status::ok);
  EXPECT_FALSE(serve_static(dir.path(), "/data/none.csv", get("/data/none.csv")));
}

TEST(StaticFiles, OnlyPlainPathsInsideTheRoot) {
  EXPECT_TRUE(safe_static_path("/data/ppwp.csv"));
  EXPECT_TRUE(safe_static_path("/pemilu/hhcw/ppwp/31/3171.json"));
  EXPECT_TRUE(safe_static_path("/data/2024-02-14/SHA256SUMS"));
  for (const char* bad : {"/data/../rekap.db", "/data//x", "/data/.2024-02-14.new/x", "/data/",
                          "/data/a.csv.tmp", "/data/a b", "data/x", "/data/%2e%2e/x"}) {
    EXPECT_FALSE(safe_static_path(bad)) << bad;
  }
}

TEST(WibTime, SirekapTimesAreWibAndArchiveDatesTheWibDay) {
  std::int64_t t = 1707930000000;  // 2024-02-14T17:00:00Z, midnight in Jakarta
  EXPECT_EQ(wib_timestamp(t), "2024-02-15 00:00:00");
  EXPECT_EQ(wib_date(t - 1), "2024-02-14");
  EXPECT_EQ(wib_date(t), "2024-02-15");
  EXPECT_EQ(iso_utc(t + 123), "2024-02-14T17:00:00.123Z");
  EXPECT_EQ(iso_utc_seconds(t + 999), "2024-02-14T17:00:00Z") << "the CDF's, to the second";
  EXPECT_TRUE(is_archive_name("2024-02-14"));
  EXPECT_FALSE(is_archive_name("2024-2-14"));
  EXPECT_FALSE(is_archive_name("cdf"));
}

}  // namespace
}  // namespace rekap
