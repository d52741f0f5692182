"""comprehension: ``out = []`` + an append loop becomes ``out = [e for x in xs]`` (or ``list(xs)``)."""

from __future__ import annotations

from ..case import apply, refuse

T = "comprehension"
SHAPE = "before `for x in xs"
UNREAD = "is a local nothing reads"
VARIABLES = "loop variables: plain names"
HANDLERS = "exception-swallowing `with`"
FRAME = "does not read its locals"
UNBOUND = "surely bound when it starts"
FRAMES = "recurses back into the function"

CASES = (
    refuse(
        "comprehension-unbound-local-becomes-name-error", T, "a local assigned after the loop: UnboundLocalError "
        "in the loop, NameError from a comprehension reading it as a free variable",
        """
        def scaled(xs):
            out = []
            for x in xs:
                out.append(x * scale)
            scale = 2
            return out
        """,
        "scaled([1, 2])", probes="scaled([])",
        reason=r"`scale` may be unbound", covers=UNBOUND,
    ),
    apply(
        "comprehension-list-copy-calls-len", T, "list(xs) would ask a sized argument for its length (the loop "
        "never calls __len__): an annotated list keeps a comprehension",
        """
        def copy(xs: list[int]) -> list[int]:
            out = []
            for x in xs:
                out.append(x)
            return out
        """,
        "copy(Loud([1, 2]))",
        setup="""
        class Loud(list):
            def __len__(self):
                print("len called")
                return list.__len__(self)
        """,
    ),
    apply(
        "comprehension-dict-copy-calls-len", T, "list(d) on a dict subclass would ask for its length first: an "
        "annotated dict keeps a comprehension",
        """
        def keys(d: dict[str, int]) -> list[str]:
            out = []
            for k in d:
                out.append(k)
            return out
        """,
        "keys(Counted(a=1, b=2))", probes="Counted.calls",
        setup="""
        class Counted(dict):
            calls = 0
            def __len__(self):
                Counted.calls += 1
                return dict.__len__(self)
        """,
    ),
    refuse(
        "comprehension-recursion-depth-halved", T, "a recursive call in the appended value: the comprehension "
        "adds a frame per level",
        """
        def depth(node):
            out = []
            for child in node:
                out.append(depth(child))
            return 1 + max(out, default=0)
        """,
        "depth(deep)",
        setup="""
        import sys
        sys.setrecursionlimit(500)
        deep = []
        for _ in range(300):
            deep = [deep]
        """,
        reason=r"calls depth recursively", covers=FRAMES,
    ),
    refuse(
        "comprehension-caller-name-seen-by-callee", T, "a callee reads its caller's frame name: 'tagged' "
        "becomes '<listcomp>'",
        """
        import sys


        def where(x):
            return (sys._getframe(1).f_code.co_name, x)


        def tagged(xs):
            out = []
            for x in xs:
                out.append(where(x))
            return out
        """,
        "tagged([1, 2])",
        reason=r"calls where, which reads its callers' frames \(sys._getframe\)", covers=FRAMES, site="tagged",
    ),
    refuse(
        "comprehension-closure-reads-half-built-list", T, "a nested function defined before the loop reads out "
        "while it is built",
        """
        def build(xs):
            def size():
                return len(out)
            out = []
            for x in xs:
                out.append(x + size())
            return out
        """,
        "build([10, 20, 30])",
        reason=r"used by a nested function", covers=UNREAD, site="build#",
    ),
    refuse(
        "comprehension-value-reads-out", T, "the appended value reads the list being built",
        """
        def running(xs):
            out = []
            for x in xs:
                out.append(x + (out[-1] if out else 0))
            return out
        """,
        "running([1, 2, 3])",
        reason=r"`out` is read inside the loop", covers=UNREAD,
    ),
    refuse(
        "comprehension-iterable-reads-out", T, "the condition reads the list: a dedup loop",
        """
        def unique(xs):
            out = []
            for x in xs:
                if x not in out:
                    out.append(x)
            return out
        """,
        "unique([1, 1, 2])",
        reason=r"`out` is read inside the loop", covers=UNREAD,
    ),
    refuse(
        "comprehension-out-is-global", T, "appending to a module list declared global",
        """
        OUT = []


        def fill(xs):
            global OUT
            OUT = []
            for x in xs:
                OUT.append(x)
            return OUT
        """,
        "fill([1, 2])",
        reason=r"`OUT` is not a local variable", covers=UNREAD,
    ),
    refuse(
        "comprehension-loop-variable-deleted-after", T, "`del x` after the loop: the comprehension leaves no x "
        "to delete",
        """
        def doubled(xs):
            out = []
            for x in xs:
                out.append(x * 2)
            del x
            return out
        """,
        "doubled([1, 2])",
        reason=r"loop variable `x` is used outside the loop", covers=VARIABLES,
    ),
    refuse(
        "comprehension-lambda-sees-later-rebinding", T, "lambdas capture x, which the function rebinds after the "
        "loop",
        """
        def makers(xs):
            out = []
            for x in xs:
                out.append(lambda: x)
            x = 0
            return [f() for f in out]
        """,
        "makers([1, 2])",
        reason=r"loop variable `x`", covers=VARIABLES,
    ),
    refuse(
        "comprehension-target-is-attribute", T, "the loop stores each item into an attribute",
        """
        class Box:
            item = None


        def fill(xs, box):
            out = []
            for box.item in xs:
                out.append(box.item)
            return out
        """,
        "fill([1, 2], b)", setup="b = Box()", probes="b.item",
        reason=r"not a plain name", covers=VARIABLES,
    ),
    refuse(
        "comprehension-suppress-keeps-partial", T, "contextlib.suppress swallows the error: the function returns "
        "the half-built list",
        """
        import contextlib


        def ints(xs):
            out = []
            with contextlib.suppress(ValueError):
                out = []
                for x in xs:
                    out.append(int(x))
            return out
        """,
        "ints(['1', 'x', '3'])",
        reason=r"inside `with`", covers=HANDLERS,
    ),
    refuse(
        "comprehension-custom-swallowing-manager", T, "a module context manager whose __exit__ returns True",
        """
        class Quiet:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return True


        def ints(xs):
            out = None
            with Quiet():
                out = []
                for x in xs:
                    out.append(int(x))
            return out
        """,
        "ints(['1', 'x'])",
        reason=r"inside `with`", covers=HANDLERS, site="ints",
    ),
    refuse(
        "comprehension-try-finally-reads", T, "a finally clause returns the list built so far",
        """
        def ints(xs):
            try:
                out = []
                for x in xs:
                    out.append(int(x))
            finally:
                return out
        """,
        "ints(['1', 'x'])",
        reason=r"inside a `try`", covers=HANDLERS,
    ),
    refuse(
        "comprehension-locals-read", T, "the function returns locals(): the loop variable disappears from it",
        """
        def snapshot(xs):
            out = []
            for x in xs:
                out.append(x)
            return sorted(locals())
        """,
        "snapshot([1])",
        reason=r"reads its local variables", covers=FRAME,
    ),
    refuse(
        "comprehension-walrus-in-value", T, "a walrus binds in the function, not in a comprehension's scope",
        """
        def last(xs):
            out = []
            for x in xs:
                out.append(y := x * 2)
            return out, y
        """,
        "last([1, 2])",
        reason=r"uses `:=`", covers=FRAME,
    ),
    refuse(
        "comprehension-super-in-loop", T, "zero-argument super() reads the frame's __class__ cell",
        """
        class Tags(list):
            def counts(self, xs):
                out = []
                for x in xs:
                    out.append(super().count(x))
                return out
        """,
        "Tags([1, 1]).counts([1, 2])",
        reason=r"uses `super`", covers=FRAME,
    ),
    refuse(
        "comprehension-loop-with-else", T, "a for/else clause runs after the last item",
        """
        def marked(xs):
            out = []
            for x in xs:
                out.append(x)
            else:
                out.append("end")
            return out
        """,
        "marked([1])",
        reason=r"has an `else` clause", covers=SHAPE,
    ),
    refuse(
        "comprehension-not-empty-start", T, "the list starts with a sentinel",
        """
        def framed(xs):
            out = [0]
            for x in xs:
                out.append(x)
            return out
        """,
        "framed([1, 2])",
        reason=r"not bound to a fresh empty list", covers=SHAPE,
    ),
    refuse(
        "comprehension-shadowed-list", T, "`list` is the module's own function",
        """
        def list():
            return ["seed"]


        def copy(xs):
            out = list()
            for x in xs:
                out.append(x)
            return out
        """,
        "copy([1])",
        reason=r"not bound to a fresh empty list", covers=SHAPE, site="copy",
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "comprehension-inside-lock", T, "a `with lock:` block never swallows an exception",
        """
        import threading

        LOCK = threading.Lock()


        def doubled(xs):
            with LOCK:
                out = []
                for x in xs:
                    out.append(x * 2)
            return out
        """,
        "doubled([1, 2])", probes="doubled(['a', None])", covers=HANDLERS,
    ),
    apply(
        "comprehension-lazy-source-interleaving", T, "a generator that prints and a value that prints keep "
        "their interleaving",
        """
        def produce(n):
            for k in range(n):
                print("produce", k)
                yield k


        def show(k):
            print("show", k)
            return k * k


        def squares(n):
            out = []
            for k in produce(n):
                out.append(show(k))
            return out
        """,
        "squares(3)", covers=UNREAD,
    ),
    apply(
        "comprehension-exception-midway", T, "an exception from the value propagates unchanged",
        """
        def ints(xs):
            out = []
            for x in xs:
                if x:
                    out.append(int(x))
            return out
        """,
        "ints(['1', '', '2'])", probes="ints(['1', 'x'])", covers=HANDLERS,
    ),
    apply(
        "comprehension-copy-of-local-sorted-list", T, "a copy of a list built here is list(xs)",
        """
        def ordered(data):
            items = sorted(data)
            out = []
            for x in items:
                out.append(x)
            out.append(0)
            return out
        """,
        "ordered([3, 1])",
    ),
    apply(
        "comprehension-set-of-tuples", T, "a set built with add over enumerate",
        """
        def pairs(words):
            out = set()
            for k, w in enumerate(words):
                out.add((w, k % 2))
            return sorted(out)
        """,
        "pairs(['a', 'b', 'a'])", covers=VARIABLES,
    ),
    apply(
        "comprehension-loop-variable-reused-by-later-loop", T, "x is bound again by a later loop before it is read",
        """
        def twice(xs):
            out = []
            for x in xs:
                out.append(x + 1)
            total = 0
            for x in out:
                total += x
            return out, total
        """,
        "twice([1, 2])", covers=VARIABLES,
    ),
    apply(
        "comprehension-set-copy-of-subclass", T, "set(xs) would read a set subclass's table and skip its __iter__: "
        "the set comprehension keeps it",
        """
        def seen(xs: set[str]) -> list[str]:
            out = set()
            for x in xs:
                out.add(x)
            return sorted(out)
        """,
        "seen(Hidden({'a', '_b'}))",
        setup="""
        class Hidden(set):
            def __iter__(self):
                return (x for x in set.__iter__(self) if not x.startswith("_"))
        """,
    ),
    # --- every local the loop reads is surely bound ------------------------------------------------
    refuse(
        "comprehension-name-bound-in-one-branch", T, "the factor is bound only when a flag is set: "
        "UnboundLocalError in the loop, NameError in a comprehension",
        """
        def scaled(xs, flag):
            if flag:
                factor = 3
            out = []
            for x in xs:
                out.append(x * factor)
            return out
        """,
        "scaled([1], True)", probes=("scaled([1, 2], False)", "scaled([], False)"),
        reason=r"`factor` may be unbound", covers=UNBOUND,
    ),
    refuse(
        "comprehension-name-bound-by-empty-for", T, "the last item of an earlier loop, which may not run at all",
        """
        def tail_scaled(factors, xs):
            for last in factors:
                pass
            out = []
            for x in xs:
                out.append(x * last)
            return out
        """,
        "tail_scaled([2, 3], [1])", probes="tail_scaled([], [1, 2])",
        reason=r"`last` may be unbound", covers=UNBOUND,
    ),
    apply(
        "comprehension-name-bound-in-both-branches", T, "a name bound by both branches of an if is surely bound",
        """
        def scaled(xs, flag):
            if flag:
                factor = 3
            else:
                factor = 5
            out = []
            for x in xs:
                out.append(x * factor)
            return out
        """,
        "scaled([1, 2], True)", probes="scaled([1], False)", covers=UNBOUND,
    ),
    refuse(
        "comprehension-name-bound-in-try-not-handler", T, "the handler swallows the error without binding the "
        "name",
        """
        def scaled(xs, text):
            try:
                factor = int(text)
            except ValueError:
                pass
            out = []
            for x in xs:
                out.append(x * factor)
            return out
        """,
        "scaled([1, 2], '3')", probes="scaled([1], 'x')",
        reason=r"`factor` may be unbound", covers=UNBOUND,
    ),
    apply(
        "comprehension-name-bound-in-try-and-handler", T, "the body and every handler bind the name",
        """
        def scaled(xs, text):
            try:
                factor = int(text)
            except ValueError:
                factor = 1
            out = []
            for x in xs:
                out.append(x * factor)
            return out
        """,
        "scaled([1, 2], '3')", probes="scaled([1], 'x')", covers=UNBOUND,
    ),
    apply(
        "comprehension-unbound-name-in-iterable", T, "the iterable runs in the function's frame: an unbound "
        "local there is an UnboundLocalError either way",
        """
        def picked(flag):
            if flag:
                source = [1, 2]
            out = []
            for x in source:
                out.append(x + 1)
            return out
        """,
        "picked(True)", probes="picked(False)", covers=UNBOUND,
    ),
    # --- no recursion or frame walking through the loop (the comprehension is a frame) -------------
    refuse(
        "comprehension-mutual-recursion-through-helper", T, "the loop calls a helper that calls the function "
        "again: two frames per level become three",
        """
        def size(node):
            out = []
            for child in node:
                out.append(weigh(child))
            return 1 + sum(out)


        def weigh(child):
            return size(child)
        """,
        "size(deep)",
        setup="""
        import sys
        sys.setrecursionlimit(700)
        deep = []
        for _ in range(300):
            deep = [deep]
        """,
        reason=r"calls size recursively \(through weigh\)", covers=FRAMES, site="size",
    ),
    refuse(
        "comprehension-method-recursion", T, "a method that recurses through self on its children",
        """
        class Tree:
            def __init__(self, kids):
                self.kids = kids

            def height(self, node=None):
                node = self if node is None else node
                out = []
                for kid in node.kids:
                    out.append(self.height(kid))
                return 1 + max(out, default=0)
        """,
        "tall.height()",
        setup="""
        import sys
        sys.setrecursionlimit(400)
        tall = Tree([])
        for _ in range(250):
            tall = Tree([tall])
        """,
        reason=r"calls Tree.height recursively", covers=FRAMES, site="Tree.height",
    ),
    refuse(
        "comprehension-callee-reads-caller-locals", T, "a callee reads its caller's locals through "
        "inspect.currentframe().f_back: the comprehension's frame has other locals",
        """
        import inspect


        def tag(x):
            caller = inspect.currentframe().f_back
            return (x, sorted(k for k in caller.f_locals if not k.startswith(".")))


        def tagged(xs):
            prefix = "p"
            out = []
            for x in xs:
                out.append(tag(x))
            return out
        """,
        "tagged([1])",
        reason=r"calls tag, which reads its callers' frames \(inspect.currentframe\)", covers=FRAMES, site="tagged",
    ),
    # --- `with`: only managers that never swallow an exception ------------------------------------
    refuse(
        "comprehension-with-lock-parameter", T, "a parameter named lock may be any manager, one that swallows "
        "the error too",
        """
        def ints(xs, lock):
            out = None
            with lock:
                out = []
                for x in xs:
                    out.append(int(x))
            return out
        """,
        "ints(['1', 'x'], Swallow())",
        setup="""
        class Swallow:
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return True
        """,
        reason=r"inside `with`", covers=HANDLERS,
    ),
    refuse(
        "comprehension-with-lock-rebound-later", T, "a module lock that the module rebinds to a swallowing manager",
        """
        import threading

        LOCK = threading.Lock()


        class Swallow:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return True


        def relax():
            global LOCK
            LOCK = Swallow()


        def ints(xs):
            out = None
            with LOCK:
                out = []
                for x in xs:
                    out.append(int(x))
            return out
        """,
        "ints(['1', '2'])", probes=("relax()", "ints(['1', 'x'])"),
        reason=r"inside `with`", covers=HANDLERS, site="ints",
    ),
    apply(
        "comprehension-inside-local-rlock", T, "an RLock made in the function never swallows an exception",
        """
        import threading


        def doubled(xs):
            guard = threading.RLock()
            with guard:
                out = []
                for x in xs:
                    out.append(int(x) * 2)
            return out
        """,
        "doubled(['1', '2'])", probes="doubled(['1', 'x'])", covers=HANDLERS,
    ),
    # --- the copy form: list(xs) / set(xs) only for exact builtins ---------------------------------
    apply(
        "comprehension-set-of-dict-keys-rehashes", T, "set(d) would reuse the dict's stored hashes where the loop "
        "calls __hash__ for every key",
        """
        def key_set(pairs):
            d = {k: v for k, v in pairs}
            out = set()
            for k in d:
                out.add(k)
            return len(out)
        """,
        "key_set([(Key(1), 'a'), (Key(2), 'b')])", probes="Key.hashes",
        setup="""
        class Key:
            hashes = 0
            def __init__(self, n):
                self.n = n
            def __hash__(self):
                Key.hashes += 1
                return self.n
        """,
    ),
    apply(
        "comprehension-copy-of-iter-of-subclass", T, "iter(xs) of a list subclass is whatever its __iter__ "
        "returns: list() would ask that for its length",
        """
        def copy(xs: list[int]) -> list[int]:
            out = []
            for x in iter(xs):
                out.append(x)
            return out
        """,
        "copy(Odd([1, 2]))",
        setup="""
        class Counter:
            def __init__(self, items):
                self.items = list(items)
            def __iter__(self):
                return self
            def __next__(self):
                if not self.items:
                    raise StopIteration
                return self.items.pop(0)
            def __len__(self):
                print("len asked")
                return len(self.items)

        class Odd(list):
            def __iter__(self):
                return Counter(list.__iter__(self))
        """,
    ),
    apply(
        "comprehension-stopiteration-from-value", T, "a StopIteration raised by the value leaves a list "
        "comprehension unchanged (only a generator expression would swallow it)",
        """
        def firsts(xs, it):
            out = []
            for x in xs:
                out.append((x, next(it)))
            return out
        """,
        "firsts([1, 2], iter('ab'))", probes="firsts([1, 2, 3], iter('ab'))",
    ),
    # --- the binding may stand further up, if nothing in between touches `out` ------------------------
    refuse(
        "comprehension-out-registered-between", T, "the fresh list is handed to a registry before the loop fills it",
        """
        SEEN = []


        def collect(xs):
            out = []
            SEEN.append(out)
            for x in xs:
                out.append(x * 2)
            return len(out)
        """,
        "collect([1, 2])", probes="SEEN",
        reason=r"`out` is used between its binding and the loop \(SEEN.append\(out\)\)", covers=SHAPE,
    ),
    refuse(
        "comprehension-out-extended-between", T, "a header row is added between the binding and the loop",
        """
        def rows(xs, header):
            out = []
            if header:
                out.append("header")
            for x in xs:
                out.append(str(x))
            return out
        """,
        "rows([1], True)", probes="rows([2], False)",
        reason=r"`out` is used between its binding and the loop", covers=SHAPE,
    ),
    apply(
        "comprehension-binding-further-up", T, "statements between the binding and the loop that never touch "
        "`out`, one of them raising for an empty input",
        """
        def shares(xs):
            out = []
            total = sum(xs)
            scale = 100 / total
            for x in xs:
                out.append(round(x * scale))
            return out
        """,
        "shares([1, 3])", probes="shares([])", covers=SHAPE,
    ),
    # --- a `try` whose handlers all raise or return without naming `out` -------------------------------
    refuse(
        "comprehension-handler-falls-through", T, "the handler logs and falls through to code that returns the "
        "half-built list",
        """
        def ints(xs):
            try:
                out = []
                for x in xs:
                    out.append(int(x))
            except ValueError:
                print("bad input")
            return out
        """,
        "ints(['1', 'x', '3'])",
        reason=r"inside a `try`", covers=HANDLERS,
    ),
    refuse(
        "comprehension-handler-returns-partial-size", T, "the handler returns how much was built",
        """
        def count_ints(xs):
            try:
                out = []
                for x in xs:
                    out.append(int(x))
            except ValueError:
                return len(out)
            return len(out)
        """,
        "count_ints(['1', '2', 'x'])",
        reason=r"inside a `try`", covers=HANDLERS,
    ),
    refuse(
        "comprehension-handler-continues-outer-loop", T, "the handler continues an outer loop that reads the "
        "last list built",
        """
        def batches(groups):
            seen = []
            out = None
            for g in groups:
                seen.append(out)
                try:
                    out = []
                    for x in g:
                        out.append(int(x))
                except ValueError:
                    continue
            return seen
        """,
        "batches([['1'], ['2', 'x'], ['3']])",
        reason=r"inside a `try`", covers=HANDLERS, site="batches#1",
    ),
    apply(
        "comprehension-handler-reraises", T, "a handler that raises another exception never sees the list",
        """
        class BadInput(Exception):
            pass


        def ints(xs):
            try:
                out = []
                for x in xs:
                    out.append(int(x))
            except ValueError as exc:
                raise BadInput(str(exc)) from exc
            return out
        """,
        "ints(['1', '2'])", probes="ints(['1', 'x'])", covers=HANDLERS,
    ),
    refuse(
        "comprehension-closure-called-between", T, "a statement between the binding and the loop calls a closure "
        "that reads the list (the statement itself never names it)",
        """
        def build(xs, show):
            def peek():
                return list(out)
            out = []
            show(peek)
            for x in xs:
                out.append(x * 2)
            return out
        """,
        "build([1, 2], print)",
        reason=r"`out` is used by a nested function", covers=UNREAD, site="build#",
    ),
    apply(
        "comprehension-vars-of-an-object", T, "vars(obj) reads the object's attributes, not the function's locals",
        """
        class Config:
            def __init__(self):
                self.b = 2
                self.a = 1


        def public(obj):
            out = []
            for name in sorted(vars(obj)):
                out.append(name.upper())
            return out
        """,
        "public(Config())", covers=FRAME,
    ),
    refuse(
        "comprehension-vars-without-arguments", T, "vars() without arguments is locals(): the loop variable "
        "disappears from it",
        """
        def snapshot(xs):
            out = []
            for x in xs:
                out.append(x)
            return sorted(vars())
        """,
        "snapshot([1])",
        reason=r"reads its local variables \(vars\)", covers=FRAME,
    ),
)
