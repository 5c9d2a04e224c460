// A redis-server of the test's own on 127.0.0.1 (a free port, nothing saved to disk), started by the
// test and stopped with it; tests that need one skip when redis-server is not installed.
#pragma once
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "cache/store.hpp"
#include "../test_support.hpp"

namespace megabatch::test {

// A port nothing listens on right now (the kernel's pick, then released).
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool have_redis_server() { return std::system("command -v redis-server >/dev/null 2>&1") == 0; }
inline constexpr const char* kNoRedisServer = "redis-server is not installed (scripts/bootstrap.sh installs it)";

class RedisServer {
 public:
  RedisServer() : port_(free_port()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string port = std::to_string(port_);
      ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", dir_.path().c_str(), "--loglevel", "warning", nullptr);
      ::_exit(127);
    }
    for (int k = 0; k < 100; ++k) {  // ready when it accepts a connection (at most 5 s)
      try {
        cache::open_redis_store(url(), {});
        return;
      } catch (const cache::CacheError&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ADD_FAILURE() << "redis-server did not start on port " << port_;
  }
  ~RedisServer() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  std::string url(int db = 0) const { return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db); }

 private:
  TempDir dir_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace megabatch::test
