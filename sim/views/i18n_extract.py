"""Message extraction for Babel that reads the code's syntax tree, so a message inside an f-string is found.

Babel's own Python extractor reads tokens, and before Python 3.12 an f-string is one token: a ``_()``
inside ``f"...{_('Met')}..."`` would be missed, and ``pybabel update`` would then drop its translation.
babel.cfg names this function for every Python file.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import IO, Any


def extract(fileobj: IO[bytes], keywords: Iterable[str], comment_tags: list[str], options: dict[str, Any]) -> Iterator:
    """Yield ``(lineno, funcname, messages, comments)`` for every call of a function named in ``keywords``.

    ``messages`` holds each argument's text (None where it is not a string literal; adjacent literals are
    joined by the parser); Babel picks the message arguments by the keyword's spec (``ngettext:1,2``).
    """
    names = set(keywords)
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            texts = tuple(
                a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args
            )
            if texts and texts[0]:  # an empty text is no message (gettext("") is the catalog header)
                yield node.lineno, node.func.id, texts[0] if len(texts) == 1 else texts, []
