// Task synthesis: the portable generator and task ids, random grids, each rejection rule, task shape,
// byte-identical output per seed (whatever the thread count), the whole library generating, --unambiguous, and
// the `synth` command line.
#include "../test_support.hpp"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cpu/dsl/vocabulary.hpp"
#include "cpu/synth.hpp"
#include "engine/program/parse.hpp"
#include "engine/synth.hpp"
#include "engine/task_io.hpp"

namespace megabatch {
namespace {

namespace fs = std::filesystem;
using cpu::SynthReject;

// A parsed library and its compiled DAG (which refers to the DAG, so both stay put behind a pointer).
struct Library {
  program::Dag dag;
  std::unique_ptr<cpu::CompiledDag> compiled;

  std::uint32_t index(const std::string& name) const {
    for (std::uint32_t p = 0; p < dag.programs().size(); ++p)
      if (dag.programs()[p].name == name) return p;
    throw std::invalid_argument("no program " + name);
  }
};

std::unique_ptr<Library> load(const program::ParseResult& parsed) {
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front().to_string();
  auto lib = std::make_unique<Library>();
  for (const auto& p : parsed.programs) lib->dag.add(p);
  lib->compiled = std::make_unique<cpu::CompiledDag>(lib->dag);
  return lib;
}

std::unique_ptr<Library> from_source(const std::string& source) {
  cpu::DslVocabulary vocabulary;
  return load(program::parse_source(source, "synth_test.py", vocabulary));
}

const Library& own_library() {
  static const std::unique_ptr<Library> lib = [] {
    cpu::DslVocabulary vocabulary;
    return load(program::parse_path(test::source_dir() / "configs/programs", vocabulary));
  }();
  return *lib;
}

std::size_t count(const cpu::RejectCounts& c, SynthReject r) { return c[static_cast<std::size_t>(r)]; }

// Every attempt of `s` was rejected for `reason`, apart from random inputs that happened to repeat.
void expect_only(const cpu::SynthProgramStats& s, SynthReject reason, const std::string& program) {
  EXPECT_GT(count(s.rejected, reason), 0u) << program;
  EXPECT_EQ(count(s.rejected, reason) + count(s.rejected, SynthReject::DuplicateInput), s.attempts) << program;
  EXPECT_EQ(s.tasks, 0u) << program;
}

std::size_t tasks_of(const cpu::SynthReport& report, std::uint32_t program) {
  return static_cast<std::size_t>(std::count_if(report.tasks.begin(), report.tasks.end(),
                                                [&](const cpu::SynthTask& t) { return t.program == program; }));
}

// A style where the program under test sees plain grids of 4-8 cells a side on background 0.
synth::GridStyle plain_style() {
  synth::GridStyle s;
  s.min_h = s.min_w = 4;
  s.max_h = s.max_w = 8;
  s.palette = {1, 2, 3};
  s.min_objects = 1;
  s.max_objects = 3;
  return s;
}

std::map<std::string, std::string> folder_contents(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files[entry.path().filename().string()] = test::read_file(entry.path());
  return files;
}

cpu::Outcome ok(Value v) {
  cpu::Outcome o;
  o.status = cpu::EvalStatus::Ok;
  o.value = std::move(v);
  return o;
}

// ---- generator, ids, grids ----

TEST(SynthRng, BetweenStaysInRangeAndRepeatsPerSeed) {
  synth::Rng a(42), b(42), c(43);
  std::vector<int> seen(7, 0);
  bool differs = false;
  for (int k = 0; k < 2000; ++k) {
    const int x = a.between(-3, 3);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 3);
    ++seen[x + 3];
    EXPECT_EQ(x, b.between(-3, 3));
    differs = differs || x != c.between(-3, 3);
  }
  for (int n : seen) EXPECT_GT(n, 200);  // roughly uniform: 2000/7 = 286 each
  EXPECT_TRUE(differs);
  EXPECT_EQ(a.between(5, 5), 5);
}

TEST(SynthRng, PinnedSequenceGuardsPortability) {
  // mt19937_64's 10000th output is fixed by the standard; between() must map it the same everywhere.
  std::mt19937_64 reference;
  reference.discard(9999);
  EXPECT_EQ(reference(), 9981545732273789042ULL);
  synth::Rng rng(5489);
  std::vector<int> draws;
  for (int k = 0; k < 5; ++k) draws.push_back(rng.between(0, 999));
  std::vector<int> expected;
  std::mt19937_64 raw(5489);
  for (int k = 0; k < 5; ++k) expected.push_back(static_cast<int>(raw() % 1000));  // no rejection at this range
  EXPECT_EQ(draws, expected);
}

TEST(SynthIds, EightHexCharsUniqueAndDeterministic) {
  std::set<std::string> ids;
  for (std::uint64_t k = 0; k < 20000; ++k) {
    const std::string id = synth::task_id(7, k);
    ASSERT_EQ(id.size(), 8u);
    ASSERT_TRUE(std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }))
        << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 20000u);
  EXPECT_EQ(synth::task_id(7, 3), synth::task_id(7, 3));
  EXPECT_EQ(synth::task_id(1, 0), "a9554851");  // pinned: ids of a seed must not change between versions
  EXPECT_NE(synth::task_id(7, 3), synth::task_id(8, 3));
}

