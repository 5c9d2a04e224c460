// C++ entry points of the 160 arc-dsl primitives (same names and parameters as arc-dsl's dsl.py;
// `switch` and `double` are spelled `switch_` and `double_`). Families call each other through these; the registry wraps them.
// Each group below is implemented in the cpu/dsl file named above it.
#pragma once

#include "engine/value.hpp"

namespace megabatch::cpu::dsl {

// ---- cpu/dsl/arc/basics.cpp: numbers, booleans, pairs, basic containers
Value identity(const Value& x);
Value add(const Value& a, const Value& b);
Value subtract(const Value& a, const Value& b);
Value multiply(const Value& a, const Value& b);
Value divide(const Value& a, const Value& b);
Value invert(const Value& n);
Value even(const Value& n);
Value double_(const Value& n);
Value halve(const Value& n);
Value flip(const Value& b);
Value equality(const Value& a, const Value& b);
Value contained(const Value& value, const Value& container);
Value combine(const Value& a, const Value& b);
Value intersection(const Value& a, const Value& b);
Value difference(const Value& a, const Value& b);
Value dedupe(const Value& tup);
Value order(const Value& container, const Value& compfunc);
Value repeat(const Value& item, const Value& num);
Value greater(const Value& a, const Value& b);
Value size(const Value& container);
Value merge(const Value& containers);
Value maximum(const Value& container);
Value minimum(const Value& container);
Value valmax(const Value& container, const Value& compfunc);
Value valmin(const Value& container, const Value& compfunc);
Value argmax(const Value& container, const Value& compfunc);
Value argmin(const Value& container, const Value& compfunc);
Value mostcommon(const Value& container);
Value leastcommon(const Value& container);
Value initset(const Value& value);
Value both(const Value& a, const Value& b);
Value either(const Value& a, const Value& b);
Value increment(const Value& x);
Value decrement(const Value& x);
Value crement(const Value& x);
Value sign(const Value& x);
Value positive(const Value& x);
Value toivec(const Value& i);
Value tojvec(const Value& j);

// ---- cpu/dsl/arc/functional.cpp: filters, element access, higher-order functions
Value sfilter(const Value& container, const Value& condition);
Value mfilter(const Value& container, const Value& function);
Value extract(const Value& container, const Value& condition);
Value totuple(const Value& container);
Value first(const Value& container);
Value last(const Value& container);
Value insert(const Value& value, const Value& container);
Value remove(const Value& value, const Value& container);
Value other(const Value& container, const Value& value);
Value interval(const Value& start, const Value& stop, const Value& step);
Value astuple(const Value& a, const Value& b);
Value product(const Value& a, const Value& b);
Value pair(const Value& a, const Value& b);
Value branch(const Value& condition, const Value& a, const Value& b);
Value compose(const Value& outer, const Value& inner);
Value chain(const Value& h, const Value& g, const Value& f);
Value matcher(const Value& function, const Value& target);
Value rbind(const Value& function, const Value& fixed);
Value lbind(const Value& function, const Value& fixed);
Value power(const Value& function, const Value& n);
Value fork(const Value& outer, const Value& a, const Value& b);
Value apply(const Value& function, const Value& container);
Value rapply(const Value& functions, const Value& value);
Value mapply(const Value& function, const Value& container);
Value papply(const Value& function, const Value& a, const Value& b);
Value mpapply(const Value& function, const Value& a, const Value& b);
Value prapply(const Value& function, const Value& a, const Value& b);

// ---- cpu/dsl/arc/patches.cpp: colours, shapes, patches, objects
Value mostcolor(const Value& element);
Value leastcolor(const Value& element);
Value height(const Value& piece);
Value width(const Value& piece);
Value shape(const Value& piece);
Value portrait(const Value& piece);
Value colorcount(const Value& element, const Value& value);
Value colorfilter(const Value& objs, const Value& value);
Value sizefilter(const Value& container, const Value& n);
Value asindices(const Value& grid);
Value ofcolor(const Value& grid, const Value& value);
Value ulcorner(const Value& patch);
Value urcorner(const Value& patch);
Value llcorner(const Value& patch);
Value lrcorner(const Value& patch);
Value crop(const Value& grid, const Value& start, const Value& dims);
Value toindices(const Value& patch);
Value recolor(const Value& value, const Value& patch);
Value shift(const Value& patch, const Value& directions);
Value normalize(const Value& patch);
Value dneighbors(const Value& loc);
Value ineighbors(const Value& loc);
Value neighbors(const Value& loc);
Value objects(const Value& grid, const Value& univalued, const Value& diagonal, const Value& without_bg);
Value partition(const Value& grid);
Value fgpartition(const Value& grid);
Value uppermost(const Value& patch);
Value lowermost(const Value& patch);
Value leftmost(const Value& patch);
Value rightmost(const Value& patch);
Value square(const Value& piece);
Value vline(const Value& patch);
Value hline(const Value& patch);
Value hmatching(const Value& a, const Value& b);
Value vmatching(const Value& a, const Value& b);
Value manhattan(const Value& a, const Value& b);
Value adjacent(const Value& a, const Value& b);
Value bordering(const Value& patch, const Value& grid);
Value centerofmass(const Value& patch);
Value palette(const Value& element);
Value numcolors(const Value& element);
Value color(const Value& obj);
Value toobject(const Value& patch, const Value& grid);
Value asobject(const Value& grid);

// ---- cpu/dsl/arc/grids.cpp: grid transforms and patch geometry
Value rot90(const Value& grid);
Value rot180(const Value& grid);
Value rot270(const Value& grid);
Value hmirror(const Value& piece);
Value vmirror(const Value& piece);
Value dmirror(const Value& piece);
Value cmirror(const Value& piece);
Value fill(const Value& grid, const Value& value, const Value& patch);
Value paint(const Value& grid, const Value& obj);
Value underfill(const Value& grid, const Value& value, const Value& patch);
Value underpaint(const Value& grid, const Value& obj);
Value hupscale(const Value& grid, const Value& factor);
Value vupscale(const Value& grid, const Value& factor);
Value upscale(const Value& element, const Value& factor);
Value downscale(const Value& grid, const Value& factor);
Value hconcat(const Value& a, const Value& b);
Value vconcat(const Value& a, const Value& b);
Value subgrid(const Value& patch, const Value& grid);
Value hsplit(const Value& grid, const Value& n);
Value vsplit(const Value& grid, const Value& n);
Value cellwise(const Value& a, const Value& b, const Value& fallback);
Value replace(const Value& grid, const Value& replacee, const Value& replacer);
Value switch_(const Value& grid, const Value& a, const Value& b);
Value center(const Value& patch);
Value position(const Value& a, const Value& b);
Value index(const Value& grid, const Value& loc);
Value canvas(const Value& value, const Value& dimensions);
Value corners(const Value& patch);
Value connect(const Value& a, const Value& b);
Value cover(const Value& grid, const Value& patch);
Value trim(const Value& grid);
Value move(const Value& grid, const Value& obj, const Value& offset);
Value tophalf(const Value& grid);
Value bottomhalf(const Value& grid);
Value lefthalf(const Value& grid);
Value righthalf(const Value& grid);
Value vfrontier(const Value& location);
Value hfrontier(const Value& location);
Value backdrop(const Value& patch);
Value delta(const Value& patch);
Value gravitate(const Value& source, const Value& destination);
Value inbox(const Value& patch);
Value outbox(const Value& patch);
Value box(const Value& patch);
Value shoot(const Value& start, const Value& direction);
Value occurrences(const Value& grid, const Value& obj);
Value frontiers(const Value& grid);
Value compress(const Value& grid);
Value hperiod(const Value& obj);
Value vperiod(const Value& obj);

}  // namespace megabatch::cpu::dsl
