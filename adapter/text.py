"""Slack message text: escaping what we send, reading what users type."""

from __future__ import annotations

import re

_ENTITY = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_TOKEN = re.compile(r"<([^<>]*)>")


class Mrkdwn(str):
    """Text already written in Slack mrkdwn; ``Turn.say`` sends it as is.

    Plain ``str`` is escaped, so a user's words can never become ``<!channel>``
    or a mention. Wrap only text you wrote yourself, e.g. ``Mrkdwn(f"<@{user}>")``.
    """


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters."""
    if isinstance(text, Mrkdwn):
        return str(text)
    return text.translate(_ENTITY)


def unescape(text: str) -> str:
    """Turn Slack's ``&amp;``, ``&lt;`` and ``&gt;`` back into characters."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _readable(token: str) -> str:
    body, _, label = token.partition("|")
    if body.startswith("@"):
        return "@" + (label or body[1:])
    if body.startswith("#"):
        return "#" + (label or body[1:])
    if body.startswith("!"):
        name = body[1:].split("^")[0]
        return "@" + (label or name)
    return label or body


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_text(slack_text: str, bot_user_id: str | None = None) -> str:
    """What the user typed, as plain text: our own mention removed, tokens made readable,
    and a lone surrogate (not a character; no UTF-8 can hold it) replaced by U+FFFD."""
    text = _SURROGATE.sub("\ufffd", slack_text)
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    text = _TOKEN.sub(lambda m: _readable(m.group(1)), text)
    return " ".join(unescape(text).split())
