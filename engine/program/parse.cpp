// Solver-file parser: a small hand-written lexer (Python's logical lines, indentation, comments,
// implicit joining inside parentheses) and a recursive-descent parser for the assignment-only subset
// that arc-dsl solvers use. Names are resolved in a second pass so "used before assignment" can be
// told apart from "unknown name".
#include "engine/program/parse.hpp"

#include "engine/input_files.hpp"
#include "engine/text.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace megabatch::program {

Expr Expr::name(std::string identifier, NameKind kind) {
  Expr e;
  e.kind = ExprKind::Name;
  e.name_kind = kind;
  e.text = std::move(identifier);
  return e;
}

Expr Expr::integer(std::int64_t v) {
  Expr e;
  e.kind = ExprKind::Int;
  e.value = v;
  e.text = std::to_string(v);
  return e;
}

Expr Expr::call(Expr callee, std::vector<Expr> args) {
  Expr e;
  e.kind = ExprKind::Call;
  e.children.reserve(args.size() + 1);
  e.children.push_back(std::move(callee));
  for (auto& a : args) e.children.push_back(std::move(a));
  return e;
}

std::string params_text(const std::vector<std::string>& params) {
  std::string out;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i > 0) out += ", ";
    out += params[i];
  }
  return out;
}

std::string ParseError::to_string() const {
  // The file name and the message can quote input: escaped and cut to one short line.
  std::string out = printable(file, 300) + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
  if (!function.empty()) out += printable(function, 100) + ": ";
  return out + printable(message, 500);
}

