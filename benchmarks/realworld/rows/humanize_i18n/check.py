"""Extra check for humanize.i18n: a translation activated after a first call must be used.

The naive rewrite caches ``_gettext``/``_pgettext`` on the message alone, but their result depends
on the thread-local active locale (``humanize.activate``): French ordinals come back in English.
"""

import humanize

english = humanize.ordinal(2), humanize.apnumber(3)
humanize.activate("fr_FR")
try:
    french = humanize.ordinal(2), humanize.apnumber(3)
finally:
    humanize.deactivate()
again = humanize.ordinal(2), humanize.apnumber(3)
assert english == ("2nd", "three"), english
assert french != english, f"activate('fr_FR') had no effect: {french}"
assert again == english, again
print("ok", english, french)
