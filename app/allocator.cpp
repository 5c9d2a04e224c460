// jemalloc settings, read by jemalloc at start-up when the executable is linked with it (the MALLOC_CONF
// environment variable still overrides them). A runaway candidate builds grids of millions of cells
// and frees them a moment later; by default jemalloc hands such memory back to the kernel (large
// allocations at once, others after seconds) and the next evaluation faults it in afresh: system time
// was a tenth of the cross product's CPU time. Kept dirty pages, and large free extents split for
// smaller requests, are reused instead, which halves it; the process stays at its high-water mark
// (about 300 MiB on arc-dsl's 400 x 400 cross product, 220 MiB before) rather than shrinking.
#ifdef MEGABATCH_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface
const char* malloc_conf = "dirty_decay_ms:-1,oversize_threshold:0,lg_extent_max_active_fit:10";
}
#endif