TEST(SynthGrids, RandomStylesGiveArcGridsWithTheBackgroundMostFrequent) {
  synth::Rng rng(1);
  std::set<Color> backgrounds;
  std::set<std::pair<int, int>> sizes;
  for (int k = 0; k < 400; ++k) {
    const synth::GridStyle style = synth::random_style(rng);
    backgrounds.insert(style.background);
    for (int g = 0; g < 3; ++g) {
      const Grid grid = synth::random_grid(style, rng);
      ASSERT_FALSE(arc_grid_problem(grid)) << *arc_grid_problem(grid);
      ASSERT_GE(grid.h, std::max(3, style.min_h));
      ASSERT_LE(grid.h, style.max_h);
      ASSERT_GE(grid.w, 3);
      if (style.square) {
        ASSERT_EQ(grid.h, grid.w);
      }
      sizes.insert({grid.h, grid.w});
      std::array<int, 10> histogram{};
      for (Color c : grid.cells) ++histogram[c];
      const int background = histogram[style.background];
      ASSERT_LT(background, grid.h * grid.w) << "no foreground cell";
      ASSERT_GT(2 * background, grid.h * grid.w) << "background not the majority";
      for (Color c = 0; c <= 9; ++c) {
        if (c == style.background || !histogram[c]) continue;
        ASSERT_NE(std::find(style.palette.begin(), style.palette.end(), c), style.palette.end());
      }
    }
  }
  EXPECT_GT(backgrounds.size(), 5u);
  EXPECT_GT(sizes.size(), 100u);
}

TEST(SynthGrids, SmallAndMediumSizesAreFavoured) {
  synth::Rng rng(2);
  int small = 0, large = 0;
  for (int k = 0; k < 1000; ++k) {
    const Grid g = synth::random_grid(synth::random_style(rng), rng);
    if (std::max(g.h, g.w) <= 12) ++small;
    if (std::max(g.h, g.w) > 20) ++large;
  }
  EXPECT_GT(small, 400);
  EXPECT_LT(large, 150);
  EXPECT_GT(large, 10);
}

TEST(SynthGrids, BadStylesAreRefused) {
  synth::Rng rng(3);
  synth::GridStyle s = plain_style();
  s.palette = {0};
  EXPECT_THROW(synth::random_grid(s, rng), std::invalid_argument);
  s = plain_style();
  s.max_h = 31;
  EXPECT_THROW(synth::random_grid(s, rng), std::invalid_argument);
  s = plain_style();
  s.shapes.clear();
  EXPECT_THROW(synth::random_grid(s, rng), std::invalid_argument);
}

// ---- rejection rules, one by one ----

TEST(SynthRules, CheckOutputClassifiesEachProblem) {
  const Grid input = grid_from_rows({{0, 1}, {2, 0}});
  cpu::Outcome error;
  error.status = cpu::EvalStatus::Error;
  cpu::Outcome budget;
  budget.status = cpu::EvalStatus::Budget;
  Grid bad = input;
  bad.at(0, 0) = 10;
  EXPECT_EQ(cpu::check_output(input, error), SynthReject::Error);
  EXPECT_EQ(cpu::check_output(input, budget), SynthReject::Budget);
  EXPECT_EQ(cpu::check_output(input, ok(Value::integer(3))), SynthReject::NotGrid);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(Grid()))), SynthReject::NotGrid);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(Grid(31, 2, 1)))), SynthReject::Oversize);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(Grid(2, 31, 1)))), SynthReject::Oversize);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(bad))), SynthReject::BadColour);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(input))), SynthReject::Identity);
  EXPECT_EQ(cpu::check_output(input, ok(make_grid(Grid(30, 30, 9)))), std::nullopt);
}