namespace {

// Python's tokenizer refuses deeper parenthesis nesting than this, so no real program exceeds it;
// the limit also bounds the parser's recursion.
constexpr int kMaxNesting = 200;

enum class Tok : std::uint8_t { Name, Int, String, Op, Error };

struct Token {
  Tok type;
  std::string text;  // identifier, digits, operator, string value, or the error message
  int line;
};

struct LogicalLine {
  int line = 0;
  int indent = 0;
  std::vector<Token> tokens;
};

bool is_keyword(std::string_view s) {
  static const std::unordered_set<std::string_view> kKeywords = {
      "False", "None",   "True",    "and",      "as",   "assert", "async",  "await",
      "break", "class",  "continue", "def",     "del",  "elif",   "else",   "except",
      "finally", "for",  "from",    "global",   "if",   "import", "in",     "is",
      "lambda", "nonlocal", "not",  "or",       "pass", "raise",  "return", "try",
      "while", "with",   "yield"};
  return kKeywords.count(s) > 0;
}

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether a physical line starts a statement: `def `, `return`, or `name =` (but not `name ==`).
bool looks_like_statement(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t')) ++i;
  std::size_t j = i;
  while (j < rest.size() && is_ident_char(rest[j])) ++j;
  if (j == i || !is_ident_start(rest[i])) return false;
  std::string_view word = rest.substr(i, j - i);
  if (word == "def" || word == "return") return j == rest.size() || !is_ident_char(rest[j]);
  while (j < rest.size() && (rest[j] == ' ' || rest[j] == '\t')) ++j;
  return j < rest.size() && rest[j] == '=' && (j + 1 == rest.size() || rest[j + 1] != '=');
}

// Splits source into logical lines of tokens. Lexical problems become Error tokens on the line where
// they occur (the rest of that physical line is skipped) so the parser can blame one function only.
std::vector<LogicalLine> lex(std::string_view src) {
  std::vector<LogicalLine> lines;
  LogicalLine cur;
  std::size_t i = 0;
  const std::size_t n = src.size();
  int line = 1, depth = 0, open_line = 0, pending_indent = 0;
  bool line_start = true;
  if (src.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark

  auto flush = [&] {
    if (!cur.tokens.empty()) lines.push_back(std::move(cur));
    cur = LogicalLine{};
  };
  auto add = [&](Tok type, std::string text, int at) {
    if (cur.tokens.empty()) {
      cur.line = at;
      cur.indent = pending_indent;
    }
    cur.tokens.push_back(Token{type, std::move(text), at});
  };
  auto fail = [&](std::string message) {
    add(Tok::Error, std::move(message), line);
    while (i < n && src[i] != '\n') ++i;
    depth = 0;  // the broken line ends here; do not swallow the following lines into it
  };

  while (i < n) {
    if (line_start) {
      // Indentation of a new logical line; tabs advance to the next multiple of 8 as in Python.
      int col = 0;
      for (; i < n && (src[i] == ' ' || src[i] == '\t' || src[i] == '\f'); ++i)
        col = src[i] == ' ' ? col + 1 : src[i] == '\t' ? (col / 8 + 1) * 8 : 0;
      pending_indent = col;
      line_start = false;
      continue;
    }
    char c = src[i];
    if (c == '\n') {
      ++line;
      ++i;
      if (depth > 0 && looks_like_statement(src.substr(i))) {
        // Recovery: an unclosed '(' would otherwise swallow the rest of the file, so a following line
        // that reads as a new statement ends the broken one (keyword arguments are not in the grammar,
        // so a genuine continuation line never looks like `name = ...`).
        cur.tokens.push_back(Token{Tok::Error, "'(' was never closed", open_line});
        depth = 0;
      }
      if (depth == 0) {
        flush();
        line_start = true;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < n && src[i] != '\n') ++i;
      continue;
    }
    if (c == '\\') {
      std::size_t j = i + 1;
      if (j < n && src[j] == '\r') ++j;
      if (j < n && src[j] == '\n') {  // explicit line joining
        i = j + 1;
        ++line;
        continue;
      }
      fail("unexpected character '\\'");
      continue;
    }
    if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < n && is_ident_char(src[j])) ++j;
      std::string word(src.substr(i, j - i));
      if (j < n && (src[j] == '"' || src[j] == '\'') && word.size() <= 2) {
        fail("string prefixes are not supported");
        continue;
      }
      add(Tok::Name, std::move(word), line);
      i = j;
      continue;
    }
    if (is_digit(c)) {
      std::size_t j = i;
      while (j < n && (is_ident_char(src[j]) || src[j] == '.')) ++j;
      std::string digits(src.substr(i, j - i));
      if (!std::all_of(digits.begin(), digits.end(), is_digit)) {
        fail("unsupported number literal '" + digits + "'");
        continue;
      }
      if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos) {
        fail("leading zeros in decimal integer literals are not permitted");
        continue;
      }
      add(Tok::Int, std::move(digits), line);
      i = j;
      continue;
    }
    if (c == '"' || c == '\'') {
      const int start_line = line;
      const bool triple = src.substr(i, 3) == std::string(3, c);
      std::size_t j = i + (triple ? 3 : 1);
      std::string value, problem;
      bool closed = false;
      while (j < n) {
        char d = src[j];
        if (triple && src.substr(j, 3) == std::string(3, c)) {
          j += 3;
          closed = true;
          break;
        }
        if (!triple && d == c) {
          ++j;
          closed = true;
          break;
        }
        if (d == '\n') {
          if (!triple) break;
          ++line;
        }
        if (d == '\r' && j + 1 < n && src[j + 1] == '\n') {  // universal newlines, as Python reads files
          ++j;
          continue;
        }
        if (d == '\\' && problem.empty()) problem = "escape sequences in strings are not supported";
        if (static_cast<unsigned char>(d) < 0x20 && d != '\n' && d != '\t' && problem.empty())
          problem = "control characters in strings are not supported";
        value.push_back(d);
        ++j;
      }
      if (!closed) {
        // Report where the string began, then resume after it (or at the end of its line).
        i = j;
        add(Tok::Error, "unterminated string literal", start_line);
        continue;
      }
      i = j;
      if (!problem.empty())
        add(Tok::Error, problem, start_line);
      else
        add(Tok::String, std::move(value), start_line);
      continue;
    }
    if (c == '(') {
      if (depth++ == 0) open_line = line;
      add(Tok::Op, "(", line);
      ++i;
      continue;
    }
    if (c == ')') {
      if (depth == 0) {
        fail("unmatched ')'");
        continue;
      }
      --depth;
      add(Tok::Op, ")", line);
      ++i;
      continue;
    }
    // '.' and '*' only occur in import lines, which are skipped; anywhere else the parser rejects them.
    if (c == ',' || c == ':' || c == '-' || c == '=' || c == '.' || c == '*') {
      if (c == '=' && i + 1 < n && src[i + 1] == '=') {
        fail("unexpected operator '=='");
        continue;
      }
      add(Tok::Op, std::string(1, c), line);
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      fail("non-ASCII character outside a string");
      continue;
    }
    fail(std::string("unexpected character '") + c + "'");
  }
  if (depth > 0) {
    cur.tokens.push_back(Token{Tok::Error, "'(' was never closed", open_line});
  }
  flush();
  return lines;
}

