"""Slack emoji shortcodes and the characters they stand for, from the ``emoji`` package."""

from __future__ import annotations

import json
from functools import cache

import emoji

FULLY_QUALIFIED = emoji.STATUS["fully_qualified"]


@cache
def shortcodes() -> dict[str, str]:
    """Every shortcode (lowercase, without colons) -> its emoji.

    The package's aliases come first, as they are mostly Slack's names (``sob``, ``tada``,
    ``cat`` for the face), then its CLDR names (``loudly_crying_face``). Where several
    characters share a name, the fully qualified one (with its variation selector) wins.
    """
    ranked = sorted(emoji.EMOJI_DATA.items(),
                    key=lambda item: (item[1]["status"] != FULLY_QUALIFIED, item[1]["status"]))
    names: dict[str, str] = {}
    for key in ("alias", "en"):
        for character, data in ranked:
            found = data.get(key, [])
            for name in [found] if isinstance(found, str) else found:
                names.setdefault(name.strip(":").lower(), character)
    return names


@cache
def shortcodes_json() -> bytes:
    """``shortcodes()`` as the JSON body the page loads (built once per process)."""
    return json.dumps(shortcodes(), ensure_ascii=False, separators=(",", ":")).encode()
