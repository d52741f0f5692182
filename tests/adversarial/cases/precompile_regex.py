"""precompile-regex: ``re.match(PATTERN, s)`` becomes ``_EVOLVER_RE_0.match(s)``, compiled at import.

The runner proposes every module twice in one process: a check that compiles the pattern to look
for a warning meets ``re``'s own cache the second time.
"""

from __future__ import annotations

from ..case import apply, refuse

T = "precompile-regex"
CALL = "a call of re."
LITERAL = "a literal pattern"
FLAGS = "not re.DEBUG"
CACHED = "goes through a cache"
COMPILES = "without an error or a warning"
ARGUMENTS = "maps onto the compiled pattern's method"
MODULE = "first import block"

CASES = (
    refuse(
        "precompile-regex-nested-set-warning-cached", T, "FutureWarning 'Possible nested set' is seen by the "
        "check only while the pattern is not in re's cache",
        """
        import re


        def brackets(s):
            return bool(re.match("[[a]", s))
        """,
        "brackets('[')", probes="brackets('b')",
        reason=r"warns", covers=COMPILES,
    ),
    refuse(
        "precompile-regex-set-intersection-warning-cached", T, "FutureWarning 'Possible set intersection' with a flag",
        """
        import re


        def dashes(s):
            return re.findall("[a&&b]", s, re.I)
        """,
        "dashes('a&b')",
        reason=r"warns", covers=COMPILES,
    ),
    refuse(
        "precompile-regex-compile-error", T, "an unbalanced pattern would fail the import instead of the call",
        """
        import re


        def group(s):
            if not s:
                return None
            return re.search("(a", s)
        """,
        "group('')",
        reason=r"does not compile", covers=COMPILES,
    ),
    refuse(
        "precompile-regex-global-flag-not-at-start", T, "a global inline flag in the middle is an error in 3.11",
        """
        import re


        def loose(s):
            return re.fullmatch("a(?i)b", s)
        """,
        "loose('ab') if False else 0",
        reason=r"does not compile", covers=COMPILES,
    ),
    refuse(
        "precompile-regex-locale-flag-on-str", T, "re.LOCALE with a str pattern is a ValueError",
        """
        import re


        def word(s):
            return re.match("\\\\w", s, re.LOCALE)
        """,
        "0",
        reason=r"does not compile", covers=COMPILES,
    ),
    refuse(
        "precompile-regex-debug-flag", T, "re.DEBUG prints the parse tree when compiling",
        """
        import re


        def digits(s):
            return re.findall("\\\\d", s, re.DEBUG | re.I)
        """,
        "digits('a1')",
        reason=r"or include DEBUG", covers=FLAGS,
    ),
    refuse(
        "precompile-regex-debug-as-integer", T, "128 is re.DEBUG spelled as an integer",
        """
        import re


        def digits(s):
            return re.findall("\\\\d", s, 128)
        """,
        "digits('a1')",
        reason=r"include DEBUG", covers=FLAGS,
    ),
    refuse(
        "precompile-regex-star-args", T, "*args could put anything in the flags position",
        """
        import re


        def find(*args):
            return re.findall("a", *args)
        """,
        "find('aA', re.I)", setup="import re",
        reason=r"do not map onto", covers=ARGUMENTS,
    ),
    refuse(
        "precompile-regex-keyword-pattern-unknown-keyword", T, "an unknown keyword",
        """
        import re


        def find(s):
            return re.findall("a", s, pos=1)
        """,
        "find('aa') if False else 0",
        reason=r"do not map onto", covers=ARGUMENTS,
    ),
    refuse(
        "precompile-regex-too-many-positional", T, "re.match takes no fourth positional argument",
        """
        import re


        def find(s):
            return re.match("a", s, 0, 1)
        """,
        "find('a') if False else 0",
        reason=r"do not map onto", covers=ARGUMENTS,
    ),
    refuse(
        "precompile-regex-re-rebound", T, "the module rebinds `re` to a wrapper",
        """
        import re as _std


        class re:
            @staticmethod
            def match(p, s):
                return ("wrapped", p, s)


        def check(s):
            return _std.match("a", s) and 1
        """,
        "check('a')",
        reason=r"binds `re` to something other", covers=MODULE,
    ),
    refuse(
        "precompile-regex-late-import", T, "`import re` comes after a function: the compiled pattern would run first",
        """
        def helper():
            return 1


        import re


        def check(s):
            return bool(re.match("a", s))
        """,
        "check('a')",
        reason=r"imports `re` after its first import block", covers=MODULE, site="check",
    ),
    refuse(
        "precompile-regex-missing-string", T, "re.sub called without its string argument",
        """
        import re


        def clean(s):
            return re.sub("a", "b")
        """,
        "clean('x') if False else 0",
        reason=r"called without `string`", covers=CALL,
    ),
    refuse(
        "precompile-regex-compile-without-pattern", T, "re.compile(flags=...) with no pattern",
        """
        import re


        def make():
            return re.compile(flags=re.I)
        """,
        "make() if False else 0",
        reason=r"called without `pattern`", covers=CALL,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "precompile-regex-findall", T, "a literal pattern in a loop", r'''
        import re


        def words(lines):
            out = []
            for line in lines:
                out.extend(re.findall(r"\w+", line))
            return out
        ''',
        "words(['a b', 'c'])", covers=CALL,
    ),
    apply(
        "precompile-regex-flags-position-dropped", T, "re.match's third positional is flags; Pattern.match's "
        "would be pos", """
        import re


        def starts(s):
            return bool(re.match("ab", s, re.I))
        """,
        "starts('ABc')", probes="starts('xab')", covers=FLAGS,
    ),
    apply(
        "precompile-regex-sub-with-callback-and-count", T, "sub with a callable and a count keeps both", """
        import re


        def loud(s):
            return re.sub("[a-z]", lambda m: m.group(0).upper(), s, 2)
        """,
        "loud('abc')", covers=ARGUMENTS,
    ),
    apply(
        "precompile-regex-split-maxsplit-keyword", T, "split with maxsplit and flags by keyword", """
        import re


        def head(s):
            return re.split(",", s, maxsplit=1, flags=re.M)
        """,
        "head('a,b,c')", covers=ARGUMENTS,
    ),
    apply(
        "precompile-regex-compile-and-bytes", T, "re.compile of a bytes literal becomes the compiled constant", """
        import re


        def matcher():
            return re.compile(b"\\x00+")


        def zeros(data):
            return len(matcher().findall(data))
        """,
        "zeros(b'a\\x00\\x00b\\x00')", probes="matcher() is matcher()", covers=CALL,
    ),
    # --- patterns that are not literals: the (pattern, flags) cache ---------------------------------------
    refuse(
        "precompile-regex-cache-name-taken", T, "the module has its own _EVOLVER_RE_CACHE (a list): the helper "
        "would index it",
        """
        import re

        _EVOLVER_RE_CACHE = []


        def find(p, s):
            return re.search(p, s)
        """,
        "bool(find('a', 'xa'))", probes="_EVOLVER_RE_CACHE",
        reason=r"_EVOLVER_RE_CACHE is taken", covers=CACHED,
    ),
    refuse(
        "precompile-regex-helper-name-taken", T, "a function of the module already has the helper's name",
        """
        import re


        def _evolver_re_search_noflags(pattern, string):
            return "mine"


        def find(p, s):
            return re.search(p, s)
        """,
        "bool(find('a', 'xa'))",
        reason=r"_evolver_re_search_noflags is taken", covers=CACHED,
    ),
    refuse(
        "precompile-regex-cache-type-rebound", T, "the module binds `type`: the helper's key would call it",
        """
        import re


        def type(x):
            return "kind"


        def find(p, s):
            return re.findall(p, s)
        """,
        "find('a', 'aa')",
        reason=r"binds `type`", covers=CACHED,
    ),
    refuse(
        "precompile-regex-cache-debug-flag", T, "a built pattern with re.DEBUG: printed on every compile, never "
        "cached by re",
        """
        import re


        def find(p, s):
            return re.findall(p + "+", s, re.DEBUG)
        """,
        "find('a', 'aa')", probes="find('a', 'ab')",
        reason=r"include re.DEBUG", covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-rule-table-mutated", T, "rules from a module list that callers change: a cache "
        "keyed by the rule's position or by the table would go stale",
        r"""
        import re

        RULES = [("(x)$", r"\1es"), ("(y)$", "ies"), ("$", "s")]


        def plural(word):
            for rule, repl in RULES:
                if re.search(rule, word):
                    return re.sub(rule, repl, word)
            return word
        """,
        "[plural(w) for w in ('box', 'day', 'cat')]",
        probes=("RULES.insert(0, ('(a)y$', 'ays'))", "[plural(w) for w in ('box', 'day', 'cat')]",
                "RULES[-1] = ('$', 'z')", "plural('cat')", "RULES.clear()", "plural('cat')"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-str-and-bytes-same-text", T, "'a' and b'a' hash alike: a cache keyed by the "
        "pattern's value alone would hand a str pattern to bytes",
        """
        import re


        def find(p, s):
            return re.findall(p, s)
        """,
        "find('a', 'aXa')",
        probes=("find(b'a', b'aXa')", "find('a', b'a')", "find(b'a', 'a')", "find('a', 'a')"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-flags-part-of-key", T, "one pattern with and without IGNORECASE, and flags given "
        "by the caller", """
        import re


        def loose(p, s):
            return re.findall(p, s, re.I)


        def strict(p, s):
            return re.findall(p, s)


        def chosen(p, s, flags):
            return re.findall(p, s, flags)
        """,
        "loose('a', 'aA')",
        probes=("strict('a', 'aA')", "chosen('a', 'aA', 0)", "chosen('a', 'aA', re.I)", "chosen('a', 'aA', 2)",
                "chosen('a', 'aA', re.DEBUG)", "chosen('a', 'aA', re.DEBUG)", "chosen('a', 'aA', 0.0)"),
        setup="import re", covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-flags-of-another-type", T, "flags 0.0 equal 0: re finds a pattern compiled "
        "earlier (re.compile elsewhere) and never tests 0.0 & DEBUG, which raises on its own miss",
        """
        import re


        def chosen(p, s, flags):
            return re.findall(p, s, flags)
        """,
        "chosen('a', 'aA', 0)",
        probes=("re.compile('b')", "chosen('b', 'bB', 0.0)", "chosen('a', 'aA', 0.0)", "chosen('c', 'cC', 0.0)",
                "chosen('b', 'bB', False)", "chosen('a', 'aA', re.I)", "chosen('a', 'aA', 2)"),
        setup="import re", covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-bad-pattern-raises-each-call", T, "a broken pattern raises re.error at the call, "
        "every time, after the other arguments were evaluated",
        """
        import re


        def first(p, queue):
            return re.match(p, queue.pop())
        """,
        "first('(a', box)", setup="box = ['a', 'b', 'c']",
        probes=("first('(a', box)", "box", "first('a', box)", "first([1], box)", "first(3, box)"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-warning-once", T, "a built pattern that warns (FutureWarning) warns on its first "
        "compile only, as through re's own cache",
        """
        import re


        def find(p, s):
            return bool(re.search(p, s))
        """,
        "find('[[a]', '[')", probes=("find('[[a]', 'a')", "find('[[b]', 'b')"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-compiled-pattern-given", T, "a compiled pattern as the pattern: returned as itself, "
        "flags with it are a ValueError",
        """
        import re


        def make(p):
            return re.compile(p)


        def find(p, s):
            return re.findall(p, s, re.I)
        """,
        "make(P) is P", setup="import re\nP = re.compile('a')",
        probes=("make('a') is make('a')", "make(P).pattern", "find(P, 'aA')", "find('a', 'aA')"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-str-subclass-pattern", T, "a str subclass that claims equality with everything: "
        "re keys by type too, so keeping what re keeps gives re's answers",
        """
        import re


        def find(p, s):
            return re.findall(p, s)
        """,
        "find(Loose('a'), 'ab')",
        setup="""
        class Loose(str):
            def __eq__(self, other):
                return True
            def __hash__(self):
                return 1
        """,
        probes=("find(Loose('b'), 'ab')", "find('b', 'ab')", "find(Loose('b'), 'ab')"),
        covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-many-patterns", T, "more distinct patterns than the cache holds: it is emptied, "
        "answers stay right",
        """
        import re


        def count(n, s):
            return sum(len(re.findall(str(i % 700), s)) for i in range(n))
        """,
        "count(1500, '0123456789' * 3)", covers=CACHED,
    ),
    apply(
        "precompile-regex-cache-built-per-call-sub-callback", T, "a pattern built from the argument, sub with a "
        "callable replacement and a count by keyword, split with maxsplit by position",
        """
        import re


        def mark(word, s):
            return re.sub(r"\\b" + re.escape(word) + r"\\b", lambda m: m.group(0).upper(), s, count=1)


        def cut(sep, s):
            return re.split(sep, s, 1)
        """,
        "mark('a.b', 'a.b x a.b axb')", probes=("cut(',', 'a,b,c')", "cut(b',', b'a,b')", "cut('(', 'a')"),
        covers=CACHED,
    ),
    # --- the compiled pattern's name -----------------------------------------------------------------
    apply(
        "precompile-regex-name-of-an-unread-parameter", T, "a parameter that nothing reads spells the first "
        "free name: the function would read the parameter instead of the new global",
        """
        import re


        def find(s, _EVOLVER_RE_0=None):
            return bool(re.match("a+", s))
        """,
        "find('aa')", probes="find('b')", covers=LITERAL,
    ),
    apply(
        "precompile-regex-name-of-an-unread-import", T, "an import that nothing in the module reads spells the "
        "first free name: the new global would rebind it for the module's importers",
        """
        import re
        import json as _EVOLVER_RE_0


        def find(s):
            return bool(re.match("a+", s))
        """,
        "find('aa')", probes="mod._EVOLVER_RE_0.__name__", covers=LITERAL,
    ),
)
