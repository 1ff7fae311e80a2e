#include "engine/tokenizer/regex.h"

#include "engine/tokenizer/unicode.h"
#include "engine/util/error.h"

#include <algorithm>
#include <limits>

namespace blyan::engine::regex {

namespace {

constexpr uint32_t kInfinite = std::numeric_limits<uint32_t>::max();
constexpr std::size_t kMaxProgramSize = 100000;  // bounds {n,m} expansion

using unicode::Category;

// A set of code points: explicit ranges plus whole general categories.
struct CharSet {
    std::vector<std::pair<char32_t, char32_t>> ranges;
    uint32_t categories = 0;  // bit i: Category(i)

    bool contains(char32_t c) const
    {
        if (categories && ((categories >> static_cast<unsigned>(unicode::category(c))) & 1u)) return true;
        for (const auto &r : ranges)
            if (c >= r.first && c <= r.second) return true;
        return false;
    }
};

// A bracket class or escape: a union of sets, some of them complemented (\S inside [..]), optionally
// negated as a whole and case-insensitive. ASCII answers are precomputed.
struct Class {
    std::vector<CharSet> sets;
    std::vector<bool> complemented;
    bool negated = false;
    bool caseInsensitive = false;
    uint64_t ascii[2] = {0, 0};

    bool rawTest(char32_t c) const
    {
        for (std::size_t i = 0; i < sets.size(); ++i)
            if (sets[i].contains(c) != complemented[i]) return true;
        return false;
    }
    bool slowTest(char32_t c) const
    {
        bool in = rawTest(c);
        if (!in && caseInsensitive) {
            const char32_t f = unicode::simpleFold(c);
            in = rawTest(f);
            for (char32_t v : unicode::foldsTo(f))
                if (!in) in = rawTest(v);
        }
        return in != negated;
    }
    void finish()
    {
        for (char32_t c = 0; c < 128; ++c)
            if (slowTest(c)) ascii[c >> 6] |= uint64_t{1} << (c & 63);
    }
    bool test(char32_t c) const { return c < 128 ? ((ascii[c >> 6] >> (c & 63)) & 1u) != 0 : slowTest(c); }
};

// ---- Syntax tree --------------------------------------------------------------------------------------

struct Node {
    enum Kind { Char, ClassRef, Any, Concat, Alt, Repeat, Look } kind;
    explicit Node(Kind k) : kind(k) {}
    char32_t ch = 0;
    uint32_t classIndex = 0;
    std::vector<Node> children;
    uint32_t min = 0, max = 0;
    bool greedy = true;
    bool negate = false;

    bool nullable() const
    {
        switch (kind) {
        case Char: case ClassRef: case Any: return false;
        case Look: return true;
        case Repeat: return min == 0 || children[0].nullable();
        case Concat: return std::all_of(children.begin(), children.end(), [](const Node &n) { return n.nullable(); });
        case Alt: return std::any_of(children.begin(), children.end(), [](const Node &n) { return n.nullable(); });
        }
        return false;
    }
};

class Parser {
public:
    Parser(std::string_view pattern, std::vector<Class> &classes) : p_(unicode::decodeUtf8(pattern)), classes_(classes) {}

    Node parseAll()
    {
        bool ci = false;
        Node n = parseAlt(ci);
        if (i_ < p_.size()) fail("unbalanced ')'");
        return n;
    }

private:
    std::u32string p_;
    std::size_t i_ = 0;
    std::vector<Class> &classes_;

    [[noreturn]] void unsupported(const std::string &what) const
    {
        throw EngineError("unsupported regex construct " + what + " at offset " + std::to_string(i_));
    }
    [[noreturn]] void fail(const std::string &what) const
    {
        throw EngineError("invalid regex: " + what + " at offset " + std::to_string(i_));
    }
    bool more() const { return i_ < p_.size(); }
    char32_t peek(std::size_t k = 0) const { return i_ + k < p_.size() ? p_[i_ + k] : 0; }
    bool eat(char32_t c)
    {
        if (peek() != c || !more()) return false;
        ++i_;
        return true;
    }

