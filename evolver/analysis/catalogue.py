"""What the standard library and the builtin types' methods do, as data.

Each entry says, for one function (by qualified name: ``heapq.heappush``) or one method of an
exact builtin type (``list.append``): what hidden state it reads (clock, random, environment,
files, network, stdin), what state outside its arguments it changes (stdout, files, network,
logging, process, random), which arguments it mutates, which it calls back (``key=``, ``re.sub``'s
replacement), whether it blocks on I/O, whether it can raise on well-typed arguments, whether its
result is a new object, and what kind it returns. A call of anything not listed is unknown code.

Every call also runs its arguments' special methods (``len`` runs ``__len__``, ``sorted`` runs
``__lt__``): those are builtin (and quiet) only for exact builtin arguments; the analyses check that.
The catalogue leans on one assumption, ``stdlib-as-documented``: the standard library behaves as
documented and is not patched.
"""

from __future__ import annotations

from dataclasses import dataclass

Position = int | str  # an argument's position, a keyword's name, or "self" (a method's receiver)


@dataclass(frozen=True)
class Call:
    result: str = "?"  # kind spec: "int", "str", "list[str]", "self", "item", "list[item]", "?" (unknown)
    reads: frozenset[str] = frozenset()  # hidden inputs: clock, random, environment, files, network, stdin, process
    writes: frozenset[str] = frozenset()  # outside effects: stdout, files, network, logging, process, random
    mutates: tuple[Position, ...] = ()
    calls: tuple[Position, ...] = ()  # arguments it calls (callbacks); "*" for every positional one
    blocks: bool = False
    raises: bool = True
    fresh: bool = False
    lazy: bool = False  # returns an iterator that consumes its arguments (and calls back) while iterated
    special: str = ""  # a refinement that reads the call's arguments: "open", "urlopen", "http-verb", "regex-sub"
    opens: str = ""  # the result holds an open file or connection: "always", or when this keyword is true

    @property
    def pure(self) -> bool:
        """No hidden input, no outside effect, no mutated argument, no callback."""
        return not (self.reads or self.writes or self.mutates or self.calls or self.special or self.lazy)


CATALOGUE: dict[str, Call] = {}
MODULE_DEFAULTS: dict[str, Call] = {}  # "math": what any math.<name> not listed does
METHODS: dict[str, Call] = {}  # "str.lower"


def _add(table: dict[str, Call], names: str, prefix: str = "", **facts: object) -> None:
    for name in names.split():
        table[prefix + name] = Call(**facts)  # type: ignore[arg-type]


def lookup(qualified: str) -> Call | None:
    """What calling the function ``qualified`` does; None when it is not known."""
    found = CATALOGUE.get(qualified)
    if found is not None:
        return found
    module, _, _ = qualified.rpartition(".")
    while module:
        default = MODULE_DEFAULTS.get(module)
        if default is not None:
            return default
        module, _, _ = module.rpartition(".")
    return None


BUILTIN_TYPES: dict[str, type] = {t.__name__: t for t in (int, bool, float, complex, str, bytes, bytearray, list,
                                                          tuple, dict, set, frozenset, range)}
BUILTIN_TYPES["none"] = type(None)


def missing(base: str, name: str) -> bool:
    """An exact value of the builtin type ``base`` has no attribute ``name``: reading it raises
    AttributeError and runs nothing (``m.group`` when ``m`` may be None)."""
    found = BUILTIN_TYPES.get(base)
    return found is not None and not hasattr(found, name)


def method(base: str, name: str) -> Call | None:
    """What calling ``name`` on an exact value of the builtin type ``base`` does."""
    return METHODS.get(f"{base}.{name}")


R, W = frozenset, frozenset
FS, NET, OUT, CLOCK, RANDOM, ENV = "files", "network", "stdout", "clock", "random", "environment"

