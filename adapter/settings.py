"""Settings for ``baton run``: defaults, then ``baton.toml``, then the environment, then flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _setting(default: Any, env: str, about: str, secret: bool = False) -> Any:
    return field(default=default, metadata={"env": env, "about": about, "secret": secret})


@dataclass
class Settings:
    """Everything ``baton run`` can be told; each field names its variable and its meaning."""

    bots: str = _setting("bots", "BATON_BOTS", "module with PERSONAS and ENTRY")
    db: str = _setting("baton.db", "BATON_DB", "SQLite database file")
    database_url: str | None = _setting(None, "BATON_DATABASE_URL",
                                        "PostgreSQL URL (postgresql://...): several instances "
                                        "share it; instead of db", True)
    bot_token: str | None = _setting(None, "SLACK_BOT_TOKEN", "bot token, xoxb-...", True)
    app_token: str | None = _setting(None, "SLACK_APP_TOKEN",
                                     "app-level token for Socket Mode, xapp-...", True)
    signing_secret: str | None = _setting(None, "SLACK_SIGNING_SECRET",
                                          "signing secret for HTTP mode", True)
    host: str = _setting("127.0.0.1", "BATON_HOST",
                         "address HTTP mode and the playground listen on")
    port: int = _setting(3000, "BATON_PORT", "port of HTTP mode and the playground")
    slack_api_url: str | None = _setting(None, "BATON_SLACK_API_URL",
                                         "Slack Web API base URL (default Slack's)")
    cache_dir: str | None = _setting(None, "BATON_CACHE_DIR",
                                     "classifier cache (default .baton-cache beside the db)")
    log_level: str = _setting("INFO", "BATON_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR")
    slack_timeout: float = _setting(10.0, "BATON_SLACK_TIMEOUT",
                                    "seconds one Slack Web API call may take")
    dialog_timeout: float = _setting(15.0, "BATON_DIALOG_TIMEOUT",
                                     "seconds a dialog may run (a persona may set its own)")
    stop_timeout: float = _setting(10.0, "BATON_STOP_TIMEOUT",
                                   "seconds a stop waits for events in flight")
    lease: float = _setting(30.0, "BATON_LEASE", "seconds an instance holds a message it "
                            "runs, on PostgreSQL (another takes it over after)")
    pool_size: int = _setting(10, "BATON_DB_POOL_SIZE", "connections per instance to "
                              "PostgreSQL")
    instance: str | None = _setting(None, "BATON_INSTANCE", "this instance's name on "
                                    "PostgreSQL: restarted, it takes its own leases back")

    @property
    def database(self) -> str:
        """Where Baton keeps its data: the PostgreSQL URL if given, else the SQLite file."""
        return self.database_url or self.db

    @property
    def mode(self) -> str:
        """"socket", "http" or "playground", from the credentials given; a ``ConfigError``
        naming what is missing when they are half there."""
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        if self.bot_token:
            raise ConfigError(
                "SLACK_BOT_TOKEN is set but neither mode can start: Socket Mode also needs "
                "SLACK_APP_TOKEN (xapp-...), HTTP mode SLACK_SIGNING_SECRET; set one, or unset "
                "SLACK_BOT_TOKEN for the local playground.")
        given = [name for name, value in (("SLACK_APP_TOKEN", self.app_token),
                                          ("SLACK_SIGNING_SECRET", self.signing_secret)) if value]
        if given:
            raise ConfigError(
                f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} set but "
                "SLACK_BOT_TOKEN (xoxb-...) is not: Socket Mode needs it with SLACK_APP_TOKEN, "
                "HTTP mode with SLACK_SIGNING_SECRET; set it, or unset "
                f"{' and '.join(given)} for the local playground.")
        return "playground"

    @classmethod
    def load(cls, *, config: str | Path | None = None, environ: dict[str, str] | None = None,
             **flags: Any) -> Settings:
        """Defaults, overridden by ``baton.toml`` (or ``config``), the environment, then flags."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        path = Path(config or environ.get("BATON_CONFIG") or "baton.toml")
        if path.exists():
            values.update(_read_toml(path))
        elif config:
            raise ConfigError(f"config file {str(path)!r} does not exist.")
        for item in fields(cls):
            if environ.get(item.metadata["env"]):
                values[item.name] = environ[item.metadata["env"]]
        values.update({k: v for k, v in flags.items() if v is not None})
        if "port" in values:
            values["port"] = _port(values["port"])
        if "pool_size" in values:
            values["pool_size"] = _count("pool_size", values["pool_size"])
        for name in ("slack_timeout", "dialog_timeout", "stop_timeout", "lease"):
            if name in values:
                values[name] = _seconds(name, values[name])
        return cls(**values)

    @classmethod
    def help(cls) -> str:
        """One line per setting: baton.toml key, environment variable, meaning, default."""
        lines = ["settings (flag > environment > baton.toml > default):"]
        for item in fields(cls):
            default = "" if item.metadata["secret"] or item.default is None \
                else f" [default: {item.default}]"
            lines.append(f"  {item.name:<15} {item.metadata['env']:<21} "
                         f"{item.metadata['about']}{default}")
        return "\n".join(lines)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"cannot read {path}: {error}.") from None
    table = data.get("baton", data)
    known = {item.name for item in fields(Settings)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; known settings: "
                          f"{', '.join(sorted(known))}.")
    return dict(table)


def _port(value: Any) -> int:
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = -1
    if not 0 <= port <= 65535:
        raise ConfigError(f"port {value!r} is not a port number; give 0-65535 (0: any free).")
    return port


def _count(name: str, value: Any) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise ConfigError(f"{name} {value!r} is not a whole number above 0; give one, e.g. 10.")
    return count


def _seconds(name: str, value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = -1.0
    if not seconds > 0:
        raise ConfigError(f"{name} {value!r} is not a number of seconds; give one above 0.")
    return seconds
