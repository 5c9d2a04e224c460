// MD5 message digest (RFC 1321). Used to name inlined programs the way tokpidjin does
// (hashlib.md5(text.encode()).hexdigest()); not for anything security-related.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace megabatch {

// Incremental MD5: update() any number of times, then digest() or hex_digest() once.
class Md5 {
 public:
  Md5();
  void update(std::string_view bytes);
  std::array<std::uint8_t, 16> digest();
  std::string hex_digest();  // 32 lowercase hex characters

 private:
  void transform(const std::uint8_t* block);

  std::array<std::uint32_t, 4> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t length_ = 0;  // bytes hashed so far
  bool finished_ = false;
};

// One-shot convenience: the lowercase hex MD5 of `bytes`.
std::string md5_hex(std::string_view bytes);

}  // namespace megabatch
