"""Small talk: thanks, goodbyes and "ok" get a short polite answer from whoever owns the
conversation, never a fallback. A persona overrides one with ``@persona.small_talk(kind)``,
or with a pattern dialog of its own (patterns are tried first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .intents import Pattern

if TYPE_CHECKING:
    from .turn import Turn

_POLITE = r"(?:(?:ok(?:ay)?|great|perfect|awesome|cool|nice|brilliant|lovely|super)[\s,!.]*)?"
_END = r"[\s!.:;)(^*~-]*(?:[:;]-?[)D]|<3)?[\s!.]*$"
# Whole messages only: "thanks, and when is payday?" is a question, not small talk.
KINDS: dict[str, Pattern] = {
    "thanks": Pattern(
        rf"^\s*{_POLITE}(?:thanks?|thank (?:you|u)|thx|tnx|ty|cheers|ta|much appreciated|"
        r"appreciate (?:it|that))(?: (?:so|very) much| a lot| again| heaps| loads)?"
        rf"(?: (?:for (?:that|this|the help|your help|everything|helping)))?{_END}",
        is_regex=True),
    "bye": Pattern(
        rf"^\s*{_POLITE}(?:(?:thanks?|thank you)[\s,!.]*)?"
        r"(?:(?:good)?bye(?: bye)?|good bye|see (?:you|ya)(?: later| soon)?|"
        r"later|cya|ttyl|(?:have a )?(?:good|nice|great) (?:day|one|weekend|evening)|"
        r"that(?:'?s| is) (?:all|it)(?: for now)?|nothing else|(?:i'?m|i am) (?:good|done|all set))"
        rf"(?:[\s,!.]+(?:thanks?|thank you|bye))?{_END}",
        is_regex=True),
    "ok": Pattern(
        rf"^\s*(?:ok(?:ay)?|k|great|perfect|awesome|cool|nice|got it|understood|noted|"
        rf"sounds good|makes sense|fair enough|alright|all right){_END}",
        is_regex=True),
}
REPLIES = {
    "thanks": "You're welcome! Anything else I can help with?",
    "bye": "Bye for now! Message me here any time.",
    "ok": "Great. Anything else I can help with?",
}


def kind_of(text: str) -> str | None:
    """Which small talk ``text`` is ("thanks", "bye", "ok"), or None."""
    return next((kind for kind, pattern in KINDS.items() if pattern.matches(text)), None)


def default_reply(kind: str):
    """The framework's answer to a kind of small talk, as a dialog."""

    async def reply(turn: Turn) -> None:
        await turn.say(REPLIES[kind])

    reply.__qualname__ = f"small_talk_{kind}"
    return reply
