#pragma once
// The simulator's TPS officer with a phone: writes the C1 form by hand (synthetic photos of the
// true numbers), lets the reader read it, checks the fields the reader marks for review against
// the paper, and retakes a photo the reader refuses. What it ends with is what it submits.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "ocr/reader.hpp"
#include "sim/mnist.hpp"

namespace rekap::sim {

struct OfficerForm {
  std::vector<std::uint32_t> values;              // what the officer submits
  std::vector<std::vector<std::uint8_t>> photos;  // JPEG per page, as uploaded
  bool accepted = false;                          // the reader accepted the form without a person
  int reviewed_fields = 0;   // fields the reader marked and the officer checked
  int corrected_fields = 0;  // ... of which the reader's value was wrong
  int wrong_accepted = 0;    // wrong values in an accepted form (must stay 0)
  int wrong_unflagged = 0;   // wrong values a review did not point at (must stay 0)
  int retakes = 0;           // photos the reader refused and the officer took again
  bool typed = false;        // the reader could not read it at all: typed by hand
};

class OcrOfficer {
 public:
  OcrOfficer(const Definition& def, const std::string& model_path, const std::string& mnist_dir);
  ~OcrOfficer();

  // Thread-safe; deterministic for a seed.
  OfficerForm fill_in(int tps, Ballot b, const std::vector<std::uint32_t>& truth,
                      std::uint64_t seed) const;

 private:
  std::unique_ptr<ocr::PageReader> take_reader() const;
  void give_back(std::unique_ptr<ocr::PageReader> r) const;

  const Definition& def_;
  std::string model_path_;
  MnistDigits digits_;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<ocr::PageReader>> readers_;
};

}  // namespace rekap::sim
