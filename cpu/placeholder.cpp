// cpu layer: populated by the primitives (cpu/dsl) and the executor.
namespace megabatch::cpu {}
