"""Text from users and links shown as text: never as markdown, a link, an image, a badge or HTML.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, ``st.info`` / ``st.warning`` /
``st.error`` / ``st.success``, ``st.title`` and widget labels. A scenario name, description or author,
a value read from a shared link and the text of an error about an uploaded file come from other
people: every one of them passes through :func:`md` before it is put into such a string. (HTML
outside Streamlit, e.g. the meeting pack, uses ``html.escape``.)
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark, and an escaped character is
# never markup: links and images ([]()!), emphasis (*_~), code (`), headings and lists (#+-. at a line
# start), tables (|), HTML (<>), maths ($) and Streamlit's directives and icons (:red[...], :material/x:).
_MARKUP = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|:~$^=&\"'])")


def md(text: object) -> str:
    """``text`` escaped so that Streamlit's markdown shows it exactly as written.

    Line breaks become spaces: a name or a notice is one line.
    """
    one_line = " ".join(str(text).split())
    return _MARKUP.sub(r"\\\1", one_line)


def shown(markdown: str) -> str:
    """What a reader sees of a markdown string made with :func:`md`: the escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)