TEST(SynthRules, CheckCandidateFindsDuplicatesAndConstantOutputs) {
  const std::vector<Grid> inputs{Grid(3, 3, 0), Grid(3, 3, 1), Grid(3, 4, 0)};
  const std::vector<cpu::Outcome> varied{ok(make_grid(Grid(1, 1, 5))), ok(make_grid(Grid(1, 2, 5))),
                                         ok(make_grid(Grid(1, 1, 6)))};
  EXPECT_EQ(cpu::check_candidate(inputs, varied), std::nullopt);
  const std::vector<cpu::Outcome> constant(3, ok(make_grid(Grid(1, 1, 5))));
  EXPECT_EQ(cpu::check_candidate(inputs, constant), SynthReject::ConstantOutput);
  const std::vector<Grid> twice{Grid(3, 3, 0), Grid(3, 3, 1), Grid(3, 3, 0)};
  EXPECT_EQ(cpu::check_candidate(twice, varied), SynthReject::DuplicateInput);
}

TEST(SynthRules, IdentityProgramNeverMakesATask) {
  auto lib = from_source(
      "def solve_identity(I):\n    O = identity(I)\n    return O\n"
      "def solve_rot90(I):\n    O = rot90(I)\n    return O\n");
  cpu::SynthOptions o;
  o.seed = 11;
  o.tasks = 8;
  o.attempts_per_program = 5;
  const auto report = cpu::synthesize(*lib->compiled, o);
  const std::uint32_t identity = lib->index("solve_identity"), rot90 = lib->index("solve_rot90");
  EXPECT_EQ(tasks_of(report, identity), 0u);
  EXPECT_EQ(tasks_of(report, rot90), 8u);  // the identity's slots moved on to rot90
  EXPECT_EQ(report.per_program[identity].given_up, 4u);
  EXPECT_EQ(report.per_program[identity].attempts, 20u);
  expect_only(report.per_program[identity], SynthReject::Identity, "solve_identity");
  EXPECT_EQ(report.give_ups.size(), 4u);
  for (const auto& g : report.give_ups) EXPECT_EQ(g.program, identity);
}

TEST(SynthRules, ErroringProgramNeverMakesATask) {
  auto lib = from_source(
      "def solve_raises(I):\n    x1 = tophalf(ONE)\n    O = hconcat(I, x1)\n    return O\n"
      "def solve_flip(I):\n    O = hmirror(I)\n    return O\n");
  cpu::SynthOptions o;
  o.seed = 12;
  o.tasks = 6;
  o.attempts_per_program = 3;
  const auto report = cpu::synthesize(*lib->compiled, o);
  expect_only(report.per_program[lib->index("solve_raises")], SynthReject::Error, "solve_raises");
  EXPECT_EQ(report.tasks.size(), 6u);
}

TEST(SynthRules, OversizeNonGridBadColourAndConstantOutputsAreRejected) {
  auto lib = from_source(
      "def solve_upscale_ten(I):\n    O = upscale(I, TEN)\n    return O\n"
      "def solve_size(I):\n    O = size(I)\n    return O\n"
      "def solve_ten_colour(I):\n    O = replace(I, ZERO, TEN)\n    return O\n"
      "def solve_constant(I):\n    O = canvas(ONE, UNITY)\n    return O\n");
  cpu::SynthOptions o;
  o.seed = 13;
  o.tasks = 4;
  o.attempts_per_program = 4;
  o.programs_per_task = 1;
  o.style = plain_style();  // 4-8 cells a side: upscaled by ten every output is 40 or more
  const auto report = cpu::synthesize(*lib->compiled, o);
  EXPECT_TRUE(report.tasks.empty());
  EXPECT_EQ(report.unfilled.size(), 4u);
  const std::pair<const char*, SynthReject> expected[] = {{"solve_upscale_ten", SynthReject::Oversize},
                                                          {"solve_size", SynthReject::NotGrid},
                                                          {"solve_ten_colour", SynthReject::BadColour},
                                                          {"solve_constant", SynthReject::ConstantOutput}};
  for (const auto& [name, reason] : expected) {
    EXPECT_EQ(report.per_program[lib->index(name)].attempts, 4u) << name;
    expect_only(report.per_program[lib->index(name)], reason, name);
  }
}

