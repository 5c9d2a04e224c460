// Text taken from input (task ids, file names, JSON values, exception messages quoting them) made fit
// for one log line: bytes that could break or forge a line are escaped, and long text is cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace megabatch {

// `text` with control characters, backslashes and bytes outside printable ASCII escaped as Python
// writes them (\n, \t, \\, \xNN), cut to at most `max_chars` characters of output with
// "... (N bytes)" saying how long it was.
std::string printable(std::string_view text, std::size_t max_chars = 200);

}  // namespace megabatch