// A problem inside one function: the function is reported and skipped.
struct Failure {
  int line;
  std::string message;
};

[[noreturn]] void fail_at(int line, std::string message) { throw Failure{line, std::move(message)}; }

std::string describe(const Token& t) {
  switch (t.type) {
    case Tok::String:
      return "a string";
    case Tok::Int:
    case Tok::Name:
    case Tok::Op:
      return "'" + t.text + "'";
    case Tok::Error:
      return t.text;
  }
  return "?";
}

// Recursive descent over one logical line: expr := INT | '-' INT | NAME ('(' [expr (',' expr)* [',']] ')')*
class LineParser {
 public:
  explicit LineParser(const LogicalLine& l) : line_(l) {}

  bool at_end() const { return pos_ >= line_.tokens.size(); }
  const Token& peek() const { return line_.tokens[pos_]; }
  bool peek_op(std::string_view op) const { return !at_end() && peek().type == Tok::Op && peek().text == op; }
  int current_line() const { return at_end() ? line_.tokens.back().line : peek().line; }
  void skip() { ++pos_; }

  [[noreturn]] void syntax(const std::string& what) const {
    fail_at(current_line(), "syntax error: " + what);
  }

  void expect_op(std::string_view op) {
    if (!peek_op(op))
      syntax("expected '" + std::string(op) + "' but " + (at_end() ? "the line ends" : "found " + describe(peek())));
    ++pos_;
  }

  std::string expect_name(const std::string& role) {
    if (at_end() || peek().type != Tok::Name)
      syntax("expected " + role + " but " + (at_end() ? "the line ends" : "found " + describe(peek())));
    if (is_keyword(peek().text)) syntax("'" + peek().text + "' is a keyword and cannot be " + role);
    return line_.tokens[pos_++].text;
  }

  void expect_end() {
    if (!at_end()) syntax("unexpected " + describe(peek()) + " after the expression");
  }

  Expr expression(int depth = 0) {
    if (depth > kMaxNesting) syntax("expression nested too deeply");
    if (at_end()) syntax("expected an expression but the line ends");
    const Token& t = peek();
    if (t.type == Tok::Op && t.text == "-") {
      ++pos_;
      if (at_end() || peek().type != Tok::Int) syntax("unary minus is only supported before an integer literal");
      Expr e = integer(line_.tokens[pos_++].text, true);
      if (peek_op("(")) syntax("an integer literal cannot be called");
      return e;
    }
    if (t.type == Tok::Int) {
      Expr e = integer(line_.tokens[pos_++].text, false);
      if (peek_op("(")) syntax("an integer literal cannot be called");
      return e;
    }
    if (t.type == Tok::Name) {
      if (is_keyword(t.text) && t.text != "True" && t.text != "False" && t.text != "None")
        syntax("unexpected keyword '" + t.text + "'");
      Expr e = Expr::name(line_.tokens[pos_++].text);
      for (bool first = true; peek_op("("); first = false) {
        // a call of a call nests as deeply as a call in an argument: f(a)(b) is one level more
        if (!first && ++depth > kMaxNesting) syntax("expression nested too deeply");
        ++pos_;
        std::vector<Expr> args;
        while (!peek_op(")")) {
          args.push_back(expression(depth + 1));
          if (peek_op(",")) {
            ++pos_;
            continue;
          }
          if (!peek_op(")"))
            syntax("expected ',' or ')' but " +
                   (at_end() ? std::string("the line ends") : "found " + describe(peek())));
        }
        ++pos_;
        e = Expr::call(std::move(e), std::move(args));
      }
      return e;
    }
    if (t.type == Tok::Op && t.text == "(")
      syntax("tuple literals and parentheses are not part of the solver format: use astuple(a, b) or a "
             "constant such as UNITY");
    syntax("expected an expression but found " + describe(t));
  }

