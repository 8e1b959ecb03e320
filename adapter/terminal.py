"""Local mode without Slack credentials: chat in the terminal against the embedded fake Slack."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from .app import App
from .testing import FakeSlack
from .text import unescape

HELP = "Type a message and press Enter. /new starts a new thread, /quit leaves."


async def chat(app: App, *, read: Callable[[], str] | None = None,
               out: TextIO = sys.stdout) -> None:
    """Talk to the app as a Slack user would; each reply shows the persona's display name."""
    read = read or (lambda: input())
    loop = asyncio.get_running_loop()

    def show(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    async with FakeSlack(app) as slack:
        names = ", ".join(p.display_name or p.name for p in app.personas.values())
        show("Baton local mode (no Slack tokens found): a fake Slack on this machine.")
        show(f"Personas: {names}. {HELP}")
        convo = slack.conversation(user="U0YOU", channel="C0LOCAL")
        while True:
            try:
                line = (await loop.run_in_executor(None, read)).strip()
            except EOFError:
                break
            if line in ("/quit", "/exit"):
                break
            if line == "/new":
                convo = slack.conversation(user="U0YOU", channel="C0LOCAL")
                show("-- new thread --")
                continue
            if not line:
                continue
            seen = len(convo.posts)
            await convo.user_says(line)
            for post in convo.posts[seen:]:
                show(f"{post.username}: {unescape(post.text)}")
