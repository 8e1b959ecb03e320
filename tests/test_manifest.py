"""manifest.yaml grants exactly what the code uses; `baton manifest --http` for HTTP mode."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml
from slack_sdk.web.async_base_client import AsyncBaseClient
from slack_sdk.web.async_client import AsyncWebClient

import adapter
from adapter.cli.main import main
from adapter.slack import manifest
from adapter.slack.outbound import THROUGH_HELPERS
from adapter.testing.web_api import SCOPES, WebApi

ADAPTER = Path(adapter.__file__).parent
ROOT = ADAPTER.parent


# Every Web API method slack_sdk's client offers, by its Python name (chat_postMessage).
WEB_API = set(dir(AsyncWebClient)) - set(dir(AsyncBaseClient))


def web_api_methods_called() -> set[str]:
    """Every Web API method the framework calls on a slack_sdk client, as Slack names it:
    by name in its code, or through Bolt's and slack_sdk's helpers (which it declares)."""
    called = set()
    for path in ADAPTER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in WEB_API:
                called.add(node.func.attr)
    named = {name.replace("_", ".") for name in called}  # slack_sdk's naming: chat_update
    return named | THROUGH_HELPERS


def test_every_method_called_through_a_helper_is_in_the_installed_slack_sdk() -> None:
    assert {m.replace(".", "_") for m in THROUGH_HELPERS} <= WEB_API


def test_every_web_api_method_the_code_calls_is_covered_by_a_scope() -> None:
    called = web_api_methods_called()
    assert called == {"apps.connections.open", "auth.test", "chat.postMessage", "chat.update",
                      "chat.postEphemeral", "conversations.replies", "conversations.history",
                      "users.info", "views.publish", "reactions.add", "reactions.remove",
                      "assistant.threads.setStatus", "assistant.threads.setSuggestedPrompts",
                      "assistant.threads.setTitle", "chat.startStream", "chat.appendStream",
                      "chat.stopStream"}
    assert called <= set(manifest.METHOD_SCOPES)
    granted = set(manifest.load()["oauth_config"]["scopes"]["bot"])
    assert {manifest.METHOD_SCOPES[m] for m in called} - {None} <= granted


def test_manifest_yaml_is_what_baton_manifest_prints(capsys) -> None:
    """The repository's file and an installed Baton's output cannot drift apart."""
    assert main(["manifest"]) == 0
    assert capsys.readouterr().out == (ROOT / "manifest.yaml").read_text()


def test_the_manifest_grants_exactly_the_scopes_baton_needs() -> None:
    data = manifest.load()
    assert set(data["oauth_config"]["scopes"]["bot"]) == manifest.REQUIRED_SCOPES
    assert set(data["settings"]["event_subscriptions"]["bot_events"]) == \
        set(manifest.EVENT_SCOPES)
    assert data["settings"]["socket_mode_enabled"] is True
    assert [c["command"] for c in data["features"]["slash_commands"]] == ["/baton"]
    assert data["settings"]["interactivity"]["is_enabled"] is True


def test_fake_slack_implements_what_the_code_calls_and_grants_the_manifest() -> None:
    assert set(WebApi.METHODS) == web_api_methods_called()
    assert set(SCOPES.split(",")) == manifest.REQUIRED_SCOPES


def test_the_http_variant_sends_events_and_clicks_to_the_url(capsys) -> None:
    assert main(["manifest", "--http", "https://baton.example.com"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    settings = data["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["request_url"] == \
        "https://baton.example.com/slack/events"
    assert settings["interactivity"]["request_url"] == "https://baton.example.com/slack/events"
    assert set(data["oauth_config"]["scopes"]["bot"]) == manifest.REQUIRED_SCOPES


def test_the_http_variant_refuses_a_plain_http_url(capsys) -> None:
    assert main(["manifest", "--http", "http://localhost:3000"]) == 1
    assert capsys.readouterr().err.strip() == (
        "baton: request URL 'http://localhost:3000': Slack only delivers to https:// URLs.")


def test_the_human_team_scopes_are_needed_only_by_an_app_with_a_team() -> None:
    base = ",".join(sorted(manifest.REQUIRED_SCOPES - manifest.HUMAN_TEAM_SCOPES))
    assert manifest.missing_scopes(base, human_teams=False) == []
    assert manifest.missing_scopes(base, human_teams=True) == ["commands", "users:read"]
