#pragma once
// Names of the server's own threads. Names show in `top -H`, `ps -L` and
// /proc/<pid>/task/*/comm, so an operator can see which part of rekap uses the machine.
#include <string_view>

namespace rekap {

// Names the calling thread (Linux keeps the first 15 bytes).
void name_this_thread(std::string_view name);

}  // namespace rekap
