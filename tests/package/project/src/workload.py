import textkit
from textkit.core import report

TEXT = " ".join(f"Word{i % 97}, other{i % 13}; THE end." for i in range(3000))


def run():
    return textkit.banner("report"), report(list(range(26, 40, 2)), 10), textkit.normalise(TEXT)