# --- builtins ---------------------------------------------------------------------------------------
B = "builtins."
_add(CATALOGUE, "len hash id", B, result="int", raises=False)
_add(CATALOGUE, "ord", B, result="int")
_add(CATALOGUE, "int", B, result="int", fresh=True)
_add(CATALOGUE, "float", B, result="float", fresh=True)
_add(CATALOGUE, "complex", B, result="complex", fresh=True)
_add(CATALOGUE, "bool callable isinstance issubclass", B, result="bool", raises=False)
_add(CATALOGUE, "all any", B, result="bool")
_add(CATALOGUE, "str repr ascii format", B, result="str?")
_add(CATALOGUE, "chr hex oct bin", B, result="str")
_add(CATALOGUE, "bytes", B, result="bytes", fresh=True)
_add(CATALOGUE, "bytearray", B, result="bytearray", fresh=True)
_add(CATALOGUE, "abs round pow divmod", B, result="number")
_add(CATALOGUE, "sum", B, result="sum")
_add(CATALOGUE, "min max", B, result="item", calls=("key",))
_add(CATALOGUE, "sorted", B, result="list[item]", calls=("key",), fresh=True)
_add(CATALOGUE, "list", B, result="list[item]", fresh=True)
_add(CATALOGUE, "tuple", B, result="tuple[item]")
_add(CATALOGUE, "set", B, result="set[item]", fresh=True)
_add(CATALOGUE, "frozenset", B, result="frozenset[item]")
_add(CATALOGUE, "dict", B, result="dict", fresh=True)
_add(CATALOGUE, "range", B, result="range", fresh=True)
_add(CATALOGUE, "reversed iter", B, result="iterator[item]", fresh=True, lazy=True)
_add(CATALOGUE, "enumerate zip", B, result="iterator", fresh=True, lazy=True)
_add(CATALOGUE, "map filter", B, result="iterator", calls=(0,), fresh=True, lazy=True)
_add(CATALOGUE, "next", B, result="?", mutates=(0,))
_add(CATALOGUE, "slice object type", B, result="?", raises=False)
_add(CATALOGUE, "getattr hasattr", B, result="?")  # runs properties and __getattr__: the analyses check
_add(CATALOGUE, "print", B, writes=W({OUT}), result="none")
_add(CATALOGUE, "input", B, reads=R({"stdin"}), writes=W({OUT}), blocks=True, result="str")
_add(CATALOGUE, "open", B, special="open", blocks=True, fresh=True, result="file", opens="always")
_add(CATALOGUE, "setattr delattr", B, mutates=(0,), result="none")
_add(CATALOGUE, "vars dir locals globals", B, reads=R({"frame"}))
_add(CATALOGUE, "eval exec", B, reads=R({"frame"}), writes=W({"frame"}))
# compile() only compiles (a SyntaxWarning may be shown); __import__ runs a module's code on its first
# import; breakpoint() hands the frame to the debugger hook: none of them evaluates a string here
_add(CATALOGUE, "compile", B, writes=W({"warnings"}), fresh=True)
_add(CATALOGUE, "__import__", B, reads=R({"modules"}), writes=W({"import"}))
_add(CATALOGUE, "breakpoint", B, reads=R({"frame"}), writes=W({"debugger"}))
_add(CATALOGUE, "super property staticmethod classmethod", B, result="?", raises=False)

# --- pure modules (any function not listed otherwise) ----------------------------------------------
# modules whose every function (not listed below) reads only its arguments and changes nothing
for _module in ["math", "cmath", "string", "unicodedata", "binascii", "base64", "struct", "keyword", "colorsys", "zlib", "numbers", "fractions", "difflib", "textwrap", "html", "urllib.parse", "fnmatch", "statistics", "typing", "operator", "itertools", "re", "heapq", "bisect", "collections", "hashlib", "enum", "abc", "types", "posixpath", "ntpath", "os.path"]:
    MODULE_DEFAULTS[_module] = Call()

_add(CATALOGUE, "floor ceil trunc gcd lcm factorial comb perm isqrt prod", "math.", result="int")
_add(CATALOGUE, "isnan isinf isfinite isclose", "math.", result="bool", raises=False)
_add(CATALOGUE, ("sqrt exp expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh cosh tanh asinh "
                 "acosh atanh fabs hypot dist fsum pow copysign degrees radians fmod remainder ldexp erf erfc "
                 "gamma lgamma cbrt exp2 nextafter ulp"), "math.", result="float")
_add(CATALOGUE, "pi e tau inf nan", "math.", result="float", raises=False)
_add(CATALOGUE, ("ascii_letters ascii_lowercase ascii_uppercase digits hexdigits octdigits punctuation printable "
                 "whitespace"), "string.", result="str", raises=False)
