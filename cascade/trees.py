"""Walks over a tree given as a parent map (child -> parent, None at a top): the unit tree
and the strategy tree. Every walk stops at a loop instead of running forever, since a file
or a race could hold one, and each is O(depth) or O(size) — never worse."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def ancestors(key: K, parent: Mapping[K, K | None]) -> list[K]:
    """The chain above `key`, nearest first (a key outside the map has none).

    >>> ancestors("team", {"org": None, "tribe": "org", "team": "tribe"})
    ['tribe', 'org']
    >>> ancestors("a", {"a": "b", "b": "a"})
    ['b']
    """
    chain: list[K] = []
    seen = {key}
    current = parent.get(key)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parent.get(current)
    return chain


def within(key: K, ancestor: K, parent: Mapping[K, K | None]) -> bool:
    """Whether `key` is `ancestor` or anywhere below it.

    >>> tree = {"org": None, "tribe": "org", "team": "tribe"}
    >>> within("team", "org", tree), within("org", "org", tree), within("org", "team", tree)
    (True, True, False)
    """
    return key == ancestor or ancestor in ancestors(key, parent)


def below(key: K, ancestor: K, parent: Mapping[K, K | None]) -> bool:
    """Whether `key` is strictly below `ancestor`.

    >>> below("tribe", "org", {"org": None, "tribe": "org"}), below("org", "org", {"org": None})
    (True, False)
    """
    return key != ancestor and ancestor in ancestors(key, parent)


def depth(key: K, parent: Mapping[K, K | None]) -> int:
    """How many steps below a top `key` is (a top is at 0)."""
    return len(ancestors(key, parent))


def children_of(parent: Mapping[K, K | None]) -> dict[K | None, list[K]]:
    """Each key's children, in the map's order; the tops are listed under None."""
    kids: dict[K | None, list[K]] = {}
    for key, up in parent.items():
        kids.setdefault(up if up in parent else None, []).append(key)
    return kids


def subtree(root: K, children: Mapping[K, Iterable[K]]) -> list[K]:
    """`root` and everything below it, depth-first (parents before their children).

    >>> subtree("org", {"org": ["a", "b"], "a": ["a1"]})
    ['org', 'a', 'a1', 'b']
    """
    out: list[K] = []
    seen: set[K] = set()
    stack = [root]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        out.append(key)
        stack.extend(reversed(list(children.get(key, ()))))
    return out


def outline(items: Iterable[T], *, key: Callable[[T], Any], parent: Callable[[T], Any],
            order: Callable[[T], Any]) -> list[tuple[T, int]]:
    """Items depth-first with their depth, siblings sorted by `order`; an item whose parent
    is missing counts as a top, and items caught in a loop come last as tops.

    >>> rows = [("b", "a"), ("a", None), ("c", "a")]
    >>> [(k, d) for (k, _), d in outline(rows, key=lambda r: r[0], parent=lambda r: r[1],
    ...                                   order=lambda r: r[0])]
    [('a', 0), ('b', 1), ('c', 1)]
    """
    items = list(items)
    known = {key(item) for item in items}
    kids: dict[Any, list[T]] = {}
    for item in items:
        up = parent(item)
        kids.setdefault(up if up in known else None, []).append(item)
    for siblings in kids.values():
        siblings.sort(key=order)
    out: list[tuple[T, int]] = []
    seen: set[Any] = set()

    def walk(tops: list[T]) -> None:
        stack = [(item, 0) for item in reversed(tops)]
        while stack:
            item, level = stack.pop()
            if key(item) in seen:
                continue
            seen.add(key(item))
            out.append((item, level))
            stack.extend((kid, level + 1) for kid in reversed(kids.get(key(item), ())))

    walk(kids.get(None, []))
    walk(sorted((i for i in items if key(i) not in seen), key=order))
    return out


def unit_order(name: str, archived: bool = False) -> tuple[bool, str]:
    """How units are listed wherever the unit tree is shown: active before archived, then by
    name regardless of case."""
    return archived, name.lower()
