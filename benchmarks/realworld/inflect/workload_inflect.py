"""A templating layer's use of inflect: plurals, singulars, articles and numbers in generated text."""

from __future__ import annotations

import inflect

NOUNS = ("cat dog church box knife leaf man woman child person mouse goose ox cactus fungus analysis "
         "criterion phenomenon datum index matrix vertex hero potato echo tomato piano photo radio "
         "city lady boy day key story family baby army company country party wife life wolf half "
         "sheep fish deer series species bus kiss wish watch quiz fox tax bench brush dish").split()
VERBS = "run swim write make take see go be have do sit hit cut stop plan admit occur prefer visit open".split()


def run() -> list[str]:
    p = inflect.engine()
    out = []
    for i in range(12):
        for w in NOUNS:
            out.append(p.plural(w))
            out.append(p.singular_noun(p.plural_noun(w)) or w)
            out.append(p.a(w))
        out.extend(p.present_participle(v) for v in VERBS)
        for n in range(0, 2000, 37):
            out.append(p.number_to_words(n * 7 + i))
            out.append(p.ordinal(n))
    return out
