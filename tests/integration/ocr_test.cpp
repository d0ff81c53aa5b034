// The form reader through the real program: `rekap ocr synth` photographs a filled-in form,
// `rekap ocr read` reads it; and election night with a share of forms going through photos and
// the reader to a real server, with the photos uploaded and the totals exact.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "sim/run.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The photos `rekap ocr synth` wrote for a prefix, in page order.
std::vector<std::string> pages_of(const std::string& prefix) {
  std::vector<std::string> out;
  for (int p = 1; fs::exists(prefix + "-" + std::to_string(p) + ".jpg"); ++p) {
    out.push_back(prefix + "-" + std::to_string(p) + ".jpg");
  }
  return out;
}

std::vector<std::string> read_args(const std::string& def, const std::vector<std::string>& images,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"ocr", "read", "--def", def, "--json"};
  args.insert(args.end(), images.begin(), images.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(Ocr, SynthThenReadGivesTheWrittenNumbersOrPointsAtThem) {
  test::Election e("tiny");
  const std::string tps = e.def.tps[3].code;
  int accepted = 0;
  for (std::string ballot : {"ppwp", "pdpr", "pdprdk"}) {
    std::string prefix = e.dir / ballot;
    std::string out;
    ASSERT_EQ(test::run_rekap({"ocr", "synth", "--def", e.def_dir, "--tps", tps, "--ballot", ballot,
                               "--out", prefix, "--seed", "7"},
                              &out),
              0)
        << out;
    std::vector<std::string> pages = pages_of(prefix);
    ASSERT_FALSE(pages.empty());
    json::object truth = json::parse(read_file_or_throw(prefix + "-truth.json")).as_object();

    int code = test::run_rekap(read_args(e.def_dir, pages), &out);
    ASSERT_TRUE(code == 0 || code == 3) << out;
    json::object doc = json::parse(out).as_object();
    ASSERT_TRUE(doc.at("refused").as_array().empty()) << out;
    const json::object& form = doc.at("forms").as_array().at(0).as_object();
    EXPECT_EQ(form.at("tps").as_string(), tps);
    EXPECT_EQ(form.at("ballot").as_string(), ballot);
    EXPECT_EQ(form.at("pages").as_array().size(), pages.size());
    bool ok = form.at("status").as_string() == "accepted";
    EXPECT_EQ(code, ok ? 0 : 3);
    accepted += ok ? 1 : 0;
    const json::array& fields = form.at("fields").as_array();
    EXPECT_EQ(fields.size(), truth.size());
    for (const auto& fv : fields) {
      const json::object& f = fv.as_object();
      std::string name(f.at("field").as_string());
      bool review = f.at("review").as_bool();
      // Accepted numbers are right; a wrong number is always marked for review.
      if (!review) {
        EXPECT_EQ(f.at("value").as_int64(), truth.at(name).as_int64()) << ballot << " " << name;
      }
      EXPECT_EQ(f.at("crop_photo").as_array().size(), 4u);
      EXPECT_GT(f.at("crop_mm").as_object().at("w").to_number<double>(), 30.0);
    }
  }
  EXPECT_GE(accepted, 2);
}

TEST(Ocr, ReadRefusesWithAReason) {
  test::Election e("tiny");
  const std::string tps = e.def.tps[0].code;
  const std::string other = e.def.tps[1].code;
  std::string out;
  std::string clear = e.dir / "clear";
  std::string blurred = e.dir / "blurred";
  ASSERT_EQ(test::run_rekap({"ocr", "synth", "--def", e.def_dir, "--tps", tps, "--ballot", "pdpr",
                             "--out", clear, "--seed", "3"},
                            &out),
            0)
      << out;
  ASSERT_EQ(test::run_rekap({"ocr", "synth", "--def", e.def_dir, "--tps", tps, "--ballot", "ppwp",
                             "--out", blurred, "--seed", "3", "--blur", "9"},
                            &out),
            0)
      << out;
  auto refusal = [&](std::vector<std::string> images, std::vector<std::string> extra = {}) {
    int code = test::run_rekap(read_args(e.def_dir, images, extra), &out);
    EXPECT_EQ(code, 2) << out;
    json::object doc = json::parse(out).as_object();
    const json::array& refused = doc.at("refused").as_array();
    if (refused.empty()) return std::string("none");
    EXPECT_FALSE(refused.at(0).as_object().at("message").as_string().empty());
    return std::string(refused.at(0).as_object().at("error").as_string());
  };
  std::vector<std::string> dpr = pages_of(clear);
  ASSERT_GE(dpr.size(), 2u);
  std::string blur_kind = refusal(pages_of(blurred));
  EXPECT_TRUE(blur_kind == "too_blurred" || blur_kind == "unreadable") << blur_kind;
  EXPECT_EQ(refusal({clear + "-truth.json"}), "not_a_form");
  EXPECT_EQ(refusal({dpr[0]}), "wrong_page");  // the other pages are missing
  EXPECT_EQ(refusal({dpr[0], dpr[0]}), "wrong_page");
  EXPECT_EQ(refusal(dpr, {"--tps", other}), "wrong_page");
  EXPECT_EQ(refusal(dpr, {"--ballot", "ppwp"}), "wrong_page");
}

TEST(Ocr, ElectionNightWithPhotographedFormsGivesExactTotals) {
  crypto_init();
  test::Election e("tiny");
  test::ServerProcess server(e);
  sim::RunOptions options;
  options.url = server.url();
  options.clients = 2;
  options.ocr_share = 0.08;
  auto report = sim::run_election(e.def, read_secret_key(e.admin_key), options);
  EXPECT_TRUE(report.ok()) << report.to_text();
  EXPECT_GT(report.ocr.forms, 3u);
  EXPECT_EQ(report.ocr.wrong_accepted, 0u);
  EXPECT_EQ(report.ocr.wrong_unflagged, 0u);
  EXPECT_GE(report.ocr.photos, report.ocr.forms);
  // The photos are stored, and a photographed TPS's result names them.
  HttpClient client(Url::parse(server.url()));
  int with_images = 0;
  for (const Tps& t : e.def.tps) {
    auto res = client.get("/api/v1/tps/" + t.code);
    ASSERT_EQ(res.status, 200);
    json::value doc = json::parse(res.body);
    for (const auto& [ballot, b] : doc.at("ballots").as_object()) {
      const json::value& current = b.at("current");
      if (current.is_null()) continue;
      for (const auto& img : current.at("images").as_array()) {
        ++with_images;
        auto photo = client.get("/api/v1/images/" + std::string(img.as_string()));
        EXPECT_EQ(photo.status, 200);
        EXPECT_EQ(to_hex(sha256(photo.body)), img.as_string());
      }
    }
  }
  EXPECT_EQ(std::uint64_t(with_images), report.ocr.photos);
}

}  // namespace
}  // namespace rekap
