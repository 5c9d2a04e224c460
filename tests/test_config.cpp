// Config: TOML loading, strictness (unknown keys, wrong types, ranges), --set overrides and their precedence.
#include "engine/config.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace megabatch {
namespace {

const Config kDefaults;  // default-initialised: value-initialising (Config{}) trips a GCC 12 false warning

using test::TempDir;
using test::write_file;

// The ConfigError message `body` produces when loaded from a file (empty when it loads).
std::string load_error(const TempDir& dir, const std::string& body) {
  auto file = write_file(dir / "c.toml", body);
  try {
    load_config(file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

std::string override_error(const std::string& assignment) {
  Config config;
  try {
    apply_override(config, assignment);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

TEST(Config, ShippedConfigsLoad) {
  for (const char* name : {"laptop", "kaggle", "server"}) {
    auto file = test::source_dir() / "configs" / (std::string(name) + ".toml");
    EXPECT_NO_THROW(load_config(file)) << file;
  }
  EXPECT_EQ(load_config(test::source_dir() / "configs/kaggle.toml").threads, 4);
}

TEST(Config, FileOverridesOnlyTheKeysItNames) {
  TempDir dir;
  auto file = write_file(dir / "c.toml", "threads = 3\n[budget]\nwall_ms = 200\n");
  Config config = load_config(file);
  Config expected;
  expected.threads = 3;
  expected.budget.wall_ms = 200;
  EXPECT_EQ(config, expected);
}

TEST(Config, EmptyFileGivesDefaults) {
  TempDir dir;
  EXPECT_EQ(load_config(write_file(dir / "c.toml", "")), kDefaults);
}

TEST(Config, UnknownKeysAreRejectedNamingFileLineAndKey) {
  TempDir dir;
  std::string known;
  for (auto key : config_keys()) known += (known.empty() ? "" : ", ") + std::string(key);
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(load_error(dir, "threads = 1\n[batch]\nmax_bach = 1\n"),
            file + ":3: unknown key 'batch.max_bach' (known keys: " + known + ")");
  EXPECT_EQ(load_error(dir, "[batches]\nmax_batch = 1\n"),
            file + ":1: unknown table [batches] (known keys: " + known + ")");
  EXPECT_EQ(load_error(dir, "max_batch = 1\n"), file + ":1: unknown key 'max_batch' (known keys: " + known + ")");
}

TEST(Config, WrongTypesAndRangesAreRejected) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(load_error(dir, "threads = \"four\"\n"), file + ":1: threads: expected an integer, got string");
  EXPECT_EQ(load_error(dir, "[budget]\nwall_ms = 1.5\n"),
            file + ":2: budget.wall_ms: expected an integer, got floating-point");
  EXPECT_EQ(load_error(dir, "cache_dir = 3\n"), file + ":1: cache_dir: expected a string, got integer");
  EXPECT_EQ(load_error(dir, "batch = 5\n"), file + ":1: batch: expected a table [batch]");
  EXPECT_EQ(load_error(dir, "[batch]\nmax_batch = 0\n"),
            file + ":2: batch.max_batch: must be between 1 and 2147483647, got 0");
  EXPECT_EQ(load_error(dir, "threads = 5000000000\n"),
            file + ":1: threads: must be between 0 and 2147483647, got 5000000000");
}

TEST(Config, PruneIsOnOrOff) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(kDefaults.batch.prune, "on");
  EXPECT_EQ(load_config(write_file(dir / "ok.toml", "[batch]\nprune = \"off\"\n")).batch.prune, "off");
  EXPECT_EQ(load_error(dir, "[batch]\nprune = \"colour\"\n"),
            file + ":2: batch.prune: must be one of on,off, got 'colour'");
  Config config;
  apply_override(config, "batch.prune=off");
  EXPECT_EQ(config.batch.prune, "off");
}

TEST(Config, TheCacheIsOnOffOrARedisAddress) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(kDefaults.cache, "on");
  EXPECT_EQ(load_config(write_file(dir / "ok.toml", "cache = \"off\"\n")).cache, "off");
  Config config;
  apply_override(config, "cache=redis://10.0.0.2:6380/3");
  EXPECT_EQ(config.cache, "redis://10.0.0.2:6380/3");
  EXPECT_EQ(load_error(dir, "cache = \"lmdb\"\n"), file + ":1: cache: must be one of on,off,redis://*, got 'lmdb'");
  EXPECT_EQ(load_error(dir, "cache = \"redis://\"\n"), file + ":1: cache: must be one of on,off,redis://*, got 'redis://'");
  EXPECT_EQ(load_error(dir, "cache_max_mb = 4\n"), file + ":1: cache_max_mb: must be between 8 and 9223372036854775807, got 4");
}

TEST(Config, MinGpuBatchIsAutoOrANumber) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(kDefaults.batch.min_gpu_batch, "auto");
  EXPECT_EQ(fixed_gpu_batch(kDefaults.batch), std::nullopt);
  // A file writes a number as a TOML integer (the profiles do) or a string; --set writes either.
  const Config from_int = load_config(write_file(dir / "i.toml", "[batch]\nmin_gpu_batch = 512\n"));
  EXPECT_EQ(from_int.batch.min_gpu_batch, "512");
  EXPECT_EQ(fixed_gpu_batch(from_int.batch), 512);
  EXPECT_EQ(fixed_gpu_batch(load_config(write_file(dir / "s.toml", "[batch]\nmin_gpu_batch = \"0\"\n")).batch), 0);
  Config config;
  apply_override(config, "batch.min_gpu_batch=1024");
  EXPECT_EQ(fixed_gpu_batch(config.batch), 1024);
  apply_override(config, "batch.min_gpu_batch=auto");
  EXPECT_EQ(fixed_gpu_batch(config.batch), std::nullopt);
  const std::string choices = "must be one of auto,a number from 0 to 2147483647";
  EXPECT_EQ(load_error(dir, "[batch]\nmin_gpu_batch = -1\n"), file + ":2: batch.min_gpu_batch: " + choices + ", got '-1'");
  EXPECT_EQ(load_error(dir, "[batch]\nmin_gpu_batch = \"fast\"\n"),
            file + ":2: batch.min_gpu_batch: " + choices + ", got 'fast'");
  EXPECT_EQ(override_error("batch.min_gpu_batch=12x"), "--set batch.min_gpu_batch=12x: " + choices + ", got '12x'");
  EXPECT_EQ(override_error("batch.min_gpu_batch=99999999999"),
            "--set batch.min_gpu_batch=99999999999: " + choices + ", got '99999999999'");
  // A config built in code is not checked on the way in: reading the setting is.
  BatchConfig unchecked;
  unchecked.min_gpu_batch = "lots";
  EXPECT_THROW(fixed_gpu_batch(unchecked), ConfigError);
  EXPECT_EQ(load_error(dir, "[batch]\nmin_gpu_batch = 2.5\n"),
            file + ":2: batch.min_gpu_batch: expected an integer or a string, got floating-point");
  // Written back as it was read: a number as a TOML integer.
  EXPECT_NE(to_toml(from_int).find("min_gpu_batch = 512"), std::string::npos) << to_toml(from_int);
  EXPECT_EQ(load_config(write_file(dir / "back.toml", to_toml(from_int))), from_int);
}

TEST(Config, WaveOrderTakesOnlyItsNamedValues) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  EXPECT_EQ(kDefaults.batch.wave_order, "given");
  EXPECT_EQ(load_config(write_file(dir / "ok.toml", "[batch]\nwave_order = \"smallest_first\"\n")).batch.wave_order,
            "smallest_first");
  EXPECT_EQ(load_error(dir, "[batch]\nwave_order = \"largest_first\"\n"),
            file + ":2: batch.wave_order: must be one of given,smallest_first, got 'largest_first'");
  Config config;
  apply_override(config, "batch.wave_order=smallest_first");
  EXPECT_EQ(config.batch.wave_order, "smallest_first");
  apply_override(config, "batch.wave_order=\"given\"");
  EXPECT_EQ(config.batch.wave_order, "given");
  EXPECT_EQ(override_error("batch.wave_order=random"),
            "--set batch.wave_order=random: must be one of given,smallest_first, got 'random'");
  EXPECT_EQ(config.batch.wave_order, "given");
}

TEST(Config, TomlSyntaxErrorsNameLineAndColumn) {
  TempDir dir;
  const std::string file = (dir / "c.toml").string();
  std::string error = load_error(dir, "threads = 1\nthreads = = 2\n");
  EXPECT_EQ(error.substr(0, file.size() + 3), file + ":2:") << error;
}

TEST(Config, BadFileLeavesTheConfigUnchanged) {
  TempDir dir;
  Config config;
  config.threads = 9;
  auto file = write_file(dir / "c.toml", "threads = 2\n[batch]\nmax_batch = -1\n");
  EXPECT_THROW(merge_config_file(config, file), ConfigError);
  EXPECT_EQ(config.threads, 9);
}

TEST(Config, OverridesParseEveryType) {
  Config config;
  apply_override(config, "batch.max_batch=128");
  apply_override(config, " budget.max_cells = 5000 ");
  apply_override(config, "cache_dir=/tmp/mb cache");
  EXPECT_EQ(config.batch.max_batch, 128);
  EXPECT_EQ(config.budget.max_cells, 5000);
  EXPECT_EQ(config.cache_dir, "/tmp/mb cache");
  apply_override(config, "cache_dir=\"quoted\"");
  EXPECT_EQ(config.cache_dir, "quoted");
}

TEST(Config, BadOverridesAreRejected) {
  EXPECT_EQ(override_error("threads"), "--set threads: expected key=value");
  EXPECT_TRUE(override_error("thread=1").starts_with("--set thread=1: unknown key 'thread' (known keys: threads, "))
      << override_error("thread=1");
  EXPECT_EQ(override_error("threads=two"), "--set threads=two: expected an integer, got 'two'");
  EXPECT_EQ(override_error("threads=1x"), "--set threads=1x: expected an integer, got '1x'");
  EXPECT_EQ(override_error("threads="), "--set threads=: expected an integer, got ''");
  EXPECT_EQ(override_error("batch.inflight_batches=0"),
            "--set batch.inflight_batches=0: must be between 1 and 2147483647, got 0");
}

TEST(Config, PrecedenceIsDefaultsThenFileThenCommandLine) {
  TempDir dir;
  Config config = load_config(write_file(dir / "c.toml", "threads = 3\n[batch]\nmax_batch = 64\n"));
  apply_override(config, "threads=5");
  EXPECT_EQ(config.threads, 5);                                         // command line beats the file
  EXPECT_EQ(config.batch.max_batch, 64);                                // the file beats the default
  EXPECT_EQ(config.batch.min_gpu_batch, kDefaults.batch.min_gpu_batch);  // the default stays
}

TEST(Config, DescribeNamesEveryKeyOnOneLine) {
  std::string line = describe(kDefaults);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  for (auto key : config_keys()) EXPECT_NE(line.find(std::string(key) + "="), std::string::npos) << key;
  EXPECT_EQ(line.substr(0, 26), "threads=0 batch.max_batch=");
}

TEST(Config, TomlOutputReadsBackTheSameConfig) {
  TempDir dir;
  Config config;
  config.threads = 7;
  config.budget.max_primitive_calls = 12345;
  config.cache_dir = "some dir";
  EXPECT_EQ(load_config(write_file(dir / "c.toml", to_toml(config))), config);
}

}  // namespace
}  // namespace megabatch
