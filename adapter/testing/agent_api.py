"""The Web API methods of Slack's agent surfaces, as FakeSlack answers them: an agent
thread's status line, suggested prompts and title; streamed messages; reactions. Each
keeps what it was given, for tests and the playground to read."""

from __future__ import annotations

from typing import Any

from .slack_values import Message, SlackError, json_arg


def _streamed_text(args: dict[str, Any]) -> str:
    """What a stream call adds: its markdown_text, and its markdown chunks' text."""
    chunks = json_arg(args.get("chunks")) or []
    return (args.get("markdown_text") or "") + "".join(
        c.get("text", "") for c in chunks if isinstance(c, dict)
        and c.get("type") == "markdown_text")


def _missing(args: dict[str, Any], *names: str) -> str | None:
    absent = [name for name in names if not args.get(name)]
    return f"missing required argument {absent[0]!r}." if absent else None


def set_status(api: Any, args: dict[str, Any]) -> dict[str, Any] | str:
    # An empty status clears it: it is still a given argument.
    if (problem := _missing(args, "channel_id", "thread_ts")) or "status" not in args:
        return problem or "missing required argument 'status'."
    status = {"channel": args["channel_id"], "thread_ts": args["thread_ts"],
              "status": args["status"], "username": args.get("username"),
              "icon": args.get("icon_emoji") or args.get("icon_url")}
    api.statuses.append(status)
    for listener in api.status_listeners:
        listener(status)
    return {}


def set_suggested_prompts(api: Any, args: dict[str, Any]) -> dict[str, Any] | str:
    prompts = json_arg(args.get("prompts"))
    if problem := _missing(args, "channel_id", "thread_ts"):
        return problem
    if not isinstance(prompts, list) or not 1 <= len(prompts) <= 4 or not all(
            isinstance(p, dict) and p.get("title") and p.get("message") for p in prompts):
        return "prompts must be 1-4 objects with a title and a message (invalid_arguments)."
    api.prompts[(args["channel_id"], args["thread_ts"])] = prompts
    return {}


def set_title(api: Any, args: dict[str, Any]) -> dict[str, Any] | str:
    if problem := _missing(args, "channel_id", "thread_ts", "title"):
        return problem
    api.titles[(args["channel_id"], args["thread_ts"])] = args["title"]
    return {}


def start_stream(api: Any, args: dict[str, Any]) -> dict[str, Any] | str:
    if problem := _missing(args, "channel", "thread_ts"):
        return problem
    text = _streamed_text(args)
    message = Message(args["channel"], api.clock.ts(), text, thread_ts=args["thread_ts"],
                      username=args.get("username"),
                      icon=args.get("icon_emoji") or args.get("icon_url"), grew=[text])
    api.record(message)
    return {"channel": message.channel, "ts": message.ts}


def _streaming(api: Any, args: dict[str, Any]) -> Message | SlackError | str:
    if problem := _missing(args, "channel", "ts"):
        return problem
    found = next((m for m in api.messages if m.channel == args["channel"]
                  and m.ts == args["ts"] and m.grew), None)
    return found or SlackError("message_not_found")


def append_stream(api: Any, args: dict[str, Any]) -> dict[str, Any] | str | SlackError:
    found = _streaming(api, args)
    if not isinstance(found, Message):
        return found
    if found.metadata is not None:
        return SlackError("message_not_in_streaming_state")
    found.text += _streamed_text(args)
    found.grew.append(found.text)
    api.changed(found)
    return {"channel": found.channel, "ts": found.ts}


def stop_stream(api: Any, args: dict[str, Any]) -> dict[str, Any] | str | SlackError:
    found = _streaming(api, args)
    if not isinstance(found, Message):
        return found
    if found.metadata is not None:  # stopped already: its text is final
        return SlackError("message_not_in_streaming_state")
    found.text += _streamed_text(args)
    found.grew.append(found.text)
    found.metadata = json_arg(args.get("metadata")) or {}
    api.changed(found)
    return {"channel": found.channel, "ts": found.ts,
            "message": {"text": found.text, "ts": found.ts}}


def _reaction(api: Any, args: dict[str, Any], add: bool) -> dict[str, Any] | str | SlackError:
    if problem := _missing(args, "channel", "timestamp", "name"):
        return problem
    found = next((m for m in api.messages if m.channel == args["channel"]
                  and m.ts == args["timestamp"]), None)
    if found is None:
        return SlackError("message_not_found")
    if add == (args["name"] in found.reactions):
        return SlackError("already_reacted" if add else "no_reaction")
    found.reactions.append(args["name"]) if add else found.reactions.remove(args["name"])
    api.reacted.append((found.channel, found.ts, ("+" if add else "-") + args["name"]))
    api.changed(found)
    return {}


AGENT_METHODS = {
    "assistant.threads.setStatus": set_status,
    "assistant.threads.setSuggestedPrompts": set_suggested_prompts,
    "assistant.threads.setTitle": set_title,
    "chat.startStream": start_stream, "chat.appendStream": append_stream,
    "chat.stopStream": stop_stream,
    "reactions.add": lambda api, args: _reaction(api, args, True),
    "reactions.remove": lambda api, args: _reaction(api, args, False),
}
