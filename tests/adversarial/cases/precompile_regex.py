"""precompile-regex: ``re.match(PATTERN, s)`` becomes ``_EVOLVER_RE_0.match(s)``, compiled at import.

The runner proposes every module twice in one process: a check that compiles the pattern to look
for a warning meets ``re``'s own cache the second time.
"""

from __future__ import annotations

from ..case import apply, refuse

T = "precompile-regex"
CALL = "a call of re."
LITERAL = "str or bytes literal"
FLAGS = "not re.DEBUG"
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
        "precompile-regex-pattern-name", T, "a pattern from a module constant (a name)",
        """
        import re

        WORD = "\\\\w+"


        def words(s):
            return re.findall(WORD, s)
        """,
        "words('a b')",
        reason=r"not a str or bytes literal", covers=LITERAL,
    ),
    refuse(
        "precompile-regex-fstring-pattern", T, "an f-string pattern depends on the call",
        """
        import re


        def field(name, s):
            return re.search(f"{name}=(\\\\w+)", s)
        """,
        "field('a', 'a=1').group(1)",
        reason=r"not a str or bytes literal", covers=LITERAL,
    ),
    refuse(
        "precompile-regex-concatenated-with-name", T, "a literal plus a name is not a literal",
        """
        import re

        SEP = ","


        def parts(s):
            return re.split("\\\\s*" + SEP, s)
        """,
        "parts('a , b')",
        reason=r"not a str or bytes literal", covers=LITERAL,
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
        "precompile-regex-flags-from-parameter", T, "flags chosen by the caller",
        """
        import re


        def find(s, flags):
            return re.findall("a", s, flags)
        """,
        "find('aA', 2)",
        reason=r"not constant re flags", covers=FLAGS,
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
        "words(['a b', 'c'])", covers=LITERAL,
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
)
