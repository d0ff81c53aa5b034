// POST /api/v1/ocr through the real server: photos uploaded, then read by hash with the numbers
// and crops of `rekap ocr read --json`; the reader's refusals as 422 with their reason; request
// errors; and a bounded reader that answers 503 with Retry-After instead of queueing without
// end.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <future>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "server_process.hpp"
#include "util/files.hpp"

namespace rekap {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// `rekap ocr synth`'s photos of a TPS's form, uploaded; their hashes in page order.
struct Photos {
  std::vector<std::string> hashes;
  json::object truth;
};

Photos synth_and_upload(const test::Election& e, HttpClient& client, const std::string& tps,
                        const std::string& ballot, std::vector<std::string> extra = {}) {
  std::string prefix = e.dir / (tps + "-" + ballot + std::to_string(extra.size()));
  std::vector<std::string> args = {"ocr",      "synth", "--def", e.def_dir, "--tps",  tps,
                                   "--ballot", ballot,  "--out", prefix,    "--seed", "4"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string out;
  EXPECT_EQ(test::run_rekap(args, &out), 0) << out;
  Photos p;
  for (int page = 1; fs::exists(prefix + "-" + std::to_string(page) + ".jpg"); ++page) {
    std::string bytes = read_file_or_throw(prefix + "-" + std::to_string(page) + ".jpg");
    std::string hex = to_hex(sha256(bytes));
    auto res = client.request("PUT", "/api/v1/images/" + hex, bytes, "image/jpeg");
    EXPECT_EQ(res.status, 201) << res.body;
    p.hashes.push_back(hex);
  }
  p.truth = json::parse(read_file_or_throw(prefix + "-truth.json")).as_object();
  return p;
}

std::string request_body(const std::vector<std::string>& hashes, const std::string& tps = "",
                         const std::string& ballot = "") {
  json::array images;
  for (const auto& h : hashes) images.emplace_back(h);
  json::object body{{"images", std::move(images)}};
  if (!tps.empty()) body["tps"] = tps;
  if (!ballot.empty()) body["ballot"] = ballot;
  return json::serialize(body);
}

// The answer's status and error code ("" when there is none).
std::pair<int, std::string> post(HttpClient& client, const std::string& body) {
  auto res = client.request("POST", "/api/v1/ocr", body);
  json::value doc = json::parse(res.body);
  const json::value* error = doc.as_object().if_contains("error");
  return {res.status, error ? std::string(error->as_string()) : ""};
}

TEST(OcrApi, ReadsUploadedPhotosOfAFormWithTheCropsOfEveryNumber) {
  test::Election e("tiny");
  test::ServerProcess server(e);
  HttpClient client(Url::parse(server.url()));
  const std::string tps = e.def.tps[2].code;
  Photos p = synth_and_upload(e, client, tps, "pdpr");
  ASSERT_GE(p.hashes.size(), 2u);

  // Pages in any order: the answer puts them in page order.
  std::vector<std::string> shuffled(p.hashes.rbegin(), p.hashes.rend());
  auto res = client.request("POST", "/api/v1/ocr", request_body(shuffled, tps, "pdpr"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("content-type"), "application/json");
  json::object form = json::parse(res.body).as_object();
  EXPECT_EQ(form.at("tps").as_string(), tps);
  EXPECT_EQ(form.at("ballot").as_string(), "pdpr");
  const json::array& pages = form.at("pages").as_array();
  ASSERT_EQ(pages.size(), p.hashes.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    EXPECT_EQ(pages[i].at("page").as_int64(), std::int64_t(i + 1));
    EXPECT_EQ(pages[i].at("image").as_string(), p.hashes[i]);
  }
  const json::array& fields = form.at("fields").as_array();
  ASSERT_EQ(fields.size(), p.truth.size());
  std::size_t review = 0;
  for (const json::value& fv : fields) {
    const json::object& f = fv.as_object();
    std::string name(f.at("field").as_string());
    if (f.at("review").as_bool()) {
      ++review;
    } else {
      // What the reader does not doubt is what was written.
      EXPECT_EQ(f.at("value").as_int64(), p.truth.at(name).as_int64()) << name;
    }
    EXPECT_EQ(f.at("crop_photo").as_array().size(), 4u);
    EXPECT_GE(f.at("page").as_int64(), 1);
  }
  EXPECT_EQ(form.at("review").as_array().size(), review);
  EXPECT_EQ(form.at("status").as_string(), review == 0 ? "accepted" : "review");
  // Nothing was stored: reading is not submitting.
  auto health = json::parse(client.get("/api/v1/health").body);
  EXPECT_EQ(health.at("statements").as_int64(), 1);  // the genesis
}

TEST(OcrApi, RefusalsAre422WithTheReadersReason) {
  test::Election e("tiny");
  test::ServerProcess server(e);
  HttpClient client(Url::parse(server.url()));
  const std::string tps = e.def.tps[0].code;
  Photos dpr = synth_and_upload(e, client, tps, "pdpr");
  Photos blurred = synth_and_upload(e, client, tps, "ppwp", {"--blur", "9"});
  ASSERT_GE(dpr.hashes.size(), 2u);

  auto res = client.request("POST", "/api/v1/ocr", request_body(blurred.hashes));
  EXPECT_EQ(res.status, 422);
  json::object doc = json::parse(res.body).as_object();
  std::string kind(doc.at("error").as_string());
  EXPECT_TRUE(kind == "too_blurred" || kind == "unreadable") << res.body;
  EXPECT_FALSE(doc.at("message").as_string().empty());
  EXPECT_EQ(doc.at("image").as_string(), blurred.hashes[0]);
  EXPECT_EQ(doc.at("refused").as_array().size(), 1u);

  // Not a photo at all: refused at upload, so the reader never sees it.
  std::string text = "not a photo";
  std::string text_hash = to_hex(sha256(text));
  EXPECT_EQ(client.request("PUT", "/api/v1/images/" + text_hash, text, "text/plain").status, 415);
  // A page alone, another TPS's or ballot's form: the wrong page.
  EXPECT_EQ(post(client, request_body({dpr.hashes[0]})), std::pair(422, std::string("wrong_page")));
  EXPECT_EQ(post(client, request_body(dpr.hashes, e.def.tps[1].code)),
            std::pair(422, std::string("wrong_page")));
  EXPECT_EQ(post(client, request_body(dpr.hashes, "", "ppwp")),
            std::pair(422, std::string("wrong_page")));
  std::string absent(64, 'a');
  EXPECT_EQ(post(client, request_body({absent})), std::pair(422, std::string("missing_image")));
}

TEST(OcrApi, MalformedRequestsAre400AndLargeOnes413) {
  test::Election e("tiny");
  test::ServerProcess server(e);
  HttpClient client(Url::parse(server.url()));
  std::string h(64, 'b');
  EXPECT_EQ(post(client, "{"), std::pair(400, std::string("malformed_json")));
  for (const std::string& body : std::vector<std::string>{
           R"({})", R"({"images": []})", R"({"images": "x"})", R"({"images": ["ABC"]})",
           R"({"images": [")" + std::string(64, 'B') + R"("]})",
           R"({"images": [")" + h + R"(", ")" + h + R"("]})",
           R"({"images": [")" + h + R"("], "ballot": "dpr"})",
           R"({"images": [")" + h + R"("], "tps": 7})"}) {
    EXPECT_EQ(post(client, body), std::pair(400, std::string("malformed_request"))) << body;
  }
  std::vector<std::string> many(100, h);
  EXPECT_EQ(post(client, request_body(many)).first, 400);
  auto res = client.request("POST", "/api/v1/ocr", std::string(17 * 1024, ' '));
  EXPECT_EQ(res.status, 413);
}

TEST(OcrApi, ABusyReaderAnswers503WithRetryAfterWhileTheApiStillAnswers) {
  test::Election e("tiny");
  test::ServerProcess server(e, {"--ocr-threads", "1"});
  HttpClient client(Url::parse(server.url()));
  Photos dpr = synth_and_upload(e, client, e.def.tps[0].code, "pdprdk");
  std::string body = request_body(dpr.hashes);

  // One form being read and two waiting is all a single reader takes; the rest are told when
  // to come back, at once.
  constexpr int kClients = 8;
  std::vector<std::future<HttpResult>> answers;
  for (int i = 0; i < kClients; ++i) {
    answers.push_back(std::async(std::launch::async, [&] {
      HttpClient own(Url::parse(server.url()));
      return own.request("POST", "/api/v1/ocr", body);
    }));
  }
  // Meanwhile the API answers without waiting for the reader.
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(client.get("/api/v1/health").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  int read = 0;
  int busy = 0;
  for (auto& a : answers) {
    HttpResult res = a.get();
    if (res.status == 200) {
      ++read;
    } else {
      ASSERT_EQ(res.status, 503) << res.body;
      EXPECT_EQ(json::parse(res.body).at("error").as_string(), "busy");
      EXPECT_GE(std::stoi(res.header("retry-after")), 1);
      ++busy;
    }
  }
  EXPECT_GE(read, 1);
  EXPECT_LE(read, 3);
  EXPECT_EQ(read + busy, kClients);
}

TEST(OcrApi, TurnedOffItAnswers503) {
  test::Election e("tiny");
  test::ServerProcess server(e, {"--ocr-threads", "0"});
  HttpClient client(Url::parse(server.url()));
  EXPECT_EQ(post(client, request_body({std::string(64, 'c')})),
            std::pair(503, std::string("ocr_unavailable")));
}

}  // namespace
}  // namespace rekap
