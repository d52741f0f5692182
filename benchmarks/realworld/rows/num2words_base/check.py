"""Extra check for num2words.base: a float's decimals do not depend on the float converted before it.

``float2tuple`` looks pure (it returns the integer and decimal parts) but also stores the number of
decimals in ``self.precision``, which ``to_cardinal_float`` reads right after. Cached, a repeated
value skips that store and is spelled with the previous value's precision.
"""

from num2words import num2words

first = num2words(1.5)
num2words(2.25)
again = num2words(1.5)
assert first == "one point five", first
assert again == first, f"{again!r} after 2.25 (was {first!r})"
print("ok")
