#include "engine/results/run_record.hpp"

#include <stdexcept>

#include "engine/md5.hpp"

namespace megabatch {

namespace {

// Fields are written with their lengths, so that no two different inputs give one byte stream.
void put(Md5& h, std::string_view text) {
  h.update(std::to_string(text.size()));
  h.update(":");
  h.update(text);
}

void put_grid(Md5& h, const Grid& g) {
  put(h, std::to_string(g.h) + "x" + std::to_string(g.w));
  std::string cells;
  cells.reserve(g.cells.size());
  for (Color c : g.cells) cells += std::to_string(c) + ",";
  put(h, cells);
}

}  // namespace

RunRecord describe_run(const std::vector<Task>& tasks, const program::Dag& dag,
                       std::map<std::string, std::string> settings) {
  RunRecord r;
  r.task_count = tasks.size();
  r.program_count = dag.programs().size();
  r.settings = std::move(settings);
  Md5 t;
  for (const Task& task : tasks) {
    put(t, task.id);
    put(t, std::to_string(task.train.size()) + "/" + std::to_string(task.test.size()));
    for (const auto& p : task.train) put_grid(t, p.input), put_grid(t, p.output);
    for (const auto& p : task.test) {
      put_grid(t, p.input);
      put(t, p.output ? "output" : "no output");
      if (p.output) put_grid(t, *p.output);
    }
  }
  r.tasks_md5 = t.hex_digest();
  // A node's digest from its children's (ids are topological): the shared DAG is hashed once, in
  // time linear in its size, and a program is its name, dialect, parameters and its lines' nodes.
  const auto& nodes = dag.nodes();
  std::vector<std::string> node_md5(nodes.size());
  for (std::size_t id = 0; id < nodes.size(); ++id) {
    const program::Node& n = nodes[id];
    Md5 h;
    put(h, std::to_string(static_cast<int>(n.kind)) + "/" + std::to_string(static_cast<int>(n.dialect)));
    put(h, n.name);
    if (n.kind == program::NodeKind::Call) {
      put(h, node_md5[n.callee]);
      for (program::NodeId a : n.args) put(h, node_md5[a]);
    }
    node_md5[id] = h.hex_digest();
  }
  Md5 p;
  for (const auto& prog : dag.programs()) {
    put(p, prog.name);
    put(p, prog.function);  // the name and the docstring are part of the inlined text and its md5
    put(p, prog.docstring ? "doc:" + *prog.docstring : std::string("no doc"));
    put(p, dialect_name(prog.dialect));
    for (const auto& param : prog.params) put(p, param);
    put(p, std::to_string(prog.statements.size()));
    for (program::NodeId s : prog.statements) put(p, node_md5[s]);
  }
  r.programs_md5 = p.hex_digest();
  return r;
}

nlohmann::ordered_json RunRecord::to_json() const {
  nlohmann::ordered_json j;
  j["tasks"] = {{"count", task_count}, {"md5", tasks_md5}};
  j["programs"] = {{"count", program_count}, {"md5", programs_md5}};
  nlohmann::ordered_json s = nlohmann::ordered_json::object();
  for (const auto& [k, v] : settings) s[k] = v;
  j["settings"] = std::move(s);
  if (shard) j["shard"] = {{"index", shard->index}, {"count", shard->count}, {"tasks", shard->task_ids}};
  return j;
}

RunRecord RunRecord::from_json(const nlohmann::json& j) {
  try {
    RunRecord r;
    r.task_count = j.at("tasks").at("count").get<std::size_t>();
    r.tasks_md5 = j.at("tasks").at("md5").get<std::string>();
    r.program_count = j.at("programs").at("count").get<std::size_t>();
    r.programs_md5 = j.at("programs").at("md5").get<std::string>();
    for (const auto& [k, v] : j.at("settings").items()) r.settings[k] = v.get<std::string>();
    if (j.contains("shard")) {
      const auto& s = j.at("shard");
      r.shard = ShardInfo{s.at("index").get<std::size_t>(), s.at("count").get<std::size_t>(),
                          s.at("tasks").get<std::vector<std::string>>()};
      if (r.shard->count == 0 || r.shard->index >= r.shard->count) throw std::runtime_error("not a run record (shard index out of range)");
    }
    return r;
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("not a run record (expected tasks, programs and settings)");
  }
}

std::string RunRecord::difference_from(const RunRecord& earlier) const {
  std::string out;
  auto add = [&](const std::string& what) { out += (out.empty() ? "" : "; ") + what; };
  if (tasks_md5 != earlier.tasks_md5)
    add("other tasks (" + std::to_string(earlier.task_count) + " there, " + std::to_string(task_count) +
        " here" + (earlier.task_count == task_count ? ", with other content" : "") + ")");
  if (programs_md5 != earlier.programs_md5)
    add("other programs (" + std::to_string(earlier.program_count) + " there, " + std::to_string(program_count) +
        " here" + (earlier.program_count == program_count ? ", with other content" : "") + ")");
  for (const auto& [key, value] : settings) {
    auto it = earlier.settings.find(key);
    const std::string there = it == earlier.settings.end() ? "unset" : it->second;
    if (there != value) add(key + " " + there + " there, " + value + " here");
  }
  for (const auto& [key, value] : earlier.settings)
    if (!settings.count(key)) add(key + " " + value + " there, unset here");
  auto name = [](const std::optional<ShardInfo>& s) {
    return s ? "shard " + std::to_string(s->index) + "/" + std::to_string(s->count) : std::string("no shard");
  };
  if (shard != earlier.shard) add(name(earlier.shard) + " there, " + name(shard) + " here");
  return out;
}

}  // namespace megabatch
