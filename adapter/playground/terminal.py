"""Local mode without Slack credentials: chat in the terminal against the embedded fake Slack."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from ..testing import FakeSlack, Message
from ..text import unescape
from .app_view import PlaygroundApp

HELP = ("Type a message and press Enter; under a message with buttons, type a button's "
        "number to click it. /new starts a new thread, /quit leaves.")


def _read_line(read: Callable[[], str]) -> asyncio.Future[str]:
    """``read()`` in a daemon thread: a pending ``input()`` must not keep the process alive
    after a signal has stopped the chat."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def work() -> None:
        try:
            line = read()
        except BaseException as error:  # EOFError and friends go to the chat loop
            loop.call_soon_threadsafe(_settle, future, None, error)
        else:
            loop.call_soon_threadsafe(_settle, future, line, None)

    threading.Thread(target=work, name="baton-terminal-input", daemon=True).start()
    return future


def _settle(future: asyncio.Future[str], line: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(line or "")


def choices(post: Message) -> str:
    """The buttons under a post as numbered choices, e.g. "  [1] Milk  [2] Black"."""
    return "  " + "  ".join(f"[{n}] {b['text']['text']}" for n, b in enumerate(post.buttons, 1))


async def chat(app: PlaygroundApp, *, read: Callable[[], str] | None = None,
               out: TextIO = sys.stdout) -> None:
    """Talk to the app as a Slack user would; each reply shows the persona's display name,
    and buttons show as numbered choices that typing the number clicks."""
    read = read or input

    def show(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    async with FakeSlack(app) as slack:
        names = ", ".join(p.display_name or p.name for p in app.registry.personas.values())
        show("Baton local mode (no Slack tokens found): a fake Slack on this machine.")
        show(f"Personas: {names}. {HELP}")
        convo = slack.conversation(user="U0YOU", channel="C0LOCAL")
        while True:
            try:
                line = (await _read_line(read)).strip()
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
            offered = [p for p in convo.posts if p.buttons]
            buttons = offered[-1].buttons if offered else []
            if line.isdigit() and 1 <= int(line) <= len(buttons):
                await slack.click(offered[-1], buttons[int(line) - 1]["text"]["text"],
                                  user=convo.user)
            else:
                await convo.user_says(line)
            for post in convo.posts[seen:]:
                show(f"{post.username}: {unescape(post.text)}")
                if post.buttons:
                    show(choices(post))
