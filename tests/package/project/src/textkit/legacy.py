"""Kept from the Python 2 days; nothing imports it."""

print "textkit"
