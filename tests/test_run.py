"""`baton run`: mode selection, start-up failures as one clear line, HTTP mode, shutdown."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from adapter import App, ConfigError, Persona, Turn
from adapter.settings import Settings
from adapter.testing import FakeSlack
from adapter.testing.web_api import TOKEN, WebApi

from .conftest import helpdesk


@pytest.mark.parametrize(("environ", "mode"), [
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, "socket"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "http"),
    ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"},
     "socket"),
    ({}, "playground"),
])
def test_the_mode_follows_the_credentials(environ: dict, mode: str, tmp_path: Path) -> None:
    assert Settings.load(environ=environ, config=None).mode == mode


@pytest.mark.parametrize(("environ", "missing"), [
    ({"SLACK_BOT_TOKEN": "xoxb-1"},
     "SLACK_BOT_TOKEN is set but neither mode can start: Socket Mode also needs SLACK_APP_TOKEN "
     "(xapp-...), HTTP mode SLACK_SIGNING_SECRET; set one, or unset SLACK_BOT_TOKEN for the "
     "local playground."),
    ({"SLACK_APP_TOKEN": "xapp-1"},
     "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN (xoxb-...) is not: Socket Mode needs it with "
     "SLACK_APP_TOKEN, HTTP mode with SLACK_SIGNING_SECRET; set it, or unset SLACK_APP_TOKEN "
     "for the local playground."),
    ({"SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xapp-1"},
     "SLACK_APP_TOKEN and SLACK_SIGNING_SECRET are set but SLACK_BOT_TOKEN (xoxb-...) is not"),
])
def test_half_given_credentials_name_what_is_missing(environ: dict, missing: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.load(environ=environ, config=None).mode  # noqa: B018 - the property raises
    assert str(raised.value).startswith(missing)


async def test_a_bot_token_alone_stops_baton_run_instead_of_opening_the_playground(
        tmp_path: Path) -> None:
    child = await baton_run("http://127.0.0.1:9/api/", tmp_path, SLACK_BOT_TOKEN="xoxb-1")
    out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 1
    assert b"playground" not in out
    assert err.decode().splitlines() == [
        "baton: SLACK_BOT_TOKEN is set but neither mode can start: Socket Mode also needs "
        "SLACK_APP_TOKEN (xapp-...), HTTP mode SLACK_SIGNING_SECRET; set one, or unset "
        "SLACK_BOT_TOKEN for the local playground."]


def test_settings_come_from_toml_then_environment_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "baton.toml"
    config.write_text('[baton]\nport = 4000\ndb = "from-toml.db"\nbots = "mybots"\n')
    settings = Settings.load(config=config, environ={"BATON_DB": "from-env.db"}, port="5000")
    assert (settings.port, settings.db, settings.bots) == (5000, "from-env.db", "mybots")


def test_a_bad_setting_is_named(tmp_path: Path) -> None:
    config = tmp_path / "baton.toml"
    config.write_text("prot = 4000\n")
    with pytest.raises(ConfigError, match="unknown setting 'prot'; known settings: "):
        Settings.load(config=config, environ={})
    with pytest.raises(ConfigError, match="port 'http' is not a port number; give 0-65535"):
        Settings.load(environ={"BATON_PORT": "http"}, config=None)
    with pytest.raises(ConfigError, match="slack_timeout 'soon' is not a number of seconds"):
        Settings.load(environ={"BATON_SLACK_TIMEOUT": "soon"}, config=None)
    assert Settings.load(environ={"BATON_DIALOG_TIMEOUT": "2.5"}, config=None).dialog_timeout \
        == 2.5
    with pytest.raises(ConfigError, match="pool_size '0' is not a whole number above 0"):
        Settings.load(environ={"BATON_DB_POOL_SIZE": "0"}, config=None)
    assert Settings.load(environ={"BATON_DB_POOL_SIZE": "4"}, config=None).pool_size == 4


def test_run_help_documents_every_setting() -> None:
    from adapter.cli.main import parser

    text = parser()._subparsers._group_actions[0].choices["run"].format_help()
    for variable in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "BATON_DB",
                     "BATON_PORT", "BATON_HOST", "BATON_BOTS", "BATON_SLACK_API_URL",
                     "BATON_CACHE_DIR", "BATON_LOG_LEVEL", "BATON_SLACK_TIMEOUT",
                     "BATON_DIALOG_TIMEOUT", "BATON_STOP_TIMEOUT", "BATON_DATABASE_URL",
                     "BATON_LEASE", "BATON_INSTANCE", "BATON_DB_POOL_SIZE"):
        assert variable in text


class SlackApi:
    """FakeSlack's Web API alone, for a `baton run` child process to call."""

    def __init__(self, scopes: str | None = None) -> None:
        self.api = WebApi()
        if scopes is not None:
            self.api.scopes = scopes

    async def __aenter__(self) -> str:
        self.runner = web.AppRunner(self.api.routes(), access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/api/"

    async def __aexit__(self, *_: object) -> None:
        await self.runner.cleanup()


async def baton_run(api_url: str, tmp_path: Path, *args: str, **env: str):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BATON_"))}
    environ.update({"BATON_SLACK_API_URL": api_url, "BATON_DB": str(tmp_path / "b.db"),
                    "BATON_PORT": "0", **env})
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapter.cli", "run", *args, env=environ,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def test_a_bad_token_is_one_line_and_exit_1(tmp_path: Path) -> None:
    async with SlackApi() as url:
        child = await baton_run(url, tmp_path, SLACK_BOT_TOKEN="xoxb-wrong",
                                SLACK_SIGNING_SECRET="s", BATON_LOG_LEVEL="WARNING")
        out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 1
    assert err.decode().splitlines() == [
        "baton: Slack refused the bot token (auth.test: invalid_auth); check SLACK_BOT_TOKEN."]


async def test_an_unreachable_slack_is_not_blamed_on_the_token(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on once this closes
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed}/api/"
    child = await baton_run(url, tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s",
                            BATON_LOG_LEVEL="WARNING")
    out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 1
    [line] = err.decode().splitlines()
    assert line.startswith(f"baton: cannot reach Slack at {url} (Cannot connect to host "
                           f"127.0.0.1:{closed}")
    assert line.endswith("); check this machine's network, or BATON_SLACK_API_URL if you set it.")
    assert "token" not in line


async def test_a_missing_scope_is_named_with_where_to_add_it(tmp_path: Path) -> None:
    async with SlackApi(scopes="app_mentions:read,channels:history,chat:write,commands,"
                               "groups:history,im:history,mpim:history,users:read") as url:
        child = await baton_run(url, tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s",
                                BATON_LOG_LEVEL="WARNING")
        out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 1
    assert err.decode().splitlines() == [
        "baton: the bot token lacks the scope chat:write.customize: add it in your Slack app "
        "under OAuth & Permissions > Bot Token Scopes (manifest.yaml lists every scope Baton "
        "uses), then reinstall the app to the workspace."]


async def test_invalid_bots_stop_the_start(tmp_path: Path) -> None:
    (tmp_path / "broken_bots.py").write_text(
        "from adapter import Persona\nPERSONAS = [Persona('router')]\nENTRY = 'ruter'\n")
    async with SlackApi() as url:
        child = await baton_run(url, tmp_path, "--bots", "broken_bots", SLACK_BOT_TOKEN=TOKEN,
                                SLACK_SIGNING_SECRET="s", PYTHONPATH=str(tmp_path))
        out, err = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 1
    lines = err.decode().splitlines()
    assert lines[0].endswith("broken_bots.py:3: entry persona 'ruter' is not one of the "
                             "personas (router). Did you mean 'router'?")
    assert lines[1] == "baton: broken_bots has 1 problem; fix it (`baton validate` lists the same)."


async def test_http_mode_serves_health_and_stops_gracefully_on_sigterm(tmp_path: Path) -> None:
    async with SlackApi() as url:
        child = await baton_run(url, tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s")
        assert child.stderr is not None
        lines = []
        while not any("connected to Slack" in line for line in lines):
            line = (await asyncio.wait_for(child.stderr.readline(), 60)).decode()
            assert line, "baton run exited early: " + "".join(lines)
            lines.append(line)
        address = lines[-1].rsplit("HTTP mode on ", 1)[1].strip()
        assert re.search(r"loaded \d+ personas \(router, .*\), skills .*, \d+ intents; "
                         r"classifier (trained|loaded)", "".join(lines))
        async with aiohttp.ClientSession() as session:
            health = address.replace("/slack/events", "/healthz")
            async with session.get(health) as response:
                assert (response.status, await response.json()) == (200, {"ok": True, "inbox": {
                    "runs": 0, "handling": 0.0, "claiming": 0.0, "deferred": 0,
                    "chained": 0}, "storage": {}})
        child.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(child.communicate(), 60)
    assert child.returncode == 0
    assert "stopped" in rest.decode()


async def test_http_mode_checks_signatures(slack: FakeSlack) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "event": {"type": "x"}})
    assert await slack.deliver(body, signature="v0=forged") == 401
    assert await slack.deliver(body, signature="") == 401
    assert await slack.deliver(body, timestamp=int(time.time()) - 5 * 60 - 30) == 401
    assert await slack.deliver(body) == 200  # correctly signed: accepted (and ignored)
    verifier = SignatureVerifier(slack.signing_secret)
    stamp = str(int(time.time()))
    headers = {"X-Slack-Request-Timestamp": stamp, "Content-Type": "application/json",
               "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body)}
    async with aiohttp.ClientSession() as session:  # and once more without FakeSlack's help
        async with session.post(slack.events_url, data=body, headers=headers) as response:
            assert response.status == 200


async def test_stop_finishes_events_in_flight_and_refuses_new_ones(db_path: Path) -> None:
    gate, started = asyncio.Event(), asyncio.Event()
    slow = Persona("slow")

    @slow.dialog(pattern="*")
    async def wait_then_answer(turn: Turn) -> None:
        started.set()
        await gate.wait()
        await turn.say("finished")

    app = App(personas=[slow], entry="slow", db=db_path)
    slack = FakeSlack(app)
    await slack.__aenter__()
    dm = slack.dm()
    talking = asyncio.create_task(dm.user_says("hello"))
    await started.wait()
    stopping = asyncio.create_task(app.stop())
    await asyncio.sleep(0)  # let stop() close the listener before the next request
    with pytest.raises(aiohttp.ClientConnectionError):
        await slack.deliver(json.dumps({"type": "event_callback"}))
    gate.set()
    await asyncio.gather(talking, stopping)
    assert [r.text for r in dm.replies] == ["finished"]
    await slack.__aexit__(None, None, None)
    app.close()


def test_app_close_releases_the_database(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path)
    app.close()
    with pytest.raises(Exception, match="closed"):
        app.storage.db.execute("SELECT 1")  # SQLite's own file handle


async def test_socket_mode_answers_over_the_websocket(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path)
    async with FakeSlack(app, socket_mode=True) as slack:
        convo = slack.conversation()
        await convo.user_says("I need a flight")
        assert [r.persona for r in convo.replies] == ["travel"]
        assert [c.method for c in slack.calls[:2]] == ["auth.test", "apps.connections.open"]
    app.close()


async def test_a_bad_app_token_is_one_clear_error(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path)
    async with SlackApi() as url:
        app.slack_api_url = url
        with pytest.raises(ConfigError) as error:
            await app.start_socket_mode(token=TOKEN, app_token="xapp-wrong")
        await app.stop()
    assert str(error.value) == (
        "Slack refused the app token (apps.connections.open: invalid_auth); check "
        "SLACK_APP_TOKEN: an app-level token (xapp-...) with the connections:write scope, "
        "from your app's Basic Information page.")
    app.close()


async def test_a_taken_port_is_one_clear_error(db_path: Path) -> None:
    app = App(personas=helpdesk(), entry="router", db=db_path)
    async with SlackApi() as url:
        app.slack_api_url = url
        blocker = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = blocker.sockets[0].getsockname()[1]
        with pytest.raises(ConfigError) as error:
            await app.start_http(port, "127.0.0.1", token=TOKEN, signing_secret="s")
        blocker.close()
        await blocker.wait_closed()
    assert str(error.value).startswith(f"cannot listen on 127.0.0.1:{port} (")
    assert str(error.value).endswith("pick another port with --port or BATON_PORT.")
    app.close()
