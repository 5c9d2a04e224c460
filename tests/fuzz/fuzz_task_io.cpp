// libFuzzer target: the task loader on any bytes, as a task file or as a Kaggle challenges file (the
// first byte chooses), written to a private temporary folder and loaded as a run loads it. Every
// outcome is fine but a crash, a hang or a sanitizer report; a rejection must be one line.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/task_io.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("megabatch-fuzz-task-io-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  if (size == 0) return 0;
  const bool kaggle = data[0] & 1;
  const fs::path file = dir / (kaggle ? "x_challenges.json" : "0a1b2c3d.json");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  megabatch::LoadResult loaded = megabatch::load_tasks(file);
  for (const auto& r : loaded.rejections)
    if (r.line().find('\n') != std::string::npos) std::abort();  // a rejection is one line
  for (const auto& t : loaded.tasks)
    if (t.train.empty() || t.test.empty()) std::abort();  // a loaded task is a whole task
  fs::remove(file);
  return 0;
}