 private:
  Expr integer(const std::string& digits, bool negative) const {
    std::size_t first = digits.find_first_not_of('0');
    std::string magnitude = first == std::string::npos ? "0" : digits.substr(first);
    // 2^63 fits only as a negative number.
    static const std::string kMaxPositive = std::to_string(std::numeric_limits<std::int64_t>::max());
    bool too_big = magnitude.size() > kMaxPositive.size() ||
                   (magnitude.size() == kMaxPositive.size() && magnitude > kMaxPositive);
    if (too_big && !(negative && magnitude == "9223372036854775808"))
      syntax("integer literal " + std::string(negative ? "-" : "") + magnitude + " is out of range");
    Expr e;
    e.kind = ExprKind::Int;
    e.text = (negative ? "-" : "") + magnitude;  // "-0" stays "-0", as Python prints it
    if (negative && magnitude == "9223372036854775808")
      e.value = std::numeric_limits<std::int64_t>::min();
    else
      e.value = negative ? -std::stoll(magnitude) : std::stoll(magnitude);
    return e;
  }

  const LogicalLine& line_;
  std::size_t pos_ = 0;
};

const Token* first_error(const LogicalLine& l) {
  for (const auto& t : l.tokens)
    if (t.type == Tok::Error) return &t;
  return nullptr;
}

bool starts_with_name(const LogicalLine& l, std::string_view word) {
  return !l.tokens.empty() && l.tokens[0].type == Tok::Name && l.tokens[0].text == word;
}

// What marks a file as one dialect's: the first line that does, and how.
struct Evidence {
  int line = 0;
  std::string what;
  explicit operator bool() const { return line > 0; }
};

bool is_sic_signature(const LogicalLine& header) {
  // def NAME ( S , I , C ) :
  const auto& t = header.tokens;
  if (t.size() != 10) return false;
  const char* expected[] = {"(", "S", ",", "I", ",", "C", ")", ":"};
  for (int k = 0; k < 8; ++k)
    if (t[k + 2].text != expected[k]) return false;
  return true;
}

// Parses functions out of files and keeps the program names seen so far across files.
class Loader {
 public:
  Loader(const Vocabularies& vocabularies, const ParseOptions& options)
      : vocabularies_(vocabularies), options_(options) {}

  void load(std::string_view source, const std::string& file) {
    std::vector<LogicalLine> lines = lex(source);
    FileDialect fd{file, Dialect::ArcDsl, ""};
    if (options_.dialect) {
      fd.dialect = *options_.dialect;
      fd.reason = "--dialect";
    } else if (!detect(lines, file, fd)) {
      return;
    }
    result_.files.push_back(fd);
    vocabulary_ = &vocabularies_.of(fd.dialect);
    dialect_ = fd.dialect;
    std::size_t i = 0;
    while (i < lines.size()) {
      const LogicalLine& l = lines[i];
      if (l.indent > 0) {
        // Indented code outside any function: report once for the whole block.
        error(file, l.line, "", "syntax error: unexpected indent");
        while (i < lines.size() && lines[i].indent > 0) ++i;
        continue;
      }
      if (starts_with_name(l, "def")) {
        std::size_t j = i + 1;
        while (j < lines.size() && lines[j].indent > 0) ++j;
        function(file, lines, i, j);
        i = j;
        continue;
      }
      // Import lines are skipped whole: their dotted names and '*' are not part of the grammar.
      if (starts_with_name(l, "import") || starts_with_name(l, "from")) {
        ++i;
        continue;
      }
      if (const Token* bad = first_error(l))
        error(file, bad->line, "", "syntax error: " + bad->text);
      else
        error(file, l.line, "", "syntax error: expected a function definition or an import");
      ++i;
    }
  }

