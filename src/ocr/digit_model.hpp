#pragma once
// The digit-box classifier: a small CNN (models/digits.onnx, see models/README.md) run through
// OpenCV's dnn module. Input: 28 x 28 ink maps from box_image.hpp; output: probabilities over
// the digits 0..9 and "blank or crossed". One instance per thread (cv::dnn::Net is not
// thread-safe).
#include <string>
#include <vector>

#include <opencv2/dnn.hpp>

#include "ocr/evidence.hpp"

namespace rekap::ocr {

class DigitModel {
 public:
  // Throws std::runtime_error naming the file when it cannot be loaded or has the wrong shape.
  explicit DigitModel(const std::string& onnx_path);

  // One probability vector per input (CV_32F, 28 x 28).
  std::vector<SymbolProbs> classify(const std::vector<cv::Mat>& inputs);

 private:
  cv::dnn::Net net_;
};

// Where the model is looked for when none is given: $REKAP_MODEL, then models/digits.onnx under
// the current directory, then the source tree's models/ the program was built from.
std::string default_model_path();

}  // namespace rekap::ocr