_add(CATALOGUE, "maxsize", "sys.", result="int", raises=False)
_add(CATALOGUE, "capwords", "string.", result="str")
_add(CATALOGUE, "dedent indent fill shorten", "textwrap.", result="str")
_add(CATALOGUE, "wrap", "textwrap.", result="list[str]", fresh=True)
_add(CATALOGUE, "escape unescape", "html.", result="str")
_add(CATALOGUE, "quote join", "shlex.", result="str")
_add(CATALOGUE, "split", "shlex.", result="list[str]", fresh=True)
_add(CATALOGUE, "quote unquote quote_plus unquote_plus urlencode urljoin urlunparse urlunsplit", "urllib.parse.",
     result="str")
_add(CATALOGUE, "dumps", "json.", result="str", calls=("default",))
_add(CATALOGUE, "loads", "json.", result="?", calls=("object_hook", "object_pairs_hook", "parse_float",
                                                     "parse_int"), fresh=True)
_add(CATALOGUE, "load", "json.", reads=R({FS}), mutates=(0,), blocks=True, fresh=True)
_add(CATALOGUE, "dump", "json.", writes=W({FS}), mutates=(1,), blocks=True)
_add(CATALOGUE, "copy deepcopy", "copy.", result="?", fresh=True)
_add(CATALOGUE, ("iadd iand iconcat ifloordiv ilshift imatmul imod imul ior ipow irshift isub itruediv ixor "
                 "setitem delitem"), "operator.", mutates=(0,))
_add(CATALOGUE, "call", "operator.", calls=(0,))
_add(CATALOGUE, "attrgetter itemgetter methodcaller", "operator.", result="?", fresh=True)
_add(CATALOGUE, "reduce", "functools.", calls=(0,))
_add(CATALOGUE, "partial cmp_to_key", "functools.", result="?", fresh=True)
_add(CATALOGUE, "parse literal_eval dump unparse get_docstring iter_child_nodes walk", "ast.", result="?",
     fresh=True)
_add(CATALOGUE, "asdict astuple replace fields is_dataclass", "dataclasses.", result="?", fresh=True)
_add(CATALOGUE, "lru_cache cache wraps total_ordering singledispatch cached_property", "functools.", result="?")
_add(CATALOGUE, ("chain combinations combinations_with_replacement compress count cycle islice pairwise "
                 "permutations product repeat zip_longest tee"), "itertools.", result="iterator", fresh=True,
     lazy=True)
_add(CATALOGUE, "accumulate groupby", "itertools.", result="iterator", calls=(1, "func", "key"), fresh=True,
     lazy=True)
_add(CATALOGUE, "dropwhile filterfalse starmap takewhile", "itertools.", result="iterator", calls=(0,),
     fresh=True, lazy=True)
_add(CATALOGUE, "from_iterable", "itertools.chain.", result="iterator", fresh=True, lazy=True)
_add(CATALOGUE, "compile", "re.", result="pattern")
_add(CATALOGUE, "escape", "re.", result="str")
_add(CATALOGUE, "match search fullmatch", "re.", result="match?")
_add(CATALOGUE, "findall split", "re.", result="list", fresh=True)
_add(CATALOGUE, "finditer", "re.", result="iterator", fresh=True, lazy=True)
_add(CATALOGUE, "sub subn", "re.", special="regex-sub", result="str")
_add(CATALOGUE, "purge", "re.", writes=W({"module-state"}))
_add(CATALOGUE, "heappush heappop heapify heapreplace heappushpop", "heapq.", mutates=(0,))
_add(CATALOGUE, "nlargest nsmallest", "heapq.", result="list[item1]", calls=("key",), fresh=True)
_add(CATALOGUE, "merge", "heapq.", result="iterator", calls=("key",), fresh=True, lazy=True)
_add(CATALOGUE, "insort insort_left insort_right", "bisect.", mutates=(0,), calls=("key",))
_add(CATALOGUE, "bisect bisect_left bisect_right", "bisect.", result="int", calls=("key",))
_add(CATALOGUE, "deque Counter OrderedDict", "collections.", result="?", fresh=True)
_add(CATALOGUE, "defaultdict", "collections.", result="?", calls=(0,), fresh=True)
_add(CATALOGUE, "namedtuple", "collections.", result="?", fresh=True)
_add(CATALOGUE, ("md5 sha1 sha224 sha256 sha384 sha512 blake2b blake2s sha3_256 sha3_512 new"), "hashlib.",
     result="?", fresh=True)