TEST(SynthRules, BudgetStopsAreRejected) {
  auto lib = from_source("def solve_rot90(I):\n    O = rot90(I)\n    return O\n");
  cpu::SynthOptions o;
  o.seed = 14;
  o.tasks = 2;
  o.attempts_per_program = 3;
  o.limits.max_cells = 5;  // no 4x4 or larger grid fits
  o.style = plain_style();
  const auto report = cpu::synthesize(*lib->compiled, o);
  expect_only(report.per_program[0], SynthReject::Budget, "solve_rot90");
}

TEST(SynthRules, IdenticalInputsAreRejected) {
  auto lib = from_source("def solve_double(I):\n    O = upscale(I, TWO)\n    return O\n");
  synth::GridStyle tiny;  // one cell of colour 1 in a 3x3 grid: only nine different inputs
  tiny.min_h = tiny.max_h = tiny.min_w = tiny.max_w = 3;
  tiny.palette = {1};
  tiny.min_objects = tiny.max_objects = 1;
  tiny.shapes = {synth::Shape::Cell};
  cpu::SynthOptions o;
  o.seed = 15;
  o.tasks = 10;
  o.style = tiny;
  const auto report = cpu::synthesize(*lib->compiled, o);
  EXPECT_GT(count(report.rejected, SynthReject::DuplicateInput), 0u);
  EXPECT_FALSE(report.tasks.empty());
  for (const auto& t : report.tasks) {
    std::vector<Grid> inputs;
    for (const auto& p : t.task.train) inputs.push_back(p.input);
    for (const auto& p : t.task.test) inputs.push_back(p.input);
    EXPECT_FALSE(cpu::has_duplicate_inputs(inputs)) << t.task.id;
  }
}

// ---- tasks from the real library ----

TEST(SynthLibrary, TasksHaveArcShapeAndReproduceTheirProgram) {
  const Library& lib = own_library();
  cpu::SynthOptions o;
  o.seed = 21;
  o.tasks = 60;
  const auto report = cpu::synthesize(*lib.compiled, o);
  ASSERT_EQ(report.tasks.size(), 60u);
  std::set<std::string> ids;
  cpu::Evaluator ev(*lib.compiled);
  std::vector<cpu::Outcome> out;
  for (const auto& t : report.tasks) {
    EXPECT_TRUE(ids.insert(t.task.id).second);
    EXPECT_EQ(t.task.id, synth::task_id(21, t.index));
    EXPECT_GE(t.task.train.size(), 3u);
    EXPECT_LE(t.task.train.size(), 4u);
    EXPECT_GE(t.task.test.size(), 1u);
    EXPECT_LE(t.task.test.size(), 2u);
    auto check = [&](const Grid& in, const Grid& expected) {
      EXPECT_FALSE(arc_grid_problem(in));
      EXPECT_GE(std::min(in.h, in.w), 3);
      EXPECT_FALSE(arc_grid_problem(expected)) << t.task.id;
      EXPECT_NE(in, expected) << t.task.id;
      const std::uint32_t program[1] = {t.program};
      ev.run(program, cpu::Sample{make_grid(in), empty_tuple(), empty_tuple()}, o.limits, out);
      ASSERT_EQ(out[0].status, cpu::EvalStatus::Ok);
      EXPECT_EQ(out[0].value.grid(), expected) << t.task.id;
    };
    for (const auto& p : t.task.train) check(p.input, p.output);
    for (const auto& p : t.task.test) {
      ASSERT_TRUE(p.output);
      check(p.input, *p.output);
    }
  }
}

TEST(SynthLibrary, EveryProgramGeneratesATask) {
  const Library& lib = own_library();
  cpu::SynthOptions o;
  o.seed = 22;
  o.tasks = 2 * lib.dag.programs().size();  // round-robin: two slots per program
  const auto report = cpu::synthesize(*lib.compiled, o);
  EXPECT_TRUE(report.non_generators.empty());
  EXPECT_TRUE(report.unfilled.empty());
  std::string never;
  for (std::uint32_t p = 0; p < lib.dag.programs().size(); ++p)
    if (report.per_program[p].tasks == 0) never += " " + lib.dag.programs()[p].name;
  EXPECT_TRUE(never.empty()) << "programs that never produced an accepted task:" << never;
  std::size_t most = 0;
  for (const auto& s : report.per_program) most = std::max(most, s.tasks);
  EXPECT_LE(most, 4u) << "tasks are not spread evenly";
}

