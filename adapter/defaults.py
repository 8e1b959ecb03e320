"""What Baton says itself: a persona's welcome and fallback when it has none of its own,
and the apologies the engine gives instead of silence."""

from __future__ import annotations

from .turn import Turn

DEFAULT_FALLBACK = "Sorry, I didn't understand that. Could you rephrase it?"
DIALOG_ERROR = (
    "Sorry, something went wrong on my side and I couldn't finish that. Please try again."
)
TRANSFER_FAILED = (
    "Sorry, I couldn't hand you over to {skill} right now, so I'm staying with you. "
    "Could you try again in a moment, or ask me something else?"
)
WELCOME = "Hi, {display_name} here. How can I help?"
PARKED = ("Sorry, I couldn't answer your last message: something went wrong on my side. "
          "Please send it again in a moment.")


async def default_fallback(turn: Turn) -> None:
    await turn.say(DEFAULT_FALLBACK)


async def default_welcome(turn: Turn) -> None:
    persona = turn.directory.personas[turn.persona]
    await turn.say(WELCOME.format(display_name=persona.display_name))
