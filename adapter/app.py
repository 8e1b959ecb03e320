"""App: personas, their database and their Slack connection, in one object."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from .conversations import Conversation
from .db import open_database
from .engine import Engine
from .errors import ConfigError
from .events import InFlight, ProcessedEvents
from .handoff import DEFAULT_MAX_TRANSFERS
from .manifest import missing_scopes
from .nlu import Classifier, default_classifier
from .persona import Button, Persona
from .registry import Registry
from .store import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, ContextStore, Store, StoreError

log = logging.getLogger("baton")
CHECKPOINT_INTERVAL = 5.0  # seconds


class App:
    """Several personas in one Slack app.

    Everything is checked here, at construction: a mistake raises ``ConfigError``
    naming the bad value and the fix. ``db`` defaults to env ``BATON_DB``, else
    ./baton.db; ``slack_api_url`` to env ``BATON_SLACK_API_URL``, else Slack's.
    """

    def __init__(
        self,
        personas: Sequence[Persona],
        entry: str,
        db: str | Path | None = None,
        *,
        dm_idle_timeout: float = 30 * 60,
        max_transfers: int = DEFAULT_MAX_TRANSFERS,
        fallback_skills: Mapping[str, str] | None = None,
        intent_threshold: float | None = None,
        classifier: Callable[[], Classifier] = default_classifier,
        cache_dir: str | Path | None = None,
        slack_api_url: str | None = None,
        clock: Callable[[], float] = time.time,
        max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
        max_keys: int = DEFAULT_MAX_KEYS,
        purge_interval: float = 300,
    ) -> None:
        if dm_idle_timeout <= 0:
            raise ConfigError(f"dm_idle_timeout={dm_idle_timeout!r}: give a number of seconds > 0.")
        if max_transfers < 1:
            raise ConfigError(f"max_transfers={max_transfers!r}: allow at least 1 transfer.")
        self.db_path = str(db or os.environ.get("BATON_DB") or "baton.db")
        cache = cache_dir or os.environ.get("BATON_CACHE_DIR") or \
            Path(self.db_path).parent / ".baton-cache"
        self.registry = Registry(
            personas, entry, fallback_skills=fallback_skills,
            intent_threshold=intent_threshold, classifier=classifier, cache_dir=Path(cache),
        )
        self.db = open_database(self.db_path)
        self.slack_api_url = slack_api_url or os.environ.get("BATON_SLACK_API_URL") or None
        self.context = ContextStore(self.db, clock=clock, max_value_bytes=max_value_bytes,
                                    max_keys=max_keys)
        self._register_namespaces(personas)
        self.store = Store(self.context)
        self.purge_interval = purge_interval
        self._purger: asyncio.Task[None] | None = None
        self.in_flight = InFlight()
        self.processed = ProcessedEvents(self.db)
        self.engine = Engine(
            self.registry, self.db, self, dm_idle_timeout=dm_idle_timeout,
            max_transfers=max_transfers, http=None, context=self.context, clock=clock,
        )
        self._bridge: Any = None
        self.identity: dict[str, Any] = {}  # auth.test's answer once connected

    def _register_namespaces(self, personas: Sequence[Persona]) -> None:
        for persona in personas:
            for name, ttl in persona.namespaces.items():
                try:
                    self.context.register_namespace_now(name, ttl)
                except StoreError as error:
                    raise ConfigError(f"persona {persona.name!r}: {error}") from None

    @property
    def personas(self) -> dict[str, Persona]:
        return self.registry.personas

    @property
    def entry(self) -> str:
        return self.registry.entry

    # --- lifecycle ----------------------------------------------------------------

    async def _connect(self, token: str | None, signing_secret: str | None) -> Any:
        """The Slack bridge, its token checked, and database maintenance running."""
        bridge = self._bridge_for(token, signing_secret)
        await self._check_token(bridge)
        self._start_maintenance()
        return bridge

    def _bridge_for(self, token: str | None, signing_secret: str | None) -> Any:
        from .slack import SLACK_API_URL, SlackBridge  # the only Slack-importing module

        if self._bridge is not None:
            raise RuntimeError("this App is already started; call stop() first.")
        token = token or os.environ.get("SLACK_BOT_TOKEN")
        if not token:
            raise ConfigError("no Slack bot token: set SLACK_BOT_TOKEN (it starts with xoxb-).")
        if self.engine.http.is_closed:
            self.engine.http = httpx.AsyncClient()
        self._bridge = SlackBridge(
            self.engine, self.processed, self.in_flight, token=token,
            signing_secret=signing_secret, api_url=self.slack_api_url or SLACK_API_URL,
        )
        return self._bridge

    async def start_http(
        self, port: int = 3000, host: str = "127.0.0.1", *, token: str | None = None,
        signing_secret: str | None = None,
    ) -> int:
        """Serve Slack's Events API on ``host:port`` with Bolt's request verification.

        Returns the bound port. Tokens default to SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET.
        """
        secret = signing_secret or os.environ.get("SLACK_SIGNING_SECRET")
        if not secret:
            raise ConfigError("HTTP mode needs a signing secret: set SLACK_SIGNING_SECRET.")
        bridge = await self._connect(token, secret)
        try:
            return await bridge.serve_http(host, port)
        except OSError as error:
            await self.stop()
            raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror or error}); "
                              "pick another port with --port or BATON_PORT.") from None

    async def start_socket_mode(
        self, *, token: str | None = None, app_token: str | None = None
    ) -> None:
        """Connect to Slack over Socket Mode (SLACK_APP_TOKEN, starting with xapp-)."""
        app_token = app_token or os.environ.get("SLACK_APP_TOKEN")
        if not app_token:
            raise ConfigError("Socket Mode needs an app token: set SLACK_APP_TOKEN (xapp-...).")
        bridge = await self._connect(token, None)
        try:
            await bridge.connect_socket_mode(app_token)
        except BaseException:
            await self.stop()
            raise

    def _start_maintenance(self) -> None:
        """Checkpoint the WAL every few seconds and purge expired entries, off the loop."""

        async def maintain() -> None:
            since_purge = 0.0
            while True:
                await asyncio.sleep(CHECKPOINT_INTERVAL)
                since_purge += CHECKPOINT_INTERVAL
                try:
                    await self.context.checkpoint()
                    if since_purge >= self.purge_interval:
                        since_purge = 0.0
                        purged = await self.context.purge_expired()
                        log.debug("purged %d expired context entries", purged)
                except Exception:
                    log.exception("database maintenance failed")

        self._purger = asyncio.create_task(maintain(), name="baton-maintenance")

    async def _check_token(self, bridge: Any) -> None:
        """auth.test, and the scopes Slack granted (its x-oauth-scopes header) against ours."""
        try:
            self.identity = await bridge.start()
        except BaseException:
            await self.stop()
            raise
        granted = self.identity.get("scopes", "")
        missing = missing_scopes(granted) if granted else []
        if missing:
            await self.stop()
            raise ConfigError(
                f"the bot token lacks the scope{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}: add {'them' if len(missing) > 1 else 'it'} in your Slack "
                "app under OAuth & Permissions > Bot Token Scopes (manifest.yaml lists every "
                "scope Baton uses), then reinstall the app to the workspace.")
        if not granted:
            log.warning("Slack did not report the token's scopes; not checking them.")

    async def stop(self) -> None:
        """Stop taking events, finish the ones in flight, release connections."""
        if self._purger is not None:
            self._purger.cancel()
            self._purger = None
        if self._bridge is not None:
            await self._bridge.stop_serving()
            await self.in_flight.wait_all()
            await self._bridge.close()
            self._bridge = None
        await self.engine.http.aclose()

    def close(self) -> None:
        """Close the database (after ``stop``)."""
        self.context.close()
        self.db.close()

    def run(self, http_port: int | None = None) -> int:
        """What ``baton run`` does, until SIGINT/SIGTERM: Socket Mode, HTTP mode (forced by
        ``http_port``) or the local playground, chosen from the environment's credentials."""
        from .runner import run_app
        from .settings import Settings

        flags = {"port": http_port} if http_port is not None else {}
        return run_app(self, Settings.load(**flags), force_http=http_port is not None)

    # --- what happened ----------------------------------------------------------------

    async def post(
        self, conversation: Conversation, persona: Persona, text: str, metadata: dict[str, Any],
        buttons: Sequence[Button] = (),
    ) -> None:
        if self._bridge is None:
            raise RuntimeError("the App is not connected to Slack; start it first.")
        await self._bridge.post(conversation, persona, text, metadata, buttons)

    def owner(self, conversation_id: str) -> str | None:
        """The persona that answers the conversation's next message."""
        found = self.engine.conversations.get(conversation_id)
        return found.owner if found else None

    def transfers(self, conversation: str | None = None) -> list[dict[str, Any]]:
        """Ledger rows, oldest first."""
        return self.engine.ledger.rows(conversation)