    // `ci` is the case-insensitivity in force; (?i) switches it on for the rest of the enclosing group.
    Node parseAlt(bool &ci)
    {
        Node alt(Node::Alt);
        alt.children.push_back(parseConcat(ci));
        while (eat('|')) alt.children.push_back(parseConcat(ci));
        return alt.children.size() == 1 ? std::move(alt.children[0]) : std::move(alt);
    }

    Node parseConcat(bool &ci)
    {
        Node seq(Node::Concat);
        while (more() && peek() != '|' && peek() != ')') {
            if (peek() == '(' && peek(1) == '?' && peek(2) == 'i' && peek(3) == ')') {
                i_ += 4;
                ci = true;
                continue;
            }
            Node atom = parseAtom(ci);
            seq.children.push_back(parseQuantifier(std::move(atom)));
        }
        return seq.children.size() == 1 ? std::move(seq.children[0]) : std::move(seq);
    }

    bool readNumber(uint32_t &out)
    {
        const std::size_t start = i_;
        uint64_t v = 0;
        while (peek() >= '0' && peek() <= '9' && more()) {
            v = v * 10 + (peek() - '0');
            if (v > 100000) fail("repetition count too large");
            ++i_;
        }
        out = static_cast<uint32_t>(v);
        return i_ > start;
    }

    // {n} {n,} {n,m} and Ruby syntax's {,m} (= {0,m}); Oniguruma reads a '{' that does not start a valid
    // interval as a literal.
    bool parseInterval(uint32_t &min, uint32_t &max)
    {
        const std::size_t save = i_;
        ++i_;  // '{'
        if (peek() == ',' && more()) {
            ++i_;
            min = 0;
            if (readNumber(max) && eat('}')) return true;
        } else if (readNumber(min)) {
            max = min;
            if (eat(',')) {
                if (!readNumber(max)) max = kInfinite;
            }
            if (eat('}')) {
                if (max < min) fail("interval {n,m} with m < n");
                return true;
            }
        }
        i_ = save;
        return false;
    }

    Node parseQuantifier(Node atom)
    {
        uint32_t min = 0, max = 0;
        const char32_t q = peek();
        if (!more()) return atom;
        if (q == '?') { min = 0; max = 1; ++i_; }
        else if (q == '*') { min = 0; max = kInfinite; ++i_; }
        else if (q == '+') { min = 1; max = kInfinite; ++i_; }
        else if (q == '{' && parseInterval(min, max)) {}
        else return atom;
        bool greedy = true;
        if (eat('?')) greedy = false;
        else if (peek() == '+' && more()) unsupported("possessive quantifier '+'");
        if (more() && (peek() == '*' || peek() == '?' || peek() == '+')) unsupported("stacked quantifiers");
        if (atom.kind == Node::Look) unsupported("quantified lookahead");
        if (max == kInfinite && atom.nullable()) unsupported("unbounded repetition of an expression that can match empty");
        Node r(Node::Repeat);
        r.min = min;
        r.max = max;
        r.greedy = greedy;
        r.children.push_back(std::move(atom));
        return r;
    }

    Node parseGroup(bool ci)
    {
        // At '(' .
        ++i_;
        Node look(Node::Look);
        bool isLook = false;
        bool inner = ci;
        if (eat('?')) {
            if (eat(':')) {
            } else if (peek() == 'i' && peek(1) == ':') {
                i_ += 2;
                inner = true;
            } else if (peek() == '-' && peek(1) == 'i' && peek(2) == ':') {
                i_ += 3;
                inner = false;
            } else if (eat('=')) {
                isLook = true;
            } else if (eat('!')) {
                isLook = true;
                look.negate = true;
            } else if (peek() == '<' && (peek(1) == '=' || peek(1) == '!')) {
                unsupported("lookbehind");
            } else if (peek() == '>') {
                unsupported("atomic group (?>");
            } else {
                unsupported("group option '(?" + std::string(1, static_cast<char>(peek() < 128 ? peek() : '?')) + "'");
            }
        }
        Node body = parseAlt(inner);
        if (!eat(')')) fail("missing ')'");
        if (!isLook) return body;
        look.children.push_back(std::move(body));
        return look;
    }

