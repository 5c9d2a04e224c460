// Recursive-descent parser for eval expressions (see expression.hpp).
#include "engine/expression.hpp"

#include <cctype>
#include <charconv>

namespace megabatch {

namespace {

// CPython's parser refuses more than 200 nested parentheses; a call of a call counts as one level
// more too. Past this an expression is refused, so nothing that walks an Expr recurses deeper.
constexpr int kMaxNesting = 200;

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Expr parse_all() {
    Expr e = parse_expr();
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ExprSyntaxError("syntax error at column " + std::to_string(pos_ + 1) + ": " + what);
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) fail(std::string("expected '") + c + "'");
  }

  // Comma-separated items up to `close`; returns whether a trailing/any comma was seen.
  bool parse_items(char close, std::vector<Expr>& out, int depth) {
    bool comma = false;
    skip();
    if (eat(close)) return false;
    while (true) {
      out.push_back(parse_expr(depth));
      if (eat(',')) {
        comma = true;
        skip();
        if (eat(close)) return comma;
        continue;
      }
      expect(close);
      return comma;
    }
  }

  Expr parse_expr(int depth = 0) {
    if (depth > kMaxNesting) fail("expression nested too deeply");
    Expr e = parse_atom(depth);
    for (bool first = true; eat('('); first = false) {  // calls, including calls of call results
      if (!first && ++depth > kMaxNesting) fail("expression nested too deeply");
      Expr call;
      call.kind = Expr::Kind::Call;
      call.children.push_back(std::move(e));
      std::vector<Expr> args;
      parse_items(')', args, depth + 1);
      for (auto& a : args) call.children.push_back(std::move(a));
      e = std::move(call);
    }
    return e;
  }

  Expr parse_atom(int depth) {
    skip();
    if (pos_ >= s_.size()) fail("unexpected end of expression");
    char c = s_[pos_];
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t start = pos_;
      if (c == '-') ++pos_;
      skip();
      std::size_t digits = pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
      if (digits == pos_) fail("expected a number");
      std::string text(s_.substr(digits, pos_ - digits));
      if (s_[start] == '-') text.insert(text.begin(), '-');
      Expr e;
      e.kind = Expr::Kind::Int;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), e.value);
      if (ec != std::errc()) fail("integer out of range: " + text);
      return e;
    }
    if (c == '(') {
      ++pos_;
      std::vector<Expr> items;
      bool comma = parse_items(')', items, depth + 1);
      if (items.size() == 1 && !comma) return std::move(items[0]);  // parenthesised expression
      Expr t;
      t.kind = Expr::Kind::Tuple;
      t.children = std::move(items);
      return t;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      if (name == "True" || name == "False") {
        Expr e;
        e.kind = Expr::Kind::Bool;
        e.value = name == "True";
        return e;
      }
      if (name == "None") {
        Expr e;
        e.kind = Expr::Kind::None;
        return e;
      }
      if (name == "frozenset") return parse_frozenset(depth);
      if (name == "lambda") fail("lambda expressions are not supported");
      Expr e;
      e.kind = Expr::Kind::Name;
      e.name = std::move(name);
      return e;
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }

  // frozenset(), frozenset({a, b}), frozenset((a, b)), frozenset([a, b])
  Expr parse_frozenset(int depth) {
    Expr s;
    s.kind = Expr::Kind::FrozenSet;
    expect('(');
    if (eat(')')) return s;
    if (eat('{')) parse_items('}', s.children, depth + 2);
    else if (eat('[')) parse_items(']', s.children, depth + 2);
    else if (eat('(')) parse_items(')', s.children, depth + 2);
    else fail("frozenset() takes a {...}, (...) or [...] literal");
    expect(')');
    return s;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Expr parse_expression(std::string_view text) { return Parser(text).parse_all(); }

}  // namespace megabatch
