"""thread-pool: ``for x in xs: out.append(f(x))`` becomes ``out.extend(pool.map(f, xs))``."""

from __future__ import annotations

from ..case import apply, refuse

T = "thread-pool"
SHAPE = "nothing else in the body"
IO = "proven I/O-bound"
INDEPENDENT = "f proven independent"
VARIABLE = "used only as one positional argument"
EXTRA = "extra arguments"
OUT = "bound only to fresh lists"

# Four small files under the side's own working directory, named by relative paths (the same on
# both sides).
FILES = """
import os
root = "data"
os.makedirs(root)
paths = []
for _name in ("a", "b", "c", "d"):
    paths.append(os.path.join(root, _name))
    with open(paths[-1], "w") as _handle:
        _handle.write(_name * 3)
names = [os.path.basename(p) for p in paths]
"""

CASES = (
    # --- loop semantics the pool changes --------------------------------------------------------------
    refuse(
        "thread-pool-stopiteration-from-callee", T, "StopIteration escaping the callee becomes RuntimeError "
        "inside Executor.map's result generator",
        """
        import time


        def first_x(key):
            time.sleep(0.001)
            return next(p for p in key.split(",") if p.startswith("x"))


        def firsts(keys):
            out = []
            for k in keys:
                out.append(first_x(k))
            return out
        """,
        "firsts(['x1,a', 'b,c'])",
        reason=r"StopIteration|may raise", covers=(),
    ),
    refuse(
        "thread-pool-lazy-iterable-consumed-ahead", T, "Executor.map drains a generator before the first call "
        "fails: its later items are produced (and printed) too",
        """
        import time


        def produce(keys):
            for k in keys:
                print("producing", k)
                yield k


        def fetch(key):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return key.upper()


        def fetch_all(keys):
            out = []
            for k in produce(keys):
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'bad', 'c', 'd'])",
        reason=r"iterable|lazy|eager|generator", covers=(),
    ),
    refuse(
        "thread-pool-unbounded-iterable", T, "an endless page counter: the loop stops at the first failure, "
        "Executor.map reads ahead without end (here the counter gives up after 10,000 pages)",
        """
        import time


        def counter():
            k = 0
            while True:
                if k > 10_000:
                    raise OverflowError("read 10,000 pages ahead")
                yield k
                k += 1


        def page(k):
            time.sleep(0)
            if k == 3:
                raise IndexError("no more pages")
            return k


        def pages():
            out = []
            for k in counter():
                out.append(page(k))
            return out
        """,
        "pages()",
        reason=r"iterable|lazy|eager|infinite|unbounded", covers=(),
    ),
    refuse(
        "thread-pool-calls-after-failure-heappush", T, "calls after a failing one still run: each pushes onto "
        "the caller's heap",
        """
        import heapq
        import time


        def stage(key, heap):
            time.sleep(0.001)
            if key == "b":
                raise ValueError(key)
            heapq.heappush(heap, key)
            return key


        def stage_all(keys, heap):
            out = []
            for k in keys:
                out.append(stage(k, heap))
            return out
        """,
        "stage_all(['a', 'b', 'c', 'd'], _heap)", setup="_heap = []", probes="sorted(_heap)",
        reason=r"heappush|mutat|heap", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-next-on-shared-iterator", T, "each call takes an id from the caller's iterator: the pool "
        "takes them for calls after the failure too",
        """
        import time


        def tag(key, ids):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return (key, next(ids))


        def tag_all(keys, ids):
            out = []
            for k in keys:
                out.append(tag(k, ids))
            return out
        """,
        "tag_all(['a', 'bad', 'c', 'd'], _ids)", setup="_ids = iter(range(100, 110))", probes="list(_ids)",
        reason=r"next|iterator|consum", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-thread-local-argument", T, "a threading.local passed in: a worker thread sees none of the "
        "caller's attributes",
        """
        import time


        def owner(key, context):
            time.sleep(0.001)
            return f"{key}:{context.user}"


        def owners(keys, context):
            out = []
            for k in keys:
                out.append(owner(k, context))
            return out
        """,
        "owners(['a', 'b'], ctx)", setup="import threading\nctx = threading.local()\nctx.user = 'ann'",
        reason=r"thread|local", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-appends-to-argument", T, "the callee appends to a list the caller passes in",
        """
        import time


        def fetch(key, seen):
            time.sleep(0.001)
            seen.append(key)
            return key


        def fetch_all(keys, seen):
            out = []
            for k in keys:
                out.append(fetch(k, seen))
            return out
        """,
        "fetch_all(['a', 'b', 'c'], log)", setup="log = []", probes="log",
        reason=r"seen\.append", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-prints", T, "printed lines would interleave in another order",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            print("got", key)
            return key


        def fetch_all(keys):
            return [fetch(k) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])",
        reason=r"prints", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-declares-global", T, "a global counter incremented by each call",
        """
        import time

        DONE = 0


        def fetch(key):
            global DONE
            time.sleep(0.001)
            DONE += 1
            return (key, DONE)


        def fetch_all(keys):
            return [fetch(k) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])",
        reason=r"declares global DONE", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-callee-writes-file", T, "each call appends a line to one file",
        """
        def save(line, path):
            with open(path, "a") as handle:
                handle.write(line + "\\n")
            return line


        def save_all(lines, path):
            out = []
            for line in lines:
                out.append(save(line, path))
            return out
        """,
        "save_all(['a', 'b'], path)", setup="path = 'out.txt'",
        probes="open(path).read()",
        reason=r"opens a file for writing", covers=INDEPENDENT,
    ),
    refuse(
        "thread-pool-cpu-bound-callee", T, "a pure computation gains nothing and the GIL serialises it",
        """
        def square(k):
            return k * k


        def squares(ks):
            out = []
            for k in ks:
                out.append(square(k))
            return out
        """,
        "squares([1, 2, 3])",
        reason=r"not proven I/O-bound", covers=IO,
    ),
    refuse(
        "thread-pool-callee-is-a-local-function", T, "a nested helper is not a module function bound once",
        """
        import time


        def fetch_all(keys):
            def fetch(key):
                time.sleep(0.001)
                return key
            out = []
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a'])",
        reason=r"not a module function bound once", covers=IO,
    ),
    refuse(
        "thread-pool-callee-rebound-later", T, "the module rebinds fetch after defining it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            return [fetch(k) for k in keys]


        fetch = str.upper
        """,
        "fetch_all(['a', 'b'])",
        reason=r"not a module function bound once", covers=IO,
    ),
    refuse(
        "thread-pool-loop-variable-after-loop", T, "the last key is used after the loop",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            out = []
            for k in keys:
                out.append(fetch(k))
            return out, k
        """,
        "fetch_all(['a', 'b'])",
        reason=r"loop variable `k` is used outside the call", covers=VARIABLE,
    ),
    refuse(
        "thread-pool-loop-variable-twice", T, "the key is passed twice (map would need two iterables)",
        """
        import time


        def pair(a, b):
            time.sleep(0.001)
            return a + b


        def pairs(keys):
            return [pair(k, k) for k in keys]
        """,
        "pairs(['a', 'b'])",
        reason=r"not passed exactly once", covers=VARIABLE,
    ),
    refuse(
        "thread-pool-loop-variable-in-expression", T, "f(k + 1): the argument is computed from the key",
        """
        import time


        def fetch(n):
            time.sleep(0.001)
            return n


        def fetch_all(ns):
            return [fetch(n + 1) for n in ns]
        """,
        "fetch_all([1, 2])",
        reason=r"not passed exactly once as a plain argument", covers=VARIABLE,
    ),
    refuse(
        "thread-pool-extra-argument-rebound-in-loop", T, "an extra argument that changes each iteration",
        """
        import time


        def fetch(key, attempt):
            time.sleep(0.001)
            return (key, attempt)


        def fetch_all(keys):
            out = []
            attempt = 0
            for k in keys:
                out.append(fetch(k, attempt))
            return out
        """,
        "fetch_all(['a', 'b'])",
        reason=r"argument `attempt` is not provably bound and loop-invariant", covers=EXTRA,
    ),
    refuse(
        "thread-pool-extra-argument-is-a-call", T, "an extra argument computed per call (time.monotonic())",
        """
        import time


        def fetch(key, when):
            time.sleep(0.001)
            return key


        def fetch_all(keys):
            return [fetch(k, time.monotonic()) for k in keys]
        """,
        "fetch_all(['a', 'b'])",
        reason=r"argument `time\.monotonic\(\)` is not provably bound", covers=EXTRA,
    ),
    refuse(
        "thread-pool-out-used-before-loop", T, "the list is shared with the caller before the loop fills it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, sink):
            out = []
            sink.append(out)
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a'], box)", setup="box = []", probes="box",
        reason=r"`out` is used before the loop", covers=OUT,
    ),
    refuse(
        "thread-pool-out-is-a-parameter", T, "appending to the caller's own list",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, out):
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'b'], box)", setup="box = []",
        reason=r"not a local list", covers=OUT,
    ),
    refuse(
        "thread-pool-loop-inside-try", T, "a handler would see a different partial list",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            if key == "bad":
                raise KeyError(key)
            return key


        def fetch_all(keys):
            out = []
            try:
                for k in keys:
                    out.append(fetch(k))
            except KeyError:
                pass
            return out
        """,
        "fetch_all(['a', 'bad', 'c'])",
        reason=r"inside a `try`", covers=OUT,
    ),
    refuse(
        "thread-pool-keyword-argument", T, "f(x, timeout=1): map passes positionally only",
        """
        import time


        def fetch(key, timeout=0):
            time.sleep(0.001)
            return (key, timeout)


        def fetch_all(keys):
            return [fetch(k, timeout=1) for k in keys]
        """,
        "fetch_all(['a'])",
        reason=r"passes keyword arguments", covers=SHAPE,
    ),
    # --- sound edges --------------------------------------------------------------------------------
    apply(
        "thread-pool-read-files", T, "reading files in order: results in the same order", """
        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_all(paths):
            out = []
            for p in paths:
                out.append(read(p))
            return out
        """,
        "read_all(paths)", setup=FILES, covers=IO,
    ),
    apply(
        "thread-pool-comprehension-with-constant", T, "an extra constant argument becomes itertools.repeat",
        """
        import time


        def fetch(key, delay):
            time.sleep(delay)
            return key * 2


        def fetch_all(keys):
            return [fetch(k, 0.001) for k in keys]
        """,
        "fetch_all(['a', 'b', 'c'])", probes="fetch_all([])", covers=EXTRA,
    ),
    apply(
        "thread-pool-failure-in-the-middle", T, "the first failing item's exception surfaces, as in the loop",
        """
        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_all(paths):
            out = []
            for p in paths:
                out.append(read(p))
            return out
        """,
        "read_all([paths[0], '/nonexistent/x', '/nonexistent/y'])", setup=FILES, covers=INDEPENDENT,
    ),
    apply(
        "thread-pool-suppress-keeps-partial", T, "contextlib.suppress around the loop: list.extend keeps what "
        "was appended before the failure",
        """
        import contextlib


        def read(path):
            with open(path) as handle:
                return handle.read()


        def read_some(paths):
            out = []
            with contextlib.suppress(FileNotFoundError):
                for p in paths:
                    out.append(read(p))
            return out
        """,
        "read_some([paths[0], paths[1], '/nonexistent/x', paths[2]])", setup=FILES, covers=OUT,
    ),
    apply(
        "thread-pool-parameter-extra-argument", T, "a parameter and a module constant as extra arguments",
        """
        import os

        ENCODING = "utf-8"


        def read(name, root, encoding):
            with open(os.path.join(root, name), encoding=encoding) as handle:
                return handle.read()


        def read_all(names, root):
            return [read(n, root, ENCODING) for n in names]
        """,
        "read_all(names, root)", setup=FILES, covers=EXTRA,
    ),
    refuse(
        "thread-pool-parameter-named-concurrent", T, "a parameter named `concurrent` hides the module the pool "
        "needs",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def fetch_all(keys, concurrent=1):
            out = []
            for k in keys:
                out.append(fetch(k))
            return out
        """,
        "fetch_all(['a', 'b'])",
        reason=r"`concurrent` is a local name", covers=SHAPE,
    ),
    refuse(
        "thread-pool-concurrent-of-enclosing-function", T, "`concurrent` is a parameter of the enclosing "
        "function: the nested function's pool would read it",
        """
        import time


        def fetch(key):
            time.sleep(0.001)
            return key


        def make(concurrent):
            def fetch_all(keys):
                out = []
                for k in keys:
                    out.append(fetch(k))
                return out
            return fetch_all
        """,
        "make(2)(['a', 'b'])",
        reason=r"`concurrent` is a local name|enclosing|free variable", covers=SHAPE, site="fetch_all",
    ),
)