    uint32_t addClass(Class c)
    {
        c.finish();
        classes_.push_back(std::move(c));
        return static_cast<uint32_t>(classes_.size() - 1);
    }

    Node classNode(Class c)
    {
        Node n(Node::ClassRef);
        n.classIndex = addClass(std::move(c));
        return n;
    }

    Node literal(char32_t c, bool ci)
    {
        if (ci && (unicode::simpleFold(c) != c || !unicode::foldsTo(unicode::simpleFold(c)).empty())) {
            Class k;
            k.sets.push_back(CharSet{{{c, c}}, 0});
            k.complemented.push_back(false);
            k.caseInsensitive = true;
            return classNode(std::move(k));
        }
        Node n(Node::Char);
        n.ch = c;
        return n;
    }

    Node parseAtom(bool ci)
    {
        const char32_t c = peek();
        switch (c) {
        case '(':
            return parseGroup(ci);
        case '[':
            return classNode(parseBracket(ci));
        case '.': {
            ++i_;
            return Node(Node::Any);
        }
        case '^': unsupported("anchor '^'");
        case '$': unsupported("anchor '$'");
        case '*': case '+': case '?': fail("quantifier without anything to repeat");
        case '\\': {
            ++i_;
            CharSet set;
            bool complement = false;
            char32_t ch = 0;
            if (parseEscape(set, complement, ch, false)) {
                Class k;
                k.sets.push_back(std::move(set));
                k.complemented.push_back(complement);
                k.caseInsensitive = ci;
                return classNode(std::move(k));
            }
            return literal(ch, ci);
        }
        default:
            ++i_;
            return literal(c, ci);
        }
    }

    static uint32_t categoryBits(std::initializer_list<Category> cats)
    {
        uint32_t b = 0;
        for (Category c : cats) b |= 1u << static_cast<unsigned>(c);
        return b;
    }

