"""Serving an app as a process: Socket Mode, HTTP mode or the local playground, chosen from
the credentials, until SIGINT/SIGTERM; then a graceful stop.

It works on anything shaped like an ``App`` (the ``Servable`` protocol), so ``App.run``
can use it without an import circle.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from .errors import BatonError, ConfigError
from .playground.app_view import PlaygroundApp
from .settings import Settings


class Servable(PlaygroundApp, Protocol):
    """What serving needs of an app: what the playground needs, and a way to close it."""

    identity: dict[str, Any]

    def close(self) -> None: ...

log = logging.getLogger("baton")


def run_app(app: Servable, settings: Settings, *, force_http: bool = False,
            terminal: bool = False) -> int:
    """Serve ``app`` in the mode ``settings`` choose until SIGINT/SIGTERM; close it after."""
    try:
        mode = "http" if force_http else settings.mode
        registry = app.registry
        registry.prepare()  # the first message should not wait for the classifier
        log.info("loaded %d personas (%s), skills %s, %d intents; %s",
                 len(registry.personas), ", ".join(registry.personas),
                 ", ".join(registry.skills), len(registry.catalog), registry.classifier_note)
        if mode == "playground":
            return asyncio.run(_local(app, settings, terminal))
        return asyncio.run(_serve(app, settings, mode))
    except KeyboardInterrupt:  # before the signal handlers are in place: nothing to finish
        return 130
    finally:
        app.close()


async def _serve(app: Servable, settings: Settings, mode: str) -> int:
    received = _catch_signals()
    try:
        if mode == "socket":
            await app.start_socket_mode(token=settings.bot_token, app_token=settings.app_token)
            where = "Socket Mode"
        else:
            port = await app.start_http(settings.port, settings.host, token=settings.bot_token,
                                        signing_secret=settings.signing_secret)
            where = f"HTTP mode on http://{settings.host}:{port}/slack/events"
    except BatonError as error:
        print(f"baton: {error}", file=sys.stderr)
        return 1
    identity = app.identity
    log.info("connected to Slack as @%s in %s, %s", identity.get("user"), identity.get("team"),
             where)
    _settled()
    await _stop_on_signal(app, received, app.stop)
    return 0


async def _local(app: Servable, settings: Settings, terminal: bool) -> int:
    received = _catch_signals()
    try:
        from .playground import serve_playground
    except ImportError:
        terminal = True
    if terminal:
        from .playground.terminal import chat

        chatting = asyncio.create_task(chat(app))
        await _stop_on_signal(app, received, _cancel(chatting), until=chatting)
        return 0
    try:
        playground = await serve_playground(app, host=settings.host, port=settings.port)
    except OSError as error:
        raise ConfigError(f"cannot listen on {settings.host}:{settings.port} ({error.strerror});"
                          " pick another port with --port or BATON_PORT.") from None
    _settled()
    print(f"Baton playground (no Slack credentials found): open {playground.url}", flush=True)
    await _stop_on_signal(app, received, playground.close)
    return 0


def _cancel(task: asyncio.Task[None]) -> Callable[[], Awaitable[None]]:
    async def cancel() -> None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    return cancel


# Collections after this many new objects (and young collections), not Python's 700
# (and 10, 10): with many conversations at once every message's objects outlive a few
# young collections, so each of those, and the full ones, rescan a crowd of live objects.
# Measured at 1,000 conversations at once: 0.27 ms of collector time a message with the
# defaults, 0.03 ms with these (benchmarks/scale.py, docs/SCALING.md); memory stays
# bounded, as refcounting frees nearly everything long before a collection would.
GC_THRESHOLDS = (50_000, 20, 100)


def _settled() -> None:
    """Everything loaded at start-up lives as long as the process: take it out of the
    garbage collector's sight, so it does not scan all of it again and again while
    messages are handled (measured: about 0.05 ms a message, benchmarks/process.py), and
    collect less often (``GC_THRESHOLDS``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _catch_signals() -> asyncio.Future[signal.Signals]:
    """The first SIGINT or SIGTERM from now on, caught before anything is announced, so a
    signal sent the moment Baton says it is ready still stops it gracefully."""
    loop = asyncio.get_running_loop()
    received: asyncio.Future[signal.Signals] = loop.create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda s=sig: received.done() or received.set_result(s))
    return received


async def _stop_on_signal(app: Servable, received: asyncio.Future[signal.Signals],
                          stop: Callable[[], Awaitable[None]], *,
                          until: asyncio.Future[None] | None = None) -> None:
    """Serve until a signal arrives (or ``until`` is done), then stop, saying so and how
    much was still in flight."""
    await asyncio.wait([received, *([until] if until else [])],
                       return_when=asyncio.FIRST_COMPLETED)
    if received.done():
        pending = len(app.in_flight)
        log.info("Baton is stopping (%s): %d event%s in flight, finishing %s",
                 received.result().name, pending, "" if pending == 1 else "s",
                 "it" if pending == 1 else "them")
    await stop()
    if received.done():
        log.info("Baton stopped")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level.upper() != "DEBUG":  # Bolt and slack_sdk are chatty at INFO
        for noisy in ("baton.bolt", "slack_bolt", "slack_sdk", "aiohttp.access"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