_add(CATALOGUE, "file_digest", "hashlib.", reads=R({FS}), mutates=(0,), blocks=True)
_add(CATALOGUE, ("join basename dirname splitext split normpath normcase isabs commonprefix commonpath "
                 "splitdrive"), "os.path.", result="str?")
_add(CATALOGUE, "exists isfile isdir islink lexists getsize getmtime getatime getctime samefile", "os.path.",
     reads=R({FS}), blocks=True)
_add(CATALOGUE, "realpath abspath expanduser expandvars relpath", "os.path.", reads=R({FS, ENV}), result="str?")
_add(CATALOGUE, "mean fmean median median_low median_high mode multimode pstdev pvariance stdev variance "
     "quantiles geometric_mean harmonic_mean", "statistics.", result="?")

# --- hidden inputs and outside effects ---------------------------------------------------------------
_add(CATALOGUE, "time monotonic perf_counter process_time time_ns monotonic_ns perf_counter_ns thread_time",
     "time.", reads=R({CLOCK}), result="number", raises=False)
_add(CATALOGUE, "sleep", "time.", reads=R({CLOCK}), blocks=True, result="none")
_add(CATALOGUE, "strftime localtime gmtime ctime asctime", "time.", reads=R({CLOCK, ENV}))
_add(CATALOGUE, "now today utcnow", "datetime.datetime.", reads=R({CLOCK}))
_add(CATALOGUE, "today", "datetime.date.", reads=R({CLOCK}))
MODULE_DEFAULTS["random"] = Call(reads=R({RANDOM}), writes=W({RANDOM}))
MODULE_DEFAULTS["secrets"] = Call(reads=R({RANDOM}))
MODULE_DEFAULTS["uuid"] = Call(reads=R({RANDOM, CLOCK}))
_add(CATALOGUE, "getenv", "os.", reads=R({ENV}))
_add(CATALOGUE, "get", "os.environ.", reads=R({ENV}))
_add(CATALOGUE, "getcwd listdir scandir stat lstat readlink access", "os.", reads=R({FS}), blocks=True)
_add(CATALOGUE, "glob", "glob.", reads=R({FS}), blocks=True)
# generators: the directories are read while the result is iterated, not by the call
_add(CATALOGUE, "walk", "os.", reads=R({FS}), result="iterator", fresh=True, lazy=True)
_add(CATALOGUE, "iglob", "glob.", reads=R({FS}), result="iterator", fresh=True, lazy=True)
_add(CATALOGUE, "read", "os.", reads=R({FS}), blocks=True)
_add(CATALOGUE, ("write remove unlink rename replace mkdir makedirs rmdir removedirs chmod chown symlink link "
                 "truncate utime"), "os.", writes=W({FS}), blocks=True)
_add(CATALOGUE, "system popen kill _exit putenv unsetenv chdir", "os.", writes=W({"process"}), blocks=True)
_add(CATALOGUE, "exit", "sys.", writes=W({"process"}))
MODULE_DEFAULTS["subprocess"] = Call(writes=W({"process"}), blocks=True)
MODULE_DEFAULTS["shutil"] = Call(reads=R({FS}), writes=W({FS}), blocks=True)
MODULE_DEFAULTS["logging"] = Call(writes=W({"logging"}))
MODULE_DEFAULTS["tempfile"] = Call(writes=W({FS}), blocks=True)
_add(CATALOGUE, "Path PurePath PurePosixPath PureWindowsPath", "pathlib.", result="path", fresh=True)
_add(CATALOGUE, "open", "io.", special="open", blocks=True, fresh=True, result="file", opens="always")
_add(CATALOGUE, "StringIO BytesIO", "io.", result="?", fresh=True)
_add(CATALOGUE, "ThreadPoolExecutor", "concurrent.futures.", result="?", fresh=True)

# --- the network ------------------------------------------------------------------------------------
_add(CATALOGUE, "urlopen", "urllib.request.", special="urlopen", reads=R({NET}), blocks=True, fresh=True,
     result="response", opens="always")
