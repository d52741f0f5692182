"""Tags compared by name, case-insensitively; hashed by identity (they are mutable)."""

from __future__ import annotations


class Tag:
    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tag) and self.name.lower() == other.name.lower()

    __hash__ = object.__hash__


RESERVED = [Tag("admin"), Tag("root"), Tag("system")]
REGISTRY: list[str] = []


def is_reserved(tag: Tag) -> bool:
    return any(tag == reserved for reserved in RESERVED)


def register(tag: Tag) -> None:
    if not is_reserved(tag):
        REGISTRY.append(tag.name)
