"""Extra check for sqlparse.lexer: keywords added with ``Lexer.add_keywords`` take effect at once.

``is_keyword`` reads the lexer's keyword dictionaries, which ``add_keywords``/``clear`` change (the
documented way to teach sqlparse a dialect). Cached per ``(lexer, value)`` it keeps classifying a word
the way it did before the dictionaries changed.
"""

from sqlparse import keywords, tokens
from sqlparse.lexer import Lexer, tokenize


def kind(word: str) -> object:
    return next(t for t, v in tokenize(f"select {word} from t") if v == word)


assert kind("BACON") is tokens.Name
lexer = Lexer.get_default_instance()
lexer.add_keywords({"BACON": tokens.Name.Builtin})
try:
    assert kind("BACON") is tokens.Name.Builtin, kind("BACON")
finally:
    lexer.clear()
    lexer.default_initialization()
assert kind("BACON") is tokens.Name, kind("BACON")
assert keywords.KEYWORDS_COMMON["SELECT"] is tokens.Keyword.DML
print("ok")
