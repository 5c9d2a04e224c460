#include "app/spawn.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace megabatch::app {

pid_t spawn_self(std::vector<std::string> argv, const std::filesystem::path& stdout_file) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot start a run: fork failed");
  if (pid > 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  if (!stdout_file.empty()) {
    const int fd = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) ::dup2(fd, STDOUT_FILENO);
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const char* launcher = std::getenv("MEGABATCH_LAUNCHER");
  ::execv(launcher && *launcher ? launcher : "/proc/self/exe", cargv.data());
  ::_exit(127);
}

}  // namespace megabatch::app
