"""join-strings: ``s = ""`` + ``for x in xs: s += piece`` becomes ``s = "".join([piece for x in xs])``."""

from __future__ import annotations

from ..case import apply, refuse

T = "join-strings"
SHAPE = "no statement in between touching"
STR = "every piece provably a str, exactly"
UNREAD = "`s` is a local nothing reads"
VARIABLES = "not `s`"
HANDLERS = "half-built string"
FRAME = "does not read its locals"
UNBOUND = "surely bound when it starts"
FRAMES = "recurses back into the function"

# A markupsafe-like str subclass: `+` escapes whatever plain str meets it, from either side.
MARKUP = """
import html as _html

class Markup(str):
    def __add__(self, other):
        other = other if isinstance(other, Markup) else _html.escape(other)
        return Markup(str.__add__(self, other))

    def __radd__(self, other):
        other = other if isinstance(other, Markup) else _html.escape(other)
        return Markup(str.__add__(other, self))
"""

CASES = (
    refuse(
        "join-strings-markup-items-of-annotated-list", T, "list[str] items that are Markup: += escapes the "
        "plain pieces, join does not",
        """
        def render(parts: list[str]) -> str:
            html = ""
            for p in parts:
                html += p
            return html
        """,
        "render([Markup('<b>'), '<i>'])", setup=MARKUP,
        reason=r"not provably a str|subclass|exact", covers=STR,
    ),
    refuse(
        "join-strings-str-call-returns-subclass", T, "str(obj) returns whatever __str__ returns: a Markup",
        """
        def render(cells) -> str:
            html = ""
            for c in cells:
                html += str(c)
            return html
        """,
        "render([Cell('<b>'), '<i>'])",
        setup=MARKUP + """
class Cell:
    def __init__(self, text):
        self.text = text
    def __str__(self):
        return Markup(self.text)
""",
        reason=r"not provably a str|subclass|exact", covers=STR,
    ),
    refuse(
        "join-strings-single-fstring-returns-subclass", T, "f'{x}' alone is x.__format__(''): a Markup",
        """
        def render(cells) -> str:
            html = ""
            for c in cells:
                html += f"{c}"
            return html
        """,
        "render([Cell('<b>'), '<i>'])",
        setup=MARKUP + """
class Cell:
    def __init__(self, text):
        self.text = text
    def __format__(self, spec):
        return Markup(self.text)
""",
        reason=r"not provably a str|subclass|exact", covers=STR,
    ),
    refuse(
        "join-strings-format-returns-subclass", T, "format(x) returns x.__format__'s str subclass",
        """
        def render(cells) -> str:
            html = ""
            for c in cells:
                html += format(c)
            return html
        """,
        "render([Cell('<b>'), '<i>'])",
        setup=MARKUP + """
class Cell:
    def __init__(self, text):
        self.text = text
    def __format__(self, spec):
        return Markup(self.text)
""",
        reason=r"not provably a str|subclass|exact", covers=STR,
    ),
    refuse(
        "join-strings-unannotated-pieces", T, "+= of unknown values: a list piece makes `+` raise",
        """
        def joined(pieces):
            s = ""
            for p in pieces:
                s += p
            return s
        """,
        "joined(['a', 'b'])", probes="joined(['a', ['b']])",
        reason=r"not provably a str", covers=STR,
    ),
    refuse(
        "join-strings-int-piece", T, "a piece that is an int: += raises TypeError at that item",
        """
        def joined(n: int) -> str:
            s = ""
            for k in range(n):
                s += k
            return s
        """,
        "joined(0)", probes="joined(2)",
        reason=r"not provably a str", covers=STR,
    ),
    refuse(
        "join-strings-unbound-local-becomes-name-error", T, "a separator assigned after the loop",
        """
        def joined(words: list[str]) -> str:
            s = ""
            for w in words:
                s += w + sep
            sep = ","
            return s
        """,
        "joined(['a'])", probes="joined([])",
        reason=r"`sep` may be unbound", covers=UNBOUND,
    ),
    refuse(
        "join-strings-recursion-depth-halved", T, "a recursive piece: the join's list comprehension adds a frame "
        "per level",
        """
        def dump(node) -> str:
            s = ""
            for child in node:
                s += f"({dump(child)})"
            return s
        """,
        "len(dump(deep))",
        setup="""
        import sys
        sys.setrecursionlimit(500)
        deep = []
        for _ in range(300):
            deep = [deep]
        """,
        reason=r"calls dump recursively", covers=FRAMES,
    ),
    refuse(
        "join-strings-piece-reads-accumulator", T, "each piece depends on the string so far",
        """
        def numbered(words: list[str]) -> str:
            s = ""
            for w in words:
                s += f"{len(s)}:{w} "
            return s
        """,
        "numbered(['a', 'bb'])",
        reason=r"`s` is read inside the loop", covers=UNREAD,
    ),
    refuse(
        "join-strings-closure-reads-accumulator", T, "a helper defined earlier reads the string being built",
        """
        def framed(words: list[str]) -> str:
            def width():
                return str(len(s))
            s = ""
            for w in words:
                s += w + width()
            return s
        """,
        "framed(['ab', 'c'])",
        reason=r"used by a nested function", covers=UNREAD, site="framed#",
    ),
    refuse(
        "join-strings-accumulator-nonlocal", T, "the accumulator is the enclosing function's variable",
        """
        def outer(words: list[str]) -> str:
            s = ""

            def build():
                nonlocal s
                s = ""
                for w in words:
                    s += w
            build()
            return s
        """,
        "outer(['a', 'b'])",
        reason=r"`s` is not a local variable", covers=UNREAD, site="build",
    ),
    refuse(
        "join-strings-loop-variable-after-loop", T, "the last word is returned too",
        """
        def joined(words: list[str]):
            s = ""
            for w in words:
                s += w
            return s, w
        """,
        "joined(['a', 'b'])",
        reason=r"loop variable `w` is used outside the loop", covers=VARIABLES,
    ),
    refuse(
        "join-strings-loop-rebinds-accumulator", T, "the loop variable is the accumulator itself",
        """
        def weird(words: list[str]) -> str:
            s = ""
            for s in words:
                s += "!"
            return s
        """,
        "weird(['a', 'b'])",
        reason=r"rebinds `s`|loop variable `s`", covers=VARIABLES,
    ),
    refuse(
        "join-strings-inside-try", T, "an except clause returns the half-built string",
        """
        def joined(words: list[str]) -> str:
            try:
                s = ""
                for w in words:
                    s += w.encode("ascii").decode()
            except UnicodeError:
                return s
            return s
        """,
        "joined(['a', 'é', 'b'])",
        reason=r"inside a `try`", covers=HANDLERS,
    ),
    refuse(
        "join-strings-inside-suppress", T, "contextlib.suppress lets the function return the partial string",
        """
        import contextlib


        def joined(words: list[str]) -> str:
            s = "?"
            with contextlib.suppress(UnicodeError):
                s = ""
                for w in words:
                    s += w.encode("ascii").decode()
            return s
        """,
        "joined(['a', 'é', 'b'])",
        reason=r"inside `with`", covers=HANDLERS,
    ),
    refuse(
        "join-strings-reads-locals", T, "locals() shows the loop variable",
        """
        def joined(words: list[str]):
            s = ""
            for w in words:
                s += w
            return s, sorted(locals())
        """,
        "joined(['a'])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "join-strings-walrus-in-piece", T, "a walrus in the piece binds the function's variable",
        """
        def joined(words: list[str]):
            s = ""
            for w in words:
                s += (last := w.upper())
            return s, last
        """,
        "joined(['a', 'b'])",
        reason=r"uses `:=`", covers=FRAME,
    ),
    refuse(
        "join-strings-bytes-accumulator", T, "b'' with bytes pieces is not a str join",
        """
        def joined(chunks: list[str]) -> bytes:
            s = b""
            for c in chunks:
                s += c.encode()
            return s
        """,
        "joined(['a', 'b'])",
        reason=r"not bound to the empty string literal", covers=SHAPE,
    ),
    refuse(
        "join-strings-nonempty-start", T, "the string starts with a prefix",
        """
        def joined(words: list[str]) -> str:
            s = ">"
            for w in words:
                s += w
            return s
        """,
        "joined(['a'])",
        reason=r"not bound to the empty string literal", covers=SHAPE,
    ),
    refuse(
        "join-strings-loop-else", T, "a for/else adds a terminator",
        """
        def joined(words: list[str]) -> str:
            s = ""
            for w in words:
                s += w
            else:
                s += "."
            return s
        """,
        "joined(['a'])",
        reason=r"has an `else` clause", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "join-strings-fstring-of-ints", T, "several fields in one f-string build an exact str",
        """
        def query(pairs: dict[str, int]) -> str:
            out = ""
            for k, v in pairs.items():
                out += f"{k}={v};"
            return out
        """,
        "query({'a': 1, 'b': 2})", probes="query({})", covers=STR,
    ),
    apply(
        "join-strings-str-of-range", T, "str() of ints from range is an exact str; a test guards the piece",
        """
        def evens(n: int) -> str:
            s = ""
            for k in range(n):
                if k % 2 == 0:
                    s += str(k) + ","
            return s
        """,
        "evens(7)", probes=("evens(0)", "evens(True)"), covers=STR,
    ),
    apply(
        "join-strings-literal-split", T, "words of a literal split are exact strs",
        """
        def shout() -> str:
            s = ""
            for w in "to be or not".split():
                s += w.upper() + " "
            return s
        """,
        "shout()", covers=STR,
    ),
    apply(
        "join-strings-piece-raises-midway", T, "an exception while computing a piece propagates unchanged",
        """
        def codes(ns: list[int]) -> str:
            s = ""
            for n in ns:
                s += chr(n)
            return s
        """,
        "codes([65, 66])", probes="codes([65, -1])", covers=HANDLERS,
    ),
    apply(
        "join-strings-closure-after-loop", T, "a lambda created after the loop reads the finished string",
        """
        def build(n: int):
            text = ""
            for k in range(n):
                text += f"<{k}>"
            size = lambda: len(text)
            return text, size()
        """,
        "build(3)", covers=UNREAD,
    ),
    apply(
        "join-strings-generator-consumed-in-piece", T, "a generator expression in the piece reads the loop "
        "variable but is consumed within the same item",
        """
        def joined(words: list[str]) -> str:
            s = ""
            for w in words:
                s += "".join(c for c in w if c != "-")
            return s
        """,
        "joined(['a-b', 'c'])", covers=VARIABLES,
    ),
    # --- exact str pieces (only construction proves it) ----------------------------------------------
    refuse(
        "join-strings-str-method-keeps-subclass", T, "a str method of an annotated str may return the subclass: "
        "Markup.strip() is a Markup whose __radd__ escapes",
        """
        def render(parts: list[str]) -> str:
            html = ""
            for p in parts:
                html += p.strip()
            return html
        """,
        "render(['<b>', Stripped(' <i> ')])",
        setup=MARKUP + """
class Stripped(Markup):
    def strip(self, chars=None):
        return Markup(str.strip(self, chars))
""",
        reason=r"not provably a str, exactly", covers=STR,
    ),
    refuse(
        "join-strings-literal-plus-annotated-item", T, "'<li>' + item with item a Markup: its __radd__ escapes "
        "the literal and keeps the subclass, which then escapes the string so far",
        """
        def items(entries: list[str]) -> str:
            html = ""
            for e in entries:
                html += "<li>" + e
            return html
        """,
        "items(['<b>', Markup('<i>')])", setup=MARKUP,
        reason=r"not provably a str, exactly", covers=STR,
    ),
    # --- every local the loop reads is surely bound ------------------------------------------------
    refuse(
        "join-strings-separator-bound-in-one-branch", T, "the separator is bound only for a truthy flag",
        """
        def joined(n: int, flag) -> str:
            if flag:
                sep = ","
            s = ""
            for k in range(n):
                s += f"{k}{sep}"
            return s
        """,
        "joined(2, True)", probes="joined(2, False)",
        reason=r"`sep` may be unbound", covers=UNBOUND,
    ),
    refuse(
        "join-strings-prefix-deleted-before", T, "the prefix is deleted before the loop when it is empty",
        """
        def joined(n: int, prefix: str) -> str:
            if not prefix:
                del prefix
            s = ""
            for k in range(n):
                s += f"{prefix}{k}"
            return s
        """,
        "joined(2, '>')", probes="joined(2, '')",
        reason=r"`prefix` may be unbound", covers=UNBOUND,
    ),
    # --- no recursion or frame walking through the loop (the join's comprehension is a frame) -----
    refuse(
        "join-strings-mutual-recursion", T, "a helper that renders a child by calling the function again",
        """
        def dump(node) -> str:
            s = ""
            for child in node:
                s += f"[{show(child)}]"
            return s


        def show(child) -> str:
            return dump(child)
        """,
        "len(dump(deep))",
        setup="""
        import sys
        sys.setrecursionlimit(700)
        deep = []
        for _ in range(300):
            deep = [deep]
        """,
        reason=r"calls dump recursively \(through show\)", covers=FRAMES, site="dump",
    ),
    refuse(
        "join-strings-callee-names-its-caller", T, "a callee reads its caller's function name from the frame",
        """
        import sys


        def label(x) -> str:
            return f"{sys._getframe(1).f_code.co_name}:{x};"


        def joined(n: int) -> str:
            s = ""
            for k in range(n):
                s += f"{label(k)}."
            return s
        """,
        "joined(2)",
        reason=r"calls label, which reads its callers' frames \(sys._getframe\)", covers=FRAMES, site="joined",
    ),
    apply(
        "join-strings-inside-module-lock", T, "a module lock never swallows an exception",
        """
        import threading

        LOCK = threading.Lock()


        def codes(ns: list[int]) -> str:
            with LOCK:
                s = ""
                for n in ns:
                    s += f"{chr(n)}."
            return s
        """,
        "codes([65, 66])", probes="codes([65, -1])", covers=HANDLERS,
    ),
    # --- the binding may stand further up, if nothing in between touches `s` -------------------------
    refuse(
        "join-strings-augmented-between", T, "a header is added to the string between its binding and the loop",
        """
        def lines(n: int) -> str:
            s = ""
            s += "header;"
            for k in range(n):
                s += f"{k};"
            return s
        """,
        "lines(2)",
        reason=r'`s` is used between its binding and the loop \(s \+= "header;"\)', covers=SHAPE,
    ),
    refuse(
        "join-strings-two-loops-one-string", T, "a while loop builds part of the string the for loop extends",
        """
        def both(n: int) -> str:
            s = ""
            k = 0
            while k < n:
                s += f"a{k};"
                k += 1
            for j in range(n):
                s += f"b{j};"
            return s
        """,
        "both(2)",
        reason=r"`s` is used between its binding and the loop", covers=SHAPE, site="both#1",
    ),
    apply(
        "join-strings-binding-further-up", T, "statements between the binding and the loop never touch `s`",
        """
        def report(ns: list[int]) -> str:
            s = ""
            top = max(ns)
            width = len(f"{top}")
            for n in ns:
                s += f"{n:>{width}}|"
            return s
        """,
        "report([3, 12])", probes="report([])", covers=SHAPE,
    ),
    # --- a `try` whose handlers all raise or return without naming `s` ---------------------------------
    refuse(
        "join-strings-handler-continues-outer-loop", T, "the handler continues an outer loop that records the "
        "string built so far",
        """
        def rows(groups: list[list[str]]) -> list[str]:
            seen = []
            s = "none"
            for g in groups:
                seen.append(s)
                try:
                    s = ""
                    for w in g:
                        s += f"{int(w)};"
                except ValueError:
                    continue
            return seen
        """,
        "rows([['1'], ['2', 'x'], ['3']])",
        reason=r"inside a `try`", covers=HANDLERS, site="rows#1",
    ),
    refuse(
        "join-strings-finally-reads-string", T, "a finally clause prints the string built so far",
        """
        def codes(ns: list[int]) -> str:
            try:
                s = ""
                for n in ns:
                    s += f"{chr(n)}."
            finally:
                print("built", s)
            return s
        """,
        "codes([65, 66])", probes="codes([65, -1])",
        reason=r"inside a `try`", covers=HANDLERS,
    ),
    apply(
        "join-strings-handler-returns-default", T, "a handler that returns a default never sees the string",
        """
        def codes(ns: list[int]) -> str:
            try:
                s = ""
                for n in ns:
                    s += f"{chr(n)}."
            except ValueError:
                return "?"
            return s
        """,
        "codes([65, 66])", probes="codes([65, -1])", covers=HANDLERS,
    ),
)
