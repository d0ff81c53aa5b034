#include "util/thread_role.hpp"

#include <pthread.h>

#include <string>

namespace rekap {

void name_this_thread(std::string_view name) {
  std::string shortened(name.substr(0, 15));
  pthread_setname_np(pthread_self(), shortened.c_str());
}

}  // namespace rekap