    // \p{Name}: the general categories and their one-letter groups.
    uint32_t propertyBits(const std::string &name)
    {
        static const char *names[] = {"Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps",
                                      "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};
        for (unsigned k = 0; k < static_cast<unsigned>(Category::Count); ++k)
            if (name == names[k]) return 1u << k;
        if (name.size() == 1) {
            uint32_t b = 0;
            for (unsigned k = 0; k < static_cast<unsigned>(Category::Count); ++k)
                if (names[k][0] == name[0]) b |= 1u << k;
            if (b) return b;
        }
        if (name == "L&" || name == "LC") return categoryBits({Category::Lu, Category::Ll, Category::Lt});
        unsupported("property \\p{" + name + "} (only general categories are supported)");
    }

    static void whitespace(CharSet &s)
    {
        s.ranges = {{0x09, 0x0D}, {0x85, 0x85}};
        s.categories = categoryBits({Category::Zs, Category::Zl, Category::Zp});
    }

    uint32_t readHex(std::size_t maxDigits, bool braced)
    {
        uint32_t v = 0;
        std::size_t n = 0;
        while (n < maxDigits && more()) {
            const char32_t h = peek();
            int d = (h >= '0' && h <= '9') ? int(h - '0') : (h >= 'a' && h <= 'f') ? int(h - 'a' + 10) : (h >= 'A' && h <= 'F') ? int(h - 'A' + 10) : -1;
            if (d < 0) break;
            v = v * 16 + static_cast<uint32_t>(d);
            ++i_;
            ++n;
        }
        if (n == 0 || (braced && !eat('}')) || v > 0x10FFFF) fail("bad hexadecimal escape");
        return v;
    }

    // After a backslash. Returns true for a set escape (\s, \p{..}, ...), false for a single character.
    bool parseEscape(CharSet &set, bool &complement, char32_t &ch, bool inClass)
    {
        if (!more()) fail("pattern ends with a backslash");
        const char32_t e = p_[i_++];
        switch (e) {
        case 's': whitespace(set); return true;
        case 'S': whitespace(set); complement = true; return true;
        case 'd': set.categories = categoryBits({Category::Nd}); return true;
        case 'D': set.categories = categoryBits({Category::Nd}); complement = true; return true;
        case 'w':
        case 'W':
            // Oniguruma's Unicode \w: letters, marks, decimal digits, connector punctuation.
            set.categories = categoryBits({Category::Lu, Category::Ll, Category::Lt, Category::Lm, Category::Lo, Category::Mn,
                                           Category::Mc, Category::Me, Category::Nd, Category::Pc});
            complement = e == 'W';
            return true;
        case 'p':
        case 'P': {
            if (!eat('{')) fail("\\p without {name}");
            bool neg = e == 'P';
            if (eat('^')) neg = !neg;
            std::string name;
            while (more() && peek() != '}') name.push_back(static_cast<char>(p_[i_++] & 0x7F));
            if (!eat('}')) fail("unterminated \\p{");
            set.categories = propertyBits(name);
            complement = neg;
            return true;
        }
        case 't': ch = '\t'; return false;
        case 'n': ch = '\n'; return false;
        case 'r': ch = '\r'; return false;
        case 'f': ch = '\f'; return false;
        case 'v': ch = '\v'; return false;
        case 'a': ch = 0x07; return false;
        case 'e': ch = 0x1B; return false;
        case 'x':
            ch = eat('{') ? readHex(8, true) : readHex(2, false);
            return false;
        case 'u': ch = readHex(4, false); return false;
        default: break;
        }
        if (e < 128 && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z'))) {
            ch = e;  // escaped punctuation or space
            return false;
        }
        --i_;
        unsupported(std::string(inClass ? "escape in class '\\" : "escape '\\") + static_cast<char>(e < 128 ? e : '?') + "'");
    }

    Class parseBracket(bool ci)
    {
        ++i_;  // '['
        Class k;
        k.caseInsensitive = ci;
        if (eat('^')) k.negated = true;
        CharSet plain;
        bool first = true;
        while (true) {
            if (!more()) fail("unterminated character class");
            char32_t c = peek();
            if (c == ']' && !first) {
                ++i_;
                break;
            }
            first = false;
            if (c == '[') unsupported("nested character class");
            if (c == '&' && peek(1) == '&') unsupported("class intersection '&&'");
            char32_t lo;
            ++i_;
            if (c == '\\') {
                CharSet set;
                bool complement = false;
                if (parseEscape(set, complement, lo, true)) {
                    k.sets.push_back(std::move(set));
                    k.complemented.push_back(complement);
                    continue;
                }
            } else {
                lo = c;
            }
            char32_t hi = lo;
            if (peek() == '-' && peek(1) != ']' && i_ + 1 < p_.size()) {
                ++i_;
                const char32_t h = p_[i_++];
                if (h == '\\') {
                    CharSet set;
                    bool complement = false;
                    if (parseEscape(set, complement, hi, true)) fail("class range ending in a set escape");
                } else if (h == '[') {
                    unsupported("nested character class");
                } else {
                    hi = h;
                }
                if (hi < lo) fail("class range out of order");
            }
            plain.ranges.emplace_back(lo, hi);
        }
        if (!plain.ranges.empty()) {
            k.sets.push_back(std::move(plain));
            k.complemented.push_back(false);
        }
        return k;
    }
};

// ---- Program ------------------------------------------------------------------------------------------

enum class Op : uint8_t { Char, ClassTest, Any, Split, Jmp, Repeat, Look, Match };

struct Inst {
    Op op;
    bool greedy = true;
    bool negate = false;
    uint32_t x = 0, y = 0;  // Char: x = code point; ClassTest/Repeat: x = class; Split: x, y; Jmp: x; Look: x = sub
    uint32_t min = 0, max = 0;
};

struct Frame {
    uint32_t pc;
    uint32_t pos;
    uint32_t count;  // kInfinite for a Split alternative, else the Repeat's current count
};

}  // namespace

struct Program {
    std::vector<Inst> code;
    std::vector<Class> classes;     // shared by the sub-programs (they index into the root's)
    std::vector<Program> subs;      // lookahead bodies
    const std::vector<Class> *classPool = nullptr;