  ParseResult result() { return std::move(result_); }

 private:
  // Decides a file's dialect from its signatures and the names its functions use; false (with the
  // file reported) when it mixes names only one dialect has with names only the other has.
  bool detect(const std::vector<LogicalLine>& lines, const std::string& file, FileDialect& fd) {
    const Vocabulary& arc = vocabularies_.of(Dialect::ArcDsl);
    const Vocabulary& tok = vocabularies_.of(Dialect::Tokpidjin);
    const auto knows = [](const Vocabulary& v, const std::string& name) { return v.is_primitive(name) || v.is_constant(name); };
    Evidence tok_signature, tok_name, arc_name;
    for (const LogicalLine& l : lines) {
      if (l.indent == 0) {
        if (!tok_signature && starts_with_name(l, "def") && is_sic_signature(l))
          tok_signature = {l.line, "the (S, I, C) signature"};
        continue;
      }
      if (&arc == &tok) continue;  // one vocabulary: only signatures tell
      for (const Token& t : l.tokens) {
        if (t.type != Tok::Name || (tok_name && arc_name)) continue;
        if (!tok_name && knows(tok, t.text) && !knows(arc, t.text)) tok_name = {t.line, "'" + t.text + "'"};
        if (!arc_name && knows(arc, t.text) && !knows(tok, t.text)) arc_name = {t.line, "'" + t.text + "'"};
      }
    }
    const Evidence& tok_first = tok_signature && (!tok_name || tok_signature.line <= tok_name.line) ? tok_signature : tok_name;
    if (tok_first && arc_name) {
      error(file, arc_name.line, "",
            "mixes the two dialects: " + arc_name.what + " at line " + std::to_string(arc_name.line) +
                " is arc-dsl's only, while " + tok_first.what + " at line " + std::to_string(tok_first.line) +
                " is tokpidjin's; the file is skipped (choose one with --dialect)");
      return false;
    }
    if (tok_first) {
      fd.dialect = Dialect::Tokpidjin;
      fd.reason = tok_first.what + " at line " + std::to_string(tok_first.line) +
                  (&tok_first == &tok_name ? ", a tokpidjin name" : "");
    } else {
      fd.dialect = Dialect::ArcDsl;
      fd.reason = "no tokpidjin signature or name";
    }
    return true;
  }

  void error(const std::string& file, int line, const std::string& function, std::string message) {
    result_.errors.push_back(ParseError{file, line, function, std::move(message)});
  }

  // Parses the `def` at lines[begin] with body lines[begin + 1, end).
  void function(const std::string& file, const std::vector<LogicalLine>& lines, std::size_t begin, std::size_t end) {
    const LogicalLine& header = lines[begin];
    Program program;
    program.file = file;
    program.line = header.line;
    program.dialect = dialect_;
    // Name the function in errors even when its header is broken.
    if (header.tokens.size() > 1 && header.tokens[1].type == Tok::Name) program.name = header.tokens[1].text;
    try {
      if (const Token* bad = first_error(header)) fail_at(bad->line, "syntax error: " + bad->text);
      LineParser p(header);
      p.skip();  // def
      program.name = p.expect_name("a function name");
      program.function = program.name;
      const std::string here = file + ":" + std::to_string(header.line);
      if (!in_file_.emplace(program.function, here).second) {
        error(file, header.line, program.name,
              "function '" + program.function + "' already defined at " + in_file_.at(program.function));
        return;
      }
      // tokpidjin's library files each define `solve`: the file names the program.
      if (program.function == "solve") program.name = std::filesystem::path(file).stem().string();
      auto previous = defined_.find(program.name);
      if (previous != defined_.end()) {
        error(file, header.line, program.name,
              program.name == program.function
                  ? "function '" + program.name + "' already defined at " + previous->second
                  : "program '" + program.name + "' (its file's name) already loaded from " + previous->second);
        return;
      }
      defined_.emplace(program.name, here);
      p.expect_op("(");
      while (!p.peek_op(")")) {
        std::string param = p.expect_name("a parameter name");
        if (std::find(program.params.begin(), program.params.end(), param) != program.params.end())
          fail_at(header.line, "duplicate parameter '" + param + "'");
        program.params.push_back(std::move(param));
        if (p.peek_op(",")) {
          p.skip();
          continue;
        }
        if (!p.peek_op(")")) p.expect_op(")");
      }
      p.skip();  // )
      p.expect_op(":");
      if (!p.at_end()) p.syntax("a one-line function body is not supported");
      if (begin + 1 == end) fail_at(header.line, "syntax error: expected an indented block after 'def'");
      statements(program, lines, begin + 1, end);
      resolve(program);
    } catch (const Failure& f) {
      error(file, f.line, program.name, f.message);
      return;
    }
    result_.programs.push_back(std::move(program));
  }

