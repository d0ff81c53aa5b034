#include "ocr/reading_json.hpp"

#include <cmath>

namespace rekap::ocr {

namespace {

double rounded(double v, double unit) {
  return std::round(v / unit) * unit;
}

boost::json::object reading_json(const Reading& r) {
  return {{"value", r.value}, {"confidence", rounded(r.confidence, 1e-4)}};
}

}  // namespace

boost::json::object form_json(const Definition& def, const FormRead& form,
                              const std::vector<std::string>& images) {
  const Contest& contest = def.contests[form.contest];
  const FormDecision& d = form.decision;
  boost::json::object out;
  out["tps"] = form.tps;
  out["ballot"] = std::string(ballot_id(form.ballot));
  out["contest"] = contest.id;
  out["status"] = d.accepted ? "accepted" : "review";
  if (!d.accepted) out["reason"] = d.reason;
  out["consistent"] = d.consistent;
  out["correction_nats"] = rounded(d.correction_cost, 1e-3);
  if (std::isfinite(d.runner_up_gap)) {
    out["runner_up_gap_nats"] = rounded(d.runner_up_gap, 1e-3);
  } else {
    out["runner_up_gap_nats"] = nullptr;
  }
  boost::json::array pages;
  for (std::size_t i = 0; i < form.pages.size(); ++i) {
    const PageRead& p = form.pages[i];
    pages.push_back({{"page", p.qr.page},
                     {"image", i < images.size() ? images[i] : std::string()},
                     {"template", p.qr.template_id},
                     {"blur_mm", rounded(p.blur_mm, 1e-3)},
                     {"fit_error_mm", rounded(p.fit_error_mm, 1e-3)}});
  }
  out["pages"] = std::move(pages);
  boost::json::array fields;
  boost::json::array review;
  for (std::size_t f = 0; f < contest.layout.fields.size(); ++f) {
    const FieldRead& r = form.field(f);
    int page = form.page_of(f);
    boost::json::array quad;
    for (const cv::Point2f& pt : r.photo_quad) {
      quad.push_back({rounded(pt.x, 0.1), rounded(pt.y, 0.1)});
    }
    const std::string& name = contest.layout.fields[f].name;
    fields.push_back({{"field", name},
                      {"value", d.values[f]},
                      {"review", bool(d.review[f])},
                      {"confidence", rounded(d.confidence[f], 1e-4)},
                      {"digits", reading_json(r.digits)},
                      {"bubbles", reading_json(r.marks)},
                      {"page", page},
                      {"crop_mm",
                       {{"x", rounded(r.crop.x, 0.01)},
                        {"y", rounded(r.crop.y, 0.01)},
                        {"w", rounded(r.crop.w, 0.01)},
                        {"h", rounded(r.crop.h, 0.01)}}},
                      {"crop_photo", std::move(quad)}});
    if (d.review[f]) review.push_back(boost::json::string(name));
  }
  out["review"] = std::move(review);
  out["fields"] = std::move(fields);
  boost::json::array violations;
  for (const Violation& v : d.violations) {
    violations.push_back({{"rule", v.rule},
                          {"field", v.field},
                          {"op", v.op},
                          {"expected", v.expected},
                          {"got", v.got}});
  }
  out["read_violations"] = std::move(violations);
  return out;
}

boost::json::object refusal_json(const std::string& image, const ReadError& e) {
  return {{"image", image}, {"error", std::string(kind_name(e.kind()))}, {"message", e.what()}};
}

}  // namespace rekap::ocr