    bool matchAt(std::u32string_view t, std::size_t start, std::size_t &end, std::vector<std::vector<Frame>> &stacks,
                 std::size_t depth) const;
    // 1 + the deepest lookahead nesting: the number of backtracking stacks a search needs.
    std::size_t nesting() const
    {
        std::size_t n = 0;
        for (const Program &s : subs) n = std::max(n, s.nesting());
        return n + 1;
    }
};

namespace {

class Compiler {
public:
    explicit Compiler(Program &root) : root_(root) {}

    void compile(const Node &n, Program &prog)
    {
        emit(n, prog);
        prog.code.push_back(Inst{Op::Match});
        prog.classPool = &root_.classes;
    }

private:
    Program &root_;

    uint32_t here(const Program &p) const { return static_cast<uint32_t>(p.code.size()); }
    void push(Program &p, Inst i)
    {
        if (p.code.size() >= kMaxProgramSize) throw EngineError("unsupported regex: the pattern expands to too large a program");
        p.code.push_back(i);
    }

    // A single-character node as a class index (for the fast Repeat instruction).
    bool singleClass(const Node &n, uint32_t &cls)
    {
        if (n.kind == Node::ClassRef) {
            cls = n.classIndex;
            return true;
        }
        if (n.kind == Node::Char || n.kind == Node::Any) {
            Class k;
            CharSet s;
            if (n.kind == Node::Char) {
                s.ranges = {{n.ch, n.ch}};
            } else {
                s.ranges = {{'\n', '\n'}};  // '.' is everything but a newline
                k.negated = true;
            }
            k.sets.push_back(std::move(s));
            k.complemented.push_back(false);
            k.finish();
            root_.classes.push_back(std::move(k));
            cls = static_cast<uint32_t>(root_.classes.size() - 1);
            return true;
        }
        return false;
    }

    void emit(const Node &n, Program &p)
    {
        switch (n.kind) {
        case Node::Char: push(p, Inst{Op::Char, true, false, n.ch}); return;
        case Node::ClassRef: push(p, Inst{Op::ClassTest, true, false, n.classIndex}); return;
        case Node::Any: push(p, Inst{Op::Any}); return;
        case Node::Concat:
            for (const Node &c : n.children) emit(c, p);
            return;
        case Node::Alt: {
            // Split(a, next) a Jmp(end) Split(b, next) b Jmp(end) ... last
            std::vector<uint32_t> jumps;
            for (std::size_t k = 0; k < n.children.size(); ++k) {
                if (k + 1 < n.children.size()) {
                    const uint32_t split = here(p);
                    push(p, Inst{Op::Split});
                    p.code[split].x = here(p);
                    emit(n.children[k], p);
                    jumps.push_back(here(p));
                    push(p, Inst{Op::Jmp});
                    p.code[split].y = here(p);
                } else {
                    emit(n.children[k], p);
                }
            }
            for (uint32_t j : jumps) p.code[j].x = here(p);
            return;
        }
        case Node::Look: {
            Program sub;
            compile(n.children[0], sub);
            p.subs.push_back(std::move(sub));
            push(p, Inst{Op::Look, true, n.negate, static_cast<uint32_t>(p.subs.size() - 1)});
            return;
        }
        case Node::Repeat: emitRepeat(n, p); return;
        }
    }

    void emitOptional(const Node &body, bool greedy, Program &p)
    {
        const uint32_t split = here(p);
        push(p, Inst{Op::Split});
        const uint32_t bodyStart = here(p);
        emit(body, p);
        const uint32_t after = here(p);
        p.code[split].x = greedy ? bodyStart : after;
        p.code[split].y = greedy ? after : bodyStart;
    }

