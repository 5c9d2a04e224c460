// Starting this program again as a child (`megabatch run ...` for a queue worker's shard or a search's
// generation): the child dies with its parent, so a killed worker or search never leaves a run
// writing into a folder that another process is about to resume.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace megabatch::app {

// Starts `argv` (argv[0] is only the name shown) as this executable: through scripts/package.sh's
// launcher when MEGABATCH_LAUNCHER names it (there /proc/self/exe is the bundled loader), else
// /proc/self/exe. Its stdout goes to `stdout_file` when given. Returns the child's pid.
pid_t spawn_self(std::vector<std::string> argv, const std::filesystem::path& stdout_file = {});

}  // namespace megabatch::app