MODULE_DEFAULTS["urllib.error"] = Call()  # URLError, HTTPError: exception classes, caught or raised
MODULE_DEFAULTS["requests.exceptions"] = Call()
_add(CATALOGUE, "timeout error herror gaierror", "socket.", result="?")
_add(CATALOGUE, "HTTPException IncompleteRead RemoteDisconnected", "http.client.", result="?")
_add(CATALOGUE, "Request", "urllib.request.", special="urlopen", result="?", fresh=True)
_add(CATALOGUE, "getaddrinfo gethostbyname gethostbyaddr getfqdn", "socket.", reads=R({NET}), blocks=True)
_add(CATALOGUE, "create_connection", "socket.", reads=R({NET}), blocks=True, fresh=True, result="socket",
     opens="always")
_add(CATALOGUE, "socket", "socket.", result="socket", fresh=True, opens="always")
_add(CATALOGUE, "HTTPConnection HTTPSConnection", "http.client.", result="connection", fresh=True, opens="always")
for _client in ("requests", "httpx"):
    _add(CATALOGUE, "get head options", f"{_client}.", reads=R({NET}), blocks=True, fresh=True, result="response",
         opens="stream")
    _add(CATALOGUE, "post put patch delete", f"{_client}.", writes=W({NET}), blocks=True, fresh=True,
         result="response", opens="stream")
    _add(CATALOGUE, ("RequestException ConnectionError HTTPError Timeout ConnectTimeout ReadTimeout "
                     "TooManyRedirects HTTPStatusError TimeoutException"), f"{_client}.", result="?")
    _add(CATALOGUE, "request", f"{_client}.", special="http-verb", blocks=True, fresh=True)
    _add(CATALOGUE, "Session Client", f"{_client}.", result="?", fresh=True)

# --- methods of exact builtin values ------------------------------------------------------------------
_STR_TO_STR = ("lower upper casefold strip lstrip rstrip title capitalize swapcase center ljust rjust zfill "
               "replace expandtabs removeprefix removesuffix")
for _base in ("str", "bytes"):
    _add(METHODS, _STR_TO_STR, f"{_base}.", result=_base, raises=False)
    _add(METHODS, "split rsplit splitlines", f"{_base}.", result=f"list[{_base}]", fresh=True, raises=False)
    _add(METHODS, "partition rpartition", f"{_base}.", result=f"tuple[{_base},{_base},{_base}]")
    _add(METHODS, ("startswith endswith isdigit isalpha isalnum isspace isupper islower istitle isascii "
                   "isdecimal isnumeric isidentifier isprintable"), f"{_base}.", result="bool", raises=False)
    _add(METHODS, "find rfind count", f"{_base}.", result="int", raises=False)
    _add(METHODS, "index rindex", f"{_base}.", result="int")
    _add(METHODS, "join", f"{_base}.", result=_base)
    _add(METHODS, "translate", f"{_base}.", result=_base)
_add(METHODS, "format format_map", "str.", result="str")
_add(METHODS, "encode", "str.", result="bytes")
_add(METHODS, "decode hex", "bytes.", result="str")
_add(METHODS, "maketrans", "str.", result="dict", fresh=True)
for _base in ("list", "deque"):
    _add(METHODS, "append extend insert remove clear reverse", f"{_base}.", mutates=("self",), result="none")
    _add(METHODS, "pop", f"{_base}.", mutates=("self",), result="item")
    _add(METHODS, "count", f"{_base}.", result="int")
    _add(METHODS, "index", f"{_base}.", result="int")
    _add(METHODS, "copy", f"{_base}.", result="self", fresh=True, raises=False)
_add(METHODS, "sort", "list.", mutates=("self",), calls=("key",), result="none")
_add(METHODS, "count index", "tuple.", result="int")
_add(METHODS, "appendleft extendleft rotate", "deque.", mutates=("self",), result="none")
_add(METHODS, "popleft", "deque.", mutates=("self",), result="item")
for _base in ("dict", "defaultdict"):
    _add(METHODS, "get", f"{_base}.", result="value?")
    _add(METHODS, "keys", f"{_base}.", result="view[keys]", raises=False, lazy=True)
    _add(METHODS, "values", f"{_base}.", result="view[values]", raises=False, lazy=True)
    _add(METHODS, "items", f"{_base}.", result="view[items]", raises=False, lazy=True)
    _add(METHODS, "copy", f"{_base}.", result="self", fresh=True, raises=False)
    _add(METHODS, "setdefault update pop popitem clear", f"{_base}.", mutates=("self",), result="?")
