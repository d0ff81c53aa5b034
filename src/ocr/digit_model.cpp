#include "ocr/digit_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace rekap::ocr {

DigitModel::DigitModel(const std::string& onnx_path) {
  if (!std::filesystem::exists(onnx_path)) {
    throw std::runtime_error("digit model not found: " + onnx_path);
  }
  try {
    net_ = cv::dnn::readNetFromONNX(onnx_path);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("cannot load digit model " + onnx_path + ": " + e.what());
  }
  net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  cv::Mat probe = cv::Mat::zeros(28, 28, CV_32F);
  if (classify({probe}).size() != 1) {
    throw std::runtime_error("digit model " + onnx_path + " gives no output");
  }
}

std::vector<SymbolProbs> DigitModel::classify(const std::vector<cv::Mat>& inputs) {
  std::vector<SymbolProbs> out;
  if (inputs.empty()) return out;
  cv::Mat blob = cv::dnn::blobFromImages(inputs);  // N x 1 x 28 x 28, values unchanged
  net_.setInput(blob);
  cv::Mat logits = net_.forward();
  if (logits.dims != 2 || logits.rows != static_cast<int>(inputs.size()) ||
      logits.cols != kSymbols) {
    throw std::runtime_error("digit model output is not N x 11");
  }
  out.reserve(inputs.size());
  for (int i = 0; i < logits.rows; ++i) {
    const float* row = logits.ptr<float>(i);
    float top = *std::max_element(row, row + kSymbols);
    SymbolProbs p{};
    double sum = 0;
    for (int s = 0; s < kSymbols; ++s) sum += p[s] = std::exp(double(row[s]) - top);
    for (double& x : p) x /= sum;
    out.push_back(p);
  }
  return out;
}

std::string default_model_path() {
  if (const char* env = std::getenv("REKAP_MODEL")) return env;
  if (std::filesystem::exists("models/digits.onnx")) return "models/digits.onnx";
  return REKAP_MODEL_DIR "/digits.onnx";
}

}  // namespace rekap::ocr