    void emitRepeat(const Node &n, Program &p)
    {
        const Node &body = n.children[0];
        uint32_t cls = 0;
        if (singleClass(body, cls)) {
            Inst r{Op::Repeat, n.greedy, false, cls};
            r.min = n.min;
            r.max = n.max;
            push(p, r);
            return;
        }
        for (uint32_t k = 0; k < n.min; ++k) emit(body, p);
        if (n.max == kInfinite) {
            // L: Split(body, out) body Jmp L
            const uint32_t loop = here(p);
            push(p, Inst{Op::Split});
            const uint32_t bodyStart = here(p);
            emit(body, p);
            push(p, Inst{Op::Jmp, true, false, loop});
            p.code[loop].x = n.greedy ? bodyStart : here(p);
            p.code[loop].y = n.greedy ? here(p) : bodyStart;
            return;
        }
        for (uint32_t k = n.min; k < n.max; ++k) emitOptional(body, n.greedy, p);
    }
};

}  // namespace

bool Program::matchAt(std::u32string_view t, std::size_t start, std::size_t &end, std::vector<std::vector<Frame>> &stacks,
                      std::size_t depth) const
{
    std::vector<Frame> &stack = stacks[depth];  // sized by nesting() before the search: never reallocated here
    stack.clear();
    const std::vector<Class> &cls = *classPool;
    const std::size_t n = t.size();
    uint32_t pc = 0;
    std::size_t pos = start;
    while (true) {
        const Inst &in = code[pc];
        bool ok = true;
        switch (in.op) {
        case Op::Char:
            ok = pos < n && t[pos] == in.x;
            if (ok) { ++pos; ++pc; }
            break;
        case Op::ClassTest:
            ok = pos < n && cls[in.x].test(t[pos]);
            if (ok) { ++pos; ++pc; }
            break;
        case Op::Any:
            ok = pos < n && t[pos] != '\n';
            if (ok) { ++pos; ++pc; }
            break;
        case Op::Split:
            stack.push_back(Frame{in.y, static_cast<uint32_t>(pos), kInfinite});
            pc = in.x;
            break;
        case Op::Jmp:
            pc = in.x;
            break;
        case Op::Repeat: {
            const Class &c = cls[in.x];
            uint32_t k = 0;
            const uint32_t limit = in.greedy ? in.max : in.min;
            while (k < limit && pos + k < n && c.test(t[pos + k])) ++k;
            ok = k >= in.min;
            if (ok) {
                if (in.greedy ? k > in.min : k < in.max) stack.push_back(Frame{pc, static_cast<uint32_t>(pos), k});
                pos += k;
                ++pc;
            }
            break;
        }
        case Op::Look: {
            std::size_t e = 0;
            const bool found = subs[in.x].matchAt(t, pos, e, stacks, depth + 1);
            ok = found != in.negate;
            if (ok) ++pc;
            break;
        }
        case Op::Match:
            end = pos;
            return true;
        }
        while (!ok) {
            if (stack.empty()) return false;
            const Frame f = stack.back();
            stack.pop_back();
            if (f.count == kInfinite) {
                pc = f.pc;
                pos = f.pos;
                ok = true;
                break;
            }
            const Inst &r = code[f.pc];
            if (r.greedy) {
                // Give back one character.
                const uint32_t k = f.count - 1;
                if (k > r.min) stack.push_back(Frame{f.pc, f.pos, k});
                pos = f.pos + k;
                pc = f.pc + 1;
                ok = true;
            } else if (f.pos + f.count < n && cls[r.x].test(t[f.pos + f.count])) {
                // Take one more character.
                const uint32_t k = f.count + 1;
                if (k < r.max) stack.push_back(Frame{f.pc, f.pos, k});
                pos = f.pos + k;
                pc = f.pc + 1;
                ok = true;
            }
        }
    }
}

Regex::Regex(std::string_view pattern) : pattern_(pattern), program_(std::make_unique<Program>())
{
    try {
        Parser parser(pattern, program_->classes);
        const Node root = parser.parseAll();
        Compiler(*program_).compile(root, *program_);
    } catch (const EngineError &e) {
        throw EngineError(std::string(e.what()) + " in pattern '" + std::string(pattern) + "'");
    }
}

Regex::~Regex() = default;
Regex::Regex(Regex &&) noexcept = default;
Regex &Regex::operator=(Regex &&) noexcept = default;

void Regex::findAll(std::u32string_view text, std::vector<std::pair<std::size_t, std::size_t>> &out) const
{
    std::vector<std::vector<Frame>> stacks(program_->nesting());
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = 0;
        if (program_->matchAt(text, pos, end, stacks, 0)) {
            out.emplace_back(pos, end);
            pos = end > pos ? end : pos + 1;
        } else {
            ++pos;
        }
    }
}

}  // namespace blyan::engine::regex