// --withhold K: generating programs drawn by the seed until their tasks make about 1/K of all, listed with
// exactly those tasks; the same seed withholds the same programs.
TEST(SynthLibrary, WithholdListsProgramsAndExactlyTheirTasks) {
  const Library& lib = own_library();
  cpu::SynthOptions o;
  o.seed = 23;
  o.tasks = 90;
  o.withhold = 3;
  const auto report = cpu::synthesize(*lib.compiled, o);
  ASSERT_EQ(report.tasks.size(), 90u);
  const auto withheld = cpu::withheld_programs(o, report);
  ASSERT_FALSE(withheld.empty());
  const auto m = cpu::synth_manifest(lib.dag, o, report);
  ASSERT_TRUE(m.contains("withheld"));
  EXPECT_EQ(m["withheld"]["share"], "1/3");
  std::set<std::string> names;
  for (const auto& n : m["withheld"]["programs"]) names.insert(n.get<std::string>());
  EXPECT_EQ(names.size(), withheld.size());
  std::set<std::string> expected_tasks;
  for (const auto& t : report.tasks)
    if (names.count(lib.dag.programs()[t.program].name)) expected_tasks.insert(t.task.id);
  std::set<std::string> listed;
  for (const auto& t : m["withheld"]["tasks"]) listed.insert(t.get<std::string>());
  EXPECT_EQ(listed, expected_tasks);
  // at least a third, and dropping the last program drawn would leave less than a third
  EXPECT_GE(listed.size(), 30u);
  std::size_t most = 0;
  for (std::uint32_t p : withheld) most = std::max(most, report.per_program[p].tasks);
  EXPECT_LT(listed.size(), 30u + most);
  EXPECT_EQ(cpu::withheld_programs(o, report), withheld);
  o.withhold = 0;
  EXPECT_TRUE(cpu::withheld_programs(o, report).empty());
  EXPECT_FALSE(cpu::synth_manifest(lib.dag, o, report).contains("withheld"));
}

// ---- determinism ----

TEST(SynthDeterminism, SameSeedSameBytesWhateverTheThreadCount) {
  const Library& lib = own_library();
  test::TempDir a, b, c;
  cpu::SynthOptions o;
  o.seed = 31;
  o.tasks = 40;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    cpu::write_synth(a.path(), lib.dag, o, cpu::synthesize(*lib.compiled, o));
  }
  cpu::write_synth(b.path(), lib.dag, o, cpu::synthesize(*lib.compiled, o));
  const auto first = folder_contents(a.path()), second = folder_contents(b.path());
  EXPECT_EQ(first.size(), 41u);  // 40 tasks and the manifest
  EXPECT_TRUE(first == second);

  o.seed = 32;
  cpu::write_synth(c.path(), lib.dag, o, cpu::synthesize(*lib.compiled, o));
  const auto third = folder_contents(c.path());
  std::size_t shared = 0;
  for (const auto& [name, text] : third) shared += first.count(name) && first.at(name) == text;
  EXPECT_EQ(shared, 0u);
}

TEST(SynthDeterminism, ManifestRecordsProgramsAndRejections) {
  auto lib = from_source(
      "def solve_identity(I):\n    O = identity(I)\n    return O\n"
      "def solve_flip(I):\n    O = vmirror(I)\n    return O\n");
  test::TempDir dir;
  cpu::SynthOptions o;
  o.seed = 33;
  o.tasks = 4;
  o.attempts_per_program = 2;
  const auto report = cpu::synthesize(*lib->compiled, o);
  cpu::write_synth(dir.path(), lib->dag, o, report);
  const auto m = nlohmann::json::parse(test::read_file(dir / "manifest.json"));
  EXPECT_EQ(m["seed"], 33);
  EXPECT_EQ(m["requested"], 4);
  EXPECT_EQ(m["generated"], 4);
  EXPECT_GT(m["rejections"]["identity"], 0);
  EXPECT_EQ(m["give_ups"], 2);
  EXPECT_EQ(m["by_program"][0]["program"], "solve_identity");
  EXPECT_EQ(m["by_program"][0]["given_up"], 2);
  EXPECT_EQ(m["by_program"][1]["tasks"], 4);
  ASSERT_EQ(m["tasks"].size(), 4u);
  for (const auto& [id, entry] : m["tasks"].items()) {
    EXPECT_EQ(entry["program"], "solve_flip");
    EXPECT_EQ(entry["file"], "synth_test.py");
    EXPECT_TRUE(fs::exists(dir / (id + ".json")));
  }
  EXPECT_EQ(m["give_up_list"][0]["program"], "solve_identity");
  // The files load back as the tasks that were made.
  auto loaded = load_tasks(dir / (report.tasks[0].task.id + ".json"));
  ASSERT_EQ(loaded.tasks.size(), 1u);
  EXPECT_EQ(loaded.tasks[0], report.tasks[0].task);

  // A second run into the same folder replaces the first run's tasks.
  o.seed = 34;
  cpu::write_synth(dir.path(), lib->dag, o, cpu::synthesize(*lib->compiled, o));
  EXPECT_EQ(folder_contents(dir.path()).size(), 5u);
}