  void statements(Program& program, const std::vector<LogicalLine>& lines, std::size_t begin, std::size_t end) {
    const int indent = lines[begin].indent;
    bool returned = false;
    for (std::size_t k = begin; k < end; ++k) {
      const LogicalLine& l = lines[k];
      if (const Token* bad = first_error(l)) fail_at(bad->line, "syntax error: " + bad->text);
      if (l.indent != indent) fail_at(l.line, "syntax error: inconsistent indentation");
      if (returned) fail_at(l.line, "syntax error: statement after 'return'");
      LineParser p(l);
      if (k == begin && l.tokens.size() == 1 && l.tokens[0].type == Tok::String) {
        program.docstring = l.tokens[0].text;
        continue;
      }
      if (starts_with_name(l, "return")) {
        p.skip();
        program.result = p.expression();
        p.expect_end();
        program.result_line = l.line;
        returned = true;
        continue;
      }
      if (l.tokens.size() >= 2 && l.tokens[0].type == Tok::Name && l.tokens[1].type == Tok::Op &&
          l.tokens[1].text == "=") {
        Assignment a;
        a.target = p.expect_name("an assignment target");
        p.skip();  // =
        a.value = p.expression();
        p.expect_end();
        a.line = l.line;
        program.body.push_back(std::move(a));
        continue;
      }
      fail_at(l.line, "syntax error: expected 'name = expression' or 'return expression'");
    }
    if (!returned) fail_at(lines[begin - 1].line, "function has no return statement");
  }

  // Second pass: classify every name and check arities, in statement order.
  void resolve(Program& program) {
    std::unordered_map<std::string, int> first_assignment;
    for (const auto& a : program.body) first_assignment.emplace(a.target, a.line);
    std::unordered_set<std::string> assigned;
    const std::unordered_set<std::string> params(program.params.begin(), program.params.end());

    auto resolve_expr = [&](auto& self, Expr& e, int line) -> void {
      if (e.kind == ExprKind::Int) return;
      if (e.kind == ExprKind::Call) {
        for (auto& child : e.children) self(self, child, line);
        const Expr& callee = e.callee();
        if (callee.kind == ExprKind::Name && callee.name_kind == NameKind::Primitive) {
          const auto arity = vocabulary_->call_arity(callee.text);
          const int given = static_cast<int>(e.arg_count());
          if (arity && (given < arity->first || given > arity->second)) {
            const std::string count = arity->first == arity->second
                                          ? std::to_string(arity->second)
                                          : std::to_string(arity->first) + " to " + std::to_string(arity->second);
            fail_at(line, "primitive '" + callee.text + "' takes " + count + " argument" +
                              (arity->second == 1 ? "" : "s") + " but is given " + std::to_string(given));
          }
        }
        return;
      }
      // Python semantics: a name assigned anywhere in the function is local to it.
      if (assigned.count(e.text)) {
        e.name_kind = NameKind::Variable;
      } else if (params.count(e.text)) {
        e.name_kind = NameKind::Param;
      } else if (first_assignment.count(e.text)) {
        fail_at(line, "variable '" + e.text + "' used before assignment (assigned at line " +
                          std::to_string(first_assignment.at(e.text)) + ")");
      } else if (e.text == "True" || e.text == "False" || e.text == "None" || vocabulary_->is_constant(e.text)) {
        e.name_kind = NameKind::Constant;
      } else if (vocabulary_->is_primitive(e.text)) {
        e.name_kind = NameKind::Primitive;
      } else {
        fail_at(line, "unknown name '" + e.text + "'");
      }
    };

    for (auto& a : program.body) {
      resolve_expr(resolve_expr, a.value, a.line);
      if (params.count(a.target)) fail_at(a.line, "assignment to parameter '" + a.target + "'");
      if (assigned.count(a.target))
        fail_at(a.line, "variable '" + a.target + "' assigned twice (first at line " +
                            std::to_string(first_assignment.at(a.target)) + ")");
      assigned.insert(a.target);
    }
    resolve_expr(resolve_expr, program.result, program.result_line);
  }