_add(METHODS, "fromkeys", "dict.", result="dict", fresh=True)
for _base in ("set", "frozenset"):
    _add(METHODS, "union intersection difference symmetric_difference", f"{_base}.", result="self", fresh=True)
    _add(METHODS, "issubset issuperset isdisjoint", f"{_base}.", result="bool")
    _add(METHODS, "copy", f"{_base}.", result="self", fresh=True, raises=False)
_add(METHODS, ("add discard remove pop clear update intersection_update difference_update "
               "symmetric_difference_update"), "set.", mutates=("self",), result="?")
_add(METHODS, "bit_length bit_count", "int.", result="int", raises=False)
_add(METHODS, "to_bytes", "int.", result="bytes")
_add(METHODS, "is_integer", "float.", result="bool", raises=False)
_add(METHODS, "hex", "float.", result="str")
_add(METHODS, "match search fullmatch", "pattern.", result="match?")
_add(METHODS, "findall split", "pattern.", result="list", fresh=True)
_add(METHODS, "finditer", "pattern.", result="iterator", fresh=True, lazy=True)
_add(METHODS, "sub subn", "pattern.", special="regex-sub", result="str")
_add(METHODS, "group groups groupdict expand start end span", "match.", result="?")

# --- library objects (what the functions above return) -------------------------------------------
_add(METHODS, "read readline readlines readinto", "file.", reads=R({FS}), mutates=("self",), blocks=True)
_add(METHODS, "write writelines truncate", "file.", writes=W({FS}), mutates=("self",), blocks=True)
_add(METHODS, "seek tell flush close fileno", "file.", mutates=("self",))
_add(METHODS, "read readline", "response.", reads=R({NET}), mutates=("self",), blocks=True, result="bytes")
_add(METHODS, "readlines readinto", "response.", reads=R({NET}), mutates=("self",), blocks=True)
_add(METHODS, "json", "response.", reads=R({NET}), mutates=("self",), blocks=True, fresh=True)
_add(METHODS, "getcode geturl info getheader getheaders raise_for_status close", "response.", mutates=("self",))
_add(METHODS, "recv recv_into recvfrom makefile", "socket.", reads=R({NET}), mutates=("self",), blocks=True)
_add(METHODS, "send sendall sendto sendfile", "socket.", writes=W({NET}), mutates=("self",), blocks=True)
_add(METHODS, "connect close shutdown accept", "socket.", writes=W({NET}), mutates=("self",), blocks=True)
# options of the local socket: nothing goes over the network
_add(METHODS, "settimeout setblocking setsockopt bind listen", "socket.", mutates=("self",))
_add(METHODS, "read_text", "path.", reads=R({FS}), blocks=True, result="str", fresh=True)
_add(METHODS, "read_bytes", "path.", reads=R({FS}), blocks=True, result="bytes", fresh=True)
_add(METHODS, "exists is_file is_dir", "path.", reads=R({FS}), blocks=True, result="bool")
_add(METHODS, "stat iterdir glob rglob resolve", "path.", reads=R({FS}), blocks=True)
_add(METHODS, ("write_text write_bytes unlink mkdir rmdir rename replace touch chmod symlink_to hardlink_to "
               "open"), "path.", writes=W({FS}), blocks=True)
_add(METHODS, "joinpath with_suffix with_name relative_to as_posix is_absolute", "path.", result="?")
_add(METHODS, "request putrequest", "connection.", special="http-verb", reads=R({NET}), mutates=("self",),
     blocks=True)
_add(METHODS, "endheaders send", "connection.", writes=W({NET}), mutates=("self",), blocks=True)
_add(METHODS, "putheader set_debuglevel set_tunnel", "connection.", mutates=("self",))
_add(METHODS, "getresponse connect", "connection.", reads=R({NET}), mutates=("self",), blocks=True, result="response")
_add(METHODS, "close", "connection.", mutates=("self",))
