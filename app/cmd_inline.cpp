// megabatch inline: parses solver files, inlines every function as tokpidjin does and prints
// `<md5> <name>` per program (with --text the inlined source too; with --expand DIR the expanded form
// written to DIR/<md5>.py). Names are not checked against megabatch's primitives, so solver files of
// DSLs megabatch does not implement work too. A file's dialect (given with --dialect, else
// tokpidjin when a function has the (S, I, C) signature) decides the name in the text: tokpidjin's
// run_batt.py and prep_solver_dir.py hash every function as `def solve(S, I, C):`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "app/commands.hpp"
#include "engine/program/dag.hpp"
#include "engine/program/inline.hpp"
#include "engine/program/parse.hpp"

namespace megabatch::app {
namespace {

struct InlineArgs {
  std::string path;
  bool text = false;
  std::string expand_dir;
  std::uint64_t max_chars = program::InlineOptions{}.max_chars;
  bool keep_params = false;
  bool stats = false;
  std::string dialect;
};

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error(path.string() + ": cannot write file");
}

int run_inline(const InlineArgs& args) {
  program::PermissiveVocabulary vocabulary;
  program::ParseOptions parse_options;
  if (!args.dialect.empty()) parse_options.dialect = dialect_from_name(args.dialect);
  program::ParseResult parsed =
      program::parse_paths({args.path}, program::Vocabularies{&vocabulary, &vocabulary}, parse_options);
  for (const auto& e : parsed.errors) std::cerr << e.to_string() << '\n';

  program::Dag dag;
  for (const auto& p : parsed.programs) dag.add(p);
  if (!args.expand_dir.empty()) std::filesystem::create_directories(args.expand_dir);

  program::Inliner inliner(dag);
  program::InlineOptions options;
  options.max_chars = args.max_chars;
  program::ExpandOptions expand_options;
  expand_options.keep_params = args.keep_params;

  bool refused = false;
  std::string out;
  for (std::size_t i = 0; i < dag.programs().size(); ++i) {
    const auto& p = dag.programs()[i];
    program::InlineResult r = inliner.inline_program(i, options);
    if (r.status == program::InlineStatus::TooLarge) {
      std::cerr << p.file << ':' << p.line << ": " << p.name << ": inlined text would be " << r.chars
                << " characters, over --max-chars " << args.max_chars << '\n';
      refused = true;
      continue;
    }
    out += r.md5 + ' ' + p.name + '\n';
    if (args.text) out += r.text + "\n\n";
    if (!args.expand_dir.empty())
      write_file(std::filesystem::path(args.expand_dir) / (r.md5 + ".py"),
                 program::expanded_file_text(dag, i, expand_options));
    if (out.size() > (1u << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (args.stats)
    std::cerr << "programs " << dag.programs().size() << ", DAG nodes " << dag.unshared_node_count()
              << " before sharing, " << dag.shared_node_count() << " after\n";
  return parsed.errors.empty() && !refused ? kExitOk : kExitFailure;
}

const Registrar kInlineCommand("inline", 30, [](CLI::App& app, const GlobalOptions&) -> std::function<int()> {
  auto args = std::make_shared<InlineArgs>();
  CLI::App* cmd = app.add_subcommand("inline", "Inline solver programs as tokpidjin does and print '<md5> <name>'");
  cmd->add_option("path", args->path, "A .py file or a folder searched for .py files")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_flag("--text", args->text, "Also print each inlined source, followed by a blank line");
  cmd->add_option("--expand", args->expand_dir, "Write the expanded form of each program to DIR/<md5>.py");
  cmd->add_option("--max-chars", args->max_chars, "Refuse programs whose inlined text would be longer")
      ->capture_default_str();
  cmd->add_flag("--keep-params", args->keep_params,
                "Expanded files keep the program's parameters instead of expand_solver.py's (S, I, C)");
  cmd->add_flag("--stats", args->stats, "Print DAG node counts before and after sharing to stderr");
  cmd->add_option("--dialect", args->dialect, "arc-dsl or tokpidjin (default: detected per file)")
      ->check(CLI::IsMember({"arc-dsl", "tokpidjin"}));
  return [args] { return run_inline(*args); };
});

}  // namespace
}  // namespace megabatch::app
