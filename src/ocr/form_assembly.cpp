#include "ocr/form_assembly.hpp"

#include <algorithm>

#include "core/rules.hpp"

namespace rekap::ocr {

void expect_form(const PageRead& page, const std::string& tps, std::optional<Ballot> ballot) {
  if (!tps.empty() && page.qr.tps != tps) {
    throw ReadError(ReadError::Kind::wrong_page,
                    "this is the form of TPS " + page.qr.tps + ", not of TPS " + tps);
  }
  if (ballot && page.qr.ballot != *ballot) {
    throw ReadError(ReadError::Kind::wrong_page,
                    "this is the " + std::string(ballot_id(page.qr.ballot)) + " form, not the " +
                        std::string(ballot_id(*ballot)) + " form");
  }
}

PageRead read_form_page(PageReader& reader, const cv::Mat& photo, const std::string& tps,
                        std::optional<Ballot> ballot) {
  if (photo.empty()) {
    throw ReadError(ReadError::Kind::not_a_form, "cannot open it as an image");
  }
  PageRead page = reader.read(photo);
  expect_form(page, tps, ballot);
  return page;
}

FormRead decide_form(const Definition& def, std::vector<PageRead> pages,
                     const DecodeOptions& options) {
  using K = ReadError::Kind;
  if (pages.empty()) throw ReadError(K::wrong_page, "no pages");
  std::sort(pages.begin(), pages.end(),
            [](const PageRead& a, const PageRead& b) { return a.qr.page < b.qr.page; });
  FormRead form;
  const forms::QrPayload& first = pages.front().qr;
  form.tps = first.tps;
  form.ballot = first.ballot;
  form.contest = pages.front().contest;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const forms::QrPayload& q = pages[i].qr;
    if (q.tps != first.tps || q.ballot != first.ballot || q.template_id != first.template_id) {
      throw ReadError(K::wrong_page, "page " + std::to_string(q.page) + " is of TPS " + q.tps +
                                         " " + std::string(ballot_id(q.ballot)) + ", not of TPS " +
                                         first.tps + " " + std::string(ballot_id(first.ballot)));
    }
    if (i > 0 && q.page == pages[i - 1].qr.page) {
      throw ReadError(K::wrong_page, "page " + std::to_string(q.page) + " was given twice");
    }
  }
  for (int p = 1; p <= first.pages; ++p) {
    bool have =
        std::any_of(pages.begin(), pages.end(), [&](const PageRead& r) { return r.qr.page == p; });
    if (!have) {
      throw ReadError(K::wrong_page, "page " + std::to_string(p) + " of " +
                                         std::to_string(first.pages) + " is missing");
    }
  }
  form.pages = std::move(pages);
  const Contest& contest = def.contests[form.contest];
  form.where.assign(contest.layout.fields.size(), {-1, -1});
  for (std::size_t p = 0; p < form.pages.size(); ++p) {
    const auto& fields = form.pages[p].fields;
    for (std::size_t k = 0; k < fields.size(); ++k) form.where[fields[k].field] = {int(p), int(k)};
  }
  std::vector<FieldCosts> costs;
  for (std::size_t f = 0; f < form.where.size(); ++f) {
    if (form.where[f].first < 0) {
      throw ReadError(K::wrong_form, "field " + contest.layout.fields[f].name + " is on no page");
    }
    costs.push_back(form.field(f).costs());
  }
  const Tps& tps = def.tps[def.find_tps(form.tps)];
  form.decision =
      decode_form(contest.layout, TpsParams{tps.dpt_l, tps.dpt_p}, std::move(costs), options);
  return form;
}

AssembledForm assemble_form(const Definition& def, std::vector<PhotoPage> pages) {
  // decide_form puts the pages in order too; sorting them here keeps each photo's name beside
  // its page.
  std::stable_sort(pages.begin(), pages.end(), [](const PhotoPage& a, const PhotoPage& b) {
    return a.page.qr.page < b.page.qr.page;
  });
  AssembledForm out;
  std::vector<PageRead> reads;
  for (PhotoPage& p : pages) {
    reads.push_back(std::move(p.page));
    out.images.push_back(std::move(p.image));
  }
  try {
    out.form = decide_form(def, std::move(reads));
  } catch (const ReadError& e) {
    out.refusal = e;
  }
  return out;
}

}  // namespace rekap::ocr