// ---- --unambiguous ----

// Two programs that agree on grids up to five rows and differ on taller ones.
const char* kLookalikes =
    "def solve_flip(I):\n    O = vmirror(I)\n    return O\n"
    "def solve_flip_or_turn(I):\n"
    "    x1 = height(I)\n    x2 = greater(x1, FIVE)\n    x3 = rot180(I)\n    x4 = vmirror(I)\n"
    "    O = branch(x2, x3, x4)\n    return O\n";

// Whether some other program fits every train pair of `t` and predicts a different test output.
bool ambiguous(const Library& lib, const cpu::SynthTask& t) {
  cpu::Evaluator ev(*lib.compiled);
  std::vector<cpu::Outcome> out;
  for (std::uint32_t p = 0; p < lib.dag.programs().size(); ++p) {
    if (p == t.program) continue;
    const std::uint32_t one[1] = {p};
    auto predict = [&](const Grid& in) -> std::optional<Grid> {
      ev.run(one, cpu::Sample{make_grid(in), empty_tuple(), empty_tuple()}, {}, out);
      if (out[0].status != cpu::EvalStatus::Ok || out[0].value.kind() != Kind::Grid) return std::nullopt;
      return out[0].value.grid();
    };
    bool fits = true;
    for (const auto& pair : t.task.train) fits = fits && predict(pair.input) == pair.output;
    if (!fits) continue;
    for (const auto& pair : t.task.test)
      if (auto g = predict(pair.input); g && *g != *pair.output) return true;
  }
  return false;
}

TEST(SynthUnambiguous, RejectsTasksAnotherProgramFitsDifferently) {
  auto lib = from_source(kLookalikes);
  synth::GridStyle style = plain_style();
  style.max_h = 6;  // heights 4-6: often every train grid is short and a test grid tall
  cpu::SynthOptions o;
  o.seed = 41;
  o.tasks = 40;
  o.style = style;
  const auto loose = cpu::synthesize(*lib->compiled, o);
  std::size_t loose_ambiguous = 0;
  for (const auto& t : loose.tasks) loose_ambiguous += ambiguous(*lib, t);
  EXPECT_GT(loose_ambiguous, 0u) << "the test needs ambiguous tasks without the flag";
  EXPECT_EQ(count(loose.rejected, SynthReject::Ambiguous), 0u);

  o.unambiguous = true;
  const auto strict = cpu::synthesize(*lib->compiled, o);
  EXPECT_EQ(strict.tasks.size(), 40u);
  EXPECT_GT(count(strict.rejected, SynthReject::Ambiguous), 0u);
  for (const auto& t : strict.tasks) EXPECT_FALSE(ambiguous(*lib, t)) << t.task.id;
}

// ---- the command line ----

TEST(SynthCli, WritesTasksAndManifestAndPrintsASummary) {
  test::TempDir dir;
  const auto out = dir / "tasks";
  auto r = test::run_megabatch("synth --tasks 12 --seed 5 --out " + test::quote(out) + " --programs " +
                               test::quote(test::source_dir() / "configs/programs/transforms.py"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("synth: 12/12 tasks from 31 programs (seed 5)"), std::string::npos) << r.out;
  EXPECT_EQ(folder_contents(out).size(), 13u);
  auto again = test::run_megabatch("synth --tasks 12 --seed 5 --out " + test::quote(dir / "again") + " --programs " +
                                   test::quote(test::source_dir() / "configs/programs/transforms.py"));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(folder_contents(out) == folder_contents(dir / "again"));
}

TEST(SynthCli, MissingProgramsAreAClearError) {
  test::TempDir dir;
  auto r = test::run_megabatch("synth --tasks 3 --out " + test::quote(dir / "o") + " --programs " +
                               test::quote(dir / "nowhere"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nowhere: no such program file or folder"), std::string::npos) << r.err;
  EXPECT_EQ(test::run_megabatch("synth --out " + test::quote(dir / "o")).exit_code, 2);  // --tasks is required
}

}  // namespace
}  // namespace megabatch
