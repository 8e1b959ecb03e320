"""``baton run``: check, connect, serve until a signal, then stop gracefully."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from .app import App
from .errors import BatonError, ConfigError
from .settings import Settings

log = logging.getLogger("baton")


def run(settings: Settings, *, force_http: bool = False, terminal: bool = False) -> int:
    """Validate the bots, build the app, and run it in the mode the credentials choose."""
    from .cli import build_app
    from .validate import validate

    _configure_logging(settings.log_level)
    problems = validate(settings.bots)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"baton: {settings.bots} has {len(problems)} problem"
              f"{'s' if len(problems) > 1 else ''}; fix {'them' if len(problems) > 1 else 'it'} "
              "(`baton validate` lists the same).", file=sys.stderr)
        return 1
    app = build_app(None, settings)  # type: ignore[arg-type]
    return run_app(app, settings, force_http=force_http, terminal=terminal)


def run_app(app: App, settings: Settings, *, force_http: bool = False,
            terminal: bool = False) -> int:
    registry = app.registry
    log.info("loaded %d personas (%s), skills %s, %d intents; %s",
             len(registry.personas), ", ".join(registry.personas), ", ".join(registry.skills),
             len(registry.catalog), registry.classifier_note)
    mode = "http" if force_http else settings.mode
    try:
        if mode == "playground":
            return asyncio.run(_local(app, settings, terminal))
        return asyncio.run(_serve(app, settings, mode))
    except KeyboardInterrupt:
        return 0
    finally:
        app.close()


async def _serve(app: App, settings: Settings, mode: str) -> int:
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
    await _until_signal()
    log.info("stopping: finishing %d events in flight", len(app.in_flight))
    await app.stop()
    log.info("stopped")
    return 0


async def _local(app: App, settings: Settings, terminal: bool) -> int:
    try:
        from .playground import serve_playground
    except ImportError:
        terminal = True
    if terminal:
        from .terminal import chat

        await chat(app)
        return 0
    try:
        playground = await serve_playground(app, host=settings.host, port=settings.port)
    except OSError as error:
        raise ConfigError(f"cannot listen on {settings.host}:{settings.port} ({error.strerror});"
                          " pick another port with --port or BATON_PORT.") from None
    print(f"Baton playground (no Slack credentials found): open {playground.url}", flush=True)
    await _until_signal()
    await playground.close()
    return 0


async def _until_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level.upper() != "DEBUG":  # Bolt and slack_sdk are chatty at INFO
        for noisy in ("baton.bolt", "slack_bolt", "slack_sdk", "aiohttp.access"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
