"""App: personas, their storage and their Slack connection, wired together.

Everything is checked at construction (a mistake raises ``ConfigError`` naming the bad
value and the fix); nothing slow happens there: the classifier is fitted or loaded when
first needed, and Slack is called only by ``start_http`` / ``start_socket_mode``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .engine import DIALOG_TIMEOUT, Engine
from .errors import ConfigError
from .handoff import DEFAULT_MAX_TRANSFERS
from .humans import HumanTeam
from .in_flight import InFlight
from .inbox import LEASE, MAX_ATTEMPTS, RETRY_AFTER, Inbox
from .nlu import Classifier, default_classifier
from .persona import Persona
from .poster import SlackPoster
from .registry import Registry
from .settings import Settings
from .storage import LedgerRow, Storage, is_database_url, open_storage
from .storage.values import DEFAULT_MAX_KEYS, DEFAULT_MAX_VALUE_BYTES, DEFAULT_POOL_SIZE
from .store import Store

log = logging.getLogger("baton")
MAINTENANCE_INTERVAL = 5.0  # seconds between WAL checkpoints (and inbox sweeps)
DEFAULT_SLACK_TIMEOUT = 10.0  # seconds one Slack Web API call may take
STOP_TIMEOUT = 10.0  # seconds a stop waits for the events in flight


class App:
    """Several personas in one Slack app.

    ``db`` is a SQLite file, or a PostgreSQL URL (``postgresql://...``) for several
    instances sharing one database (``database_url`` says the same). It and
    ``slack_api_url`` default to the settings ``baton run`` reads (env ``BATON_DB`` or
    ``BATON_DATABASE_URL``, ``BATON_SLACK_API_URL``, ``baton.toml``), else ./baton.db and
    Slack's.
    """

    def __init__(
        self,
        personas: Sequence[Persona],
        entry: str,
        db: str | Path | None = None,
        *,
        database_url: str | None = None,
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
        slack_timeout: float = DEFAULT_SLACK_TIMEOUT,
        dialog_timeout: float = DIALOG_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
        max_attempts: int = MAX_ATTEMPTS,
        retry_after: float = RETRY_AFTER,
        lease: float = LEASE,
        instance: str | None = None,
        pool_size: int = DEFAULT_POOL_SIZE,
        receipts: bool = True,
    ) -> None:
        if dm_idle_timeout <= 0:
            raise ConfigError(f"dm_idle_timeout={dm_idle_timeout!r}: give a number of seconds > 0.")
        if max_transfers < 1:
            raise ConfigError(f"max_transfers={max_transfers!r}: allow at least 1 transfer.")
        for name, seconds in (("slack_timeout", slack_timeout), ("dialog_timeout", dialog_timeout),
                              ("stop_timeout", stop_timeout), ("retry_after", retry_after),
                              ("lease", lease)):
            if not isinstance(seconds, (int, float)) or seconds <= 0:
                raise ConfigError(f"{name}={seconds!r}: give a number of seconds > 0.")
        if not isinstance(pool_size, int) or pool_size < 1:
            raise ConfigError(f"pool_size={pool_size!r}: give a whole number of connections > 0.")
        db = database_url or db
        defaults = Settings.load() if None in (db, cache_dir, slack_api_url) else None
        self.db_path = str(db if db is not None else defaults.database)  # type: ignore[union-attr]
        cache = cache_dir or (defaults.cache_dir if defaults else None) or \
            (Path(".baton-cache") if is_database_url(self.db_path)
             else Path(self.db_path).parent / ".baton-cache")
        self.slack_api_url = slack_api_url or (defaults.slack_api_url if defaults else None)
        self.registry = Registry(
            personas, entry, fallback_skills=fallback_skills,
            intent_threshold=intent_threshold, classifier=classifier, cache_dir=Path(cache),
        )
        self.storage: Storage = open_storage(self.db_path, clock=clock,
                                             max_value_bytes=max_value_bytes, max_keys=max_keys,
                                             pool_size=pool_size)
        # Checked with the personas above: names are valid and TTLs agree.
        self.storage.context.declare(
            {name: ttl for p in personas for name, ttl in p.namespaces.items()})
        self.store = Store(self.storage.context)
        self.purge_interval = purge_interval
        self.dm_idle_timeout = dm_idle_timeout
        self.in_flight = InFlight()
        self.poster = SlackPoster()  # the Slack side's, once connected
        self.engine = Engine(self.registry, self.storage, self.poster,
                             dm_idle_timeout=dm_idle_timeout,
                             max_transfers=max_transfers, dialog_timeout=dialog_timeout,
                             clock=clock, receipts=receipts)
        self.inbox = Inbox(self.engine, self.storage, max_attempts=max_attempts,
                           retry_after=retry_after, lease=lease, instance=instance)
        self.slack_timeout = slack_timeout
        self.stop_timeout = stop_timeout
        self.identity: dict[str, Any] = {}  # auth.test's answer once connected
        self._slack: Any = None  # (bridge, serving) while started
        self._maintenance: asyncio.Task[None] | None = None

    @property
    def personas(self) -> dict[str, Persona]:
        return self.registry.personas

    @property
    def entry(self) -> str:
        return self.registry.entry

    # --- lifecycle ----------------------------------------------------------------

    async def start_http(self, port: int = 3000, host: str = "127.0.0.1", *,
                         token: str | None = None, signing_secret: str | None = None) -> int:
        """Serve Slack's Events API on ``host:port`` with Bolt's request verification.

        Returns the bound port. Tokens default to SLACK_BOT_TOKEN / SLACK_SIGNING_SECRET.
        """
        secret = signing_secret or Settings.load().signing_secret
        if not secret:
            raise ConfigError("HTTP mode needs a signing secret: set SLACK_SIGNING_SECRET.")
        serving = await self._connect(token, secret)
        try:
            return await serving.http(host, port)
        except OSError as error:
            await self.stop()
            raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror or error}); "
                              "pick another port with --port or BATON_PORT.") from None

    async def start_socket_mode(self, *, token: str | None = None,
                                app_token: str | None = None) -> None:
        """Connect to Slack over Socket Mode (SLACK_APP_TOKEN, starting with xapp-)."""
        app_token = app_token or Settings.load().app_token
        if not app_token:
            raise ConfigError("Socket Mode needs an app token: set SLACK_APP_TOKEN (xapp-...).")
        serving = await self._connect(token, None)
        try:
            await serving.socket_mode(app_token)
        except BaseException:
            await self.stop()
            raise

    async def _connect(self, token: str | None, signing_secret: str | None) -> Any:
        """The Slack bridge, its token and scopes checked, and maintenance running."""
        from .slack import SLACK_API_URL, Serving, SlackBridge  # the only Slack-importing code
        from .slack.manifest import missing_optional, missing_scopes

        if self._slack is not None:
            raise RuntimeError("this App is already started; call stop() first.")
        token = token or Settings.load().bot_token
        if not token:
            raise ConfigError("no Slack bot token: set SLACK_BOT_TOKEN (it starts with xoxb-).")
        bridge = SlackBridge(self.inbox, self.in_flight, token=token,
                             signing_secret=signing_secret,
                             api_url=self.slack_api_url or SLACK_API_URL,
                             timeout=self.slack_timeout)
        self.poster.outbound = bridge.outbound
        self._slack = (bridge, Serving(bridge, lambda: {"inbox": self.inbox.stats.as_dict(),
                                                        "storage": self.storage.stats()}))
        try:
            self.identity = await bridge.start()
        except BaseException:
            await self.stop()
            raise
        granted = self.identity.get("scopes", "")
        teams = any(isinstance(p, HumanTeam) for p in self.registry.personas.values())
        missing = missing_scopes(granted, human_teams=teams) if granted else []
        if missing:
            await self.stop()
            raise ConfigError(
                f"the bot token lacks the scope{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}: add {'them' if len(missing) > 1 else 'it'} in your Slack "
                "app under OAuth & Permissions > Bot Token Scopes (manifest.yaml lists every "
                "scope Baton uses), then reinstall the app to the workspace.")
        if not granted:
            log.warning("Slack did not report the token's scopes; not checking them.")
        elif missing_optional(granted):
            log.warning("the bot token lacks %s: no status line while a persona works, and "
                        "no suggested prompts or titles in agent threads (manifest.yaml "
                        "lists them)", ", ".join(missing_optional(granted)))
        # What a process that died left unfinished, before anything new: in order.
        replayed = await self.inbox.replay_pending()
        if replayed:
            log.info("ran %d unfinished event%s from the inbox again", replayed,
                     "" if replayed == 1 else "s")
        self._maintenance = asyncio.create_task(self._maintain(), name="baton-maintenance")
        return self._slack[1]

    async def _maintain(self) -> None:
        """Checkpoint every few seconds and purge expired data now and then, off the loop."""
        since_purge = 0.0
        while True:
            await asyncio.sleep(MAINTENANCE_INTERVAL)
            since_purge += MAINTENANCE_INTERVAL
            purge = since_purge >= self.purge_interval
            try:
                await self.storage.maintain(purge=purge)
                await self.inbox.sweep()
            except Exception:
                log.exception("database maintenance failed")
            if purge:
                since_purge = 0.0

    async def stop(self) -> None:
        """Stop taking events, finish the ones in flight (``stop_timeout`` seconds at most:
        what is left stays in the inbox for the next start), release connections."""
        if self._maintenance is not None:
            self._maintenance.cancel()
            self._maintenance = None
        if self._slack is not None:
            bridge, serving = self._slack
            await serving.stop()
            left = await self.in_flight.wait_all(self.stop_timeout)
            if left:
                log.warning("stopped with %d event%s unfinished; they stay in the inbox for "
                            "the next start", left, "" if left == 1 else "s")
            await bridge.close()
            self._slack = None
            self.poster.outbound = None
        await self.engine.aclose()
        await self.storage.aclose()

    def close(self) -> None:
        """Close the database (after ``stop``)."""
        self.storage.close()

    def run(self, http_port: int | None = None) -> int:
        """What ``baton run`` does, until SIGINT/SIGTERM: Socket Mode, HTTP mode (forced by
        ``http_port``) or the local playground, chosen from the environment's credentials."""
        from .serve import run_app

        flags = {"port": http_port} if http_port is not None else {}
        return run_app(self, Settings.load(**flags), force_http=http_port is not None)

    # --- the Slack side and what happened ------------------------------------------

    async def run_due(self, now: float | None = None) -> int:
        """Run what is due by ``now`` (default: the app's clock): human teams' waits that
        ended. The app does this every few seconds by itself; tests call it after moving
        the clock on (``FakeSlack.advance``)."""
        return await self.inbox.run_timers(now)

    async def owner(self, conversation_id: str) -> str | None:
        """The persona that answers the conversation's next message."""
        found = await self.storage.conversation(conversation_id)
        return found.owner if found else None

    async def transfers(self, conversation: str | None = None) -> list[LedgerRow]:
        """Ledger rows, oldest first."""
        return await self.storage.transfers(conversation)
