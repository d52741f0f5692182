"""Extra check for inflect: an engine's plural follows its own settings after they change.

``engine.plural`` reads the engine's mutable state (``classical()`` switches, ``defnoun()`` user
words). Cached on ``(self, text, count)`` it keeps answering with the settings of its first call.
"""

import inflect

p = inflect.engine()
assert (p.plural("cow"), p.plural("VAX"), p.plural_noun("formula")) == ("cows", "VAXES", "formulas")
p.classical(all=True)
assert p.plural("cow") == "kine", p.plural("cow")
assert p.plural_noun("formula") == "formulae", p.plural_noun("formula")
p.defnoun("VAX", "VAXen")
assert p.plural("VAX") == "VAXEN", p.plural("VAX")
print("ok")