  const Vocabularies& vocabularies_;
  const ParseOptions& options_;
  const Vocabulary* vocabulary_ = nullptr;  // the current file's
  Dialect dialect_ = Dialect::ArcDsl;
  ParseResult result_;
  std::unordered_map<std::string, std::string> defined_;  // program name -> "file:line"
  std::unordered_map<std::string, std::string> in_file_;  // the current file's function names -> "file:line"

 public:
  void start_file() { in_file_.clear(); }
  // A problem with a whole file (not readable, not a file at all): one error, the rest loads.
  void file_error(const std::string& file, std::string message) { error(file, 0, {}, std::move(message)); }
};

}  // namespace

ParseResult parse_source(std::string_view source, const std::string& file, const Vocabularies& vocabularies,
                         const ParseOptions& options) {
  Loader loader(vocabularies, options);
  loader.start_file();
  loader.load(source, file);
  return loader.result();
}

ParseResult parse_source(std::string_view source, const std::string& file, const Vocabulary& vocabulary) {
  const Vocabularies both{&vocabulary, &vocabulary};
  return parse_source(source, file, both);
}

ParseResult parse_paths(const std::vector<std::filesystem::path>& paths, const Vocabularies& vocabularies,
                        const ParseOptions& options) {
  namespace fs = std::filesystem;
  Loader loader(vocabularies, options);
  std::unordered_set<std::string> seen;  // canonical targets already read
  for (const fs::path& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec) && !fs::is_symlink(fs::symlink_status(path, ec)))
      throw std::runtime_error(printable(path.string()) + ": no such file or directory");
    std::vector<fs::path> files;
    if (fs::is_directory(path, ec)) {
      // Sorted by path text, so the program order never depends on the file system; an entry named
      // *.py that is no readable file (a symlink loop, a FIFO) is one error and the rest loads.
      FolderListing listing = list_input_files(path, ".py", true);
      for (const auto& problem : listing.problems) loader.file_error(problem.path.string(), problem.reason);
      files = std::move(listing.files);
    } else {
      files.push_back(path);
    }
    for (const fs::path& f : files) {
      // A solver_dir/ link is read at its target (solver_md5/<md5>.py), each target once.
      const fs::path target = fs::is_symlink(f, ec) ? fs::weakly_canonical(f, ec) : f;
      const std::string key = fs::weakly_canonical(target, ec).string();
      if (!seen.insert(key.empty() ? target.string() : key).second) continue;
      std::string text;
      try {
        text = read_input_file(target);
      } catch (const InputFileError& e) {
        loader.file_error(target.string(), e.what());
        continue;
      }
      loader.start_file();
      loader.load(text, target.string());
    }
  }
  return loader.result();
}

ParseResult parse_path(const std::filesystem::path& path, const Vocabulary& vocabulary) {
  const Vocabularies both{&vocabulary, &vocabulary};
  return parse_paths({path}, both);
}

}  // namespace megabatch::program
