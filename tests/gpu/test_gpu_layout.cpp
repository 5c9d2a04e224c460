// gpu/: the packed batch layout, the copy op under the tbb launcher, and (where a device exists) under CUDA.
#include "engine/task_io.hpp"
#include "gpu/copy_batch.hpp"
#include "gpu/device.hpp"
#include "../test_support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace megabatch::gpu {
namespace {

Grid numbered(int h, int w) {
  Grid g(h, w);
  for (std::size_t i = 0; i < g.cells.size(); ++i) g.cells[i] = static_cast<Color>(i % 10);
  return g;
}

// Edge sizes plus every grid of ARC-AGI-1 training when it is present.
std::vector<Grid> sample_grids() {
  std::vector<Grid> grids = {numbered(1, 1), numbered(30, 30), numbered(3, 7), numbered(7, 3)};
  if (std::filesystem::is_directory(test::training_dir()))
    for (const auto& t : load_tasks(test::training_dir()).tasks) {
      for (const auto& p : t.train) grids.push_back(p.input), grids.push_back(p.output);
      for (const auto& p : t.test) grids.push_back(p.input);
    }
  return grids;
}

TEST(GpuLayout, PackRecordsOffsetsAndShapesAndUnpacksBack) {
  std::vector<Grid> grids = {numbered(1, 1), numbered(30, 30), numbered(3, 7)};
  auto batch = PackedBatch<std::uint8_t>::pack(grids);
  EXPECT_EQ(batch.count(), 3);
  EXPECT_EQ(batch.total_cells(), 1 + 900 + 21);
  EXPECT_EQ(batch.offsets(), (std::vector<std::int64_t>{0, 1, 901, 922}));
  EXPECT_EQ(batch.heights(), (std::vector<std::int32_t>{1, 30, 3}));
  EXPECT_EQ(batch.widths(), (std::vector<std::int32_t>{1, 30, 7}));
  EXPECT_EQ(batch.unpack_all(), grids);
  auto view = batch.view();
  EXPECT_EQ(view.size(1), 900);
  EXPECT_EQ(view.at(2, 1, 3), grids[2].at(1, 3));
}

TEST(GpuLayout, EmptyBatch) {
  PackedBatch<std::int32_t> batch = PackedBatch<std::int32_t>::pack({});
  EXPECT_EQ(batch.count(), 0);
  EXPECT_EQ(batch.total_cells(), 0);
  EXPECT_EQ(batch.offsets(), std::vector<std::int64_t>{0});
  EXPECT_EQ(copy_batch_host(batch), batch);
}

TEST(GpuLayout, Uint8BatchRefusesValuesItCannotHold) {
  Grid g = numbered(2, 2);
  g.at(1, 1) = 256;
  EXPECT_THROW(PackedBatch<std::uint8_t>::pack({g}), std::out_of_range);
  g.at(1, 1) = -1;
  EXPECT_THROW(PackedBatch<std::uint8_t>::pack({g}), std::out_of_range);
  g.at(1, 1) = -100000;  // any int32 fits the int32 batch
  EXPECT_EQ(PackedBatch<std::int32_t>::pack({g}).unpack(0), g);
}

TEST(GpuCopy, HostLauncherCopiesEveryGrid) {
  auto grids = sample_grids();
  auto u8 = PackedBatch<std::uint8_t>::pack(grids);
  EXPECT_EQ(copy_batch_host(u8).unpack_all(), grids);
  auto i32 = PackedBatch<std::int32_t>::pack(grids);
  EXPECT_EQ(copy_batch_host(i32), i32);
}

TEST(GpuDevice, DeviceCountIsZeroWithoutCuda) {
  if (built_with_cuda())
    EXPECT_GE(device_count(), 0);
  else
    EXPECT_EQ(device_count(), 0);
}

TEST(GpuDevice, DeviceCopyMatchesHost) {
#ifdef MEGABATCH_HAS_CUDA
  if (device_count() == 0) GTEST_SKIP() << "no CUDA device (gpu::device_count() == 0)";
  auto grids = sample_grids();
  auto u8 = PackedBatch<std::uint8_t>::pack(grids);
  EXPECT_EQ(copy_batch_device(u8), copy_batch_host(u8));
  auto i32 = PackedBatch<std::int32_t>::pack(grids);
  EXPECT_EQ(copy_batch_device(i32), i32);
  EXPECT_EQ(copy_batch_device(PackedBatch<std::uint8_t>{}).count(), 0);
#else
  GTEST_SKIP() << "built without CUDA (MEGABATCH_WITH_CUDA=OFF or no nvcc)";
#endif
}

}  // namespace
}  // namespace megabatch::gpu
