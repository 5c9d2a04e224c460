// graph layer: populated by the flow graph.
namespace megabatch::graph {}
