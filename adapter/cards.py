"""TeamCard: what a human team's handoff card shows, as a frozen value (the Slack side
renders it as Block Kit)."""

from __future__ import annotations

from dataclasses import dataclass

from .buttons import Button

CLAIM = "claim"  # the card's button actions, answered by the engine for the team
RELEASE = "release"


@dataclass(frozen=True)
class TeamCard:
    """A handoff card in a team's channel: who asks what, the thread so far, what the bots
    stored, the sender's private note, a link to the thread, how it stands, its buttons."""

    team: str  # the team's display name
    sender: str  # the persona's display name that handed it over
    asker: str  # the Slack user id of the person asking
    message: str | None
    status: str  # one line of Baton's own mrkdwn (mentions stay live): waiting, claimed...
    recent: tuple[tuple[str, str], ...] = ()  # the thread's last messages: (who, text)
    stored: tuple[tuple[str, str], ...] = ()  # ("trip.city", '"Oslo"'): this conversation's
    note: str | None = None  # from the sender, for the team only
    link: str | None = None  # to the user's thread
    buttons: tuple[Button, ...] = ()

    def summary(self) -> str:
        """The card as one line of plain text (notifications, clients without blocks)."""
        asked = f": {self.message}" if self.message else ""
        return f"{self.team}: <@{self.asker}> needs a person{asked} ({self.status})"
