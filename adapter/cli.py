"""The ``baton`` command."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .app import App
from .errors import BatonError

MODES = """modes (chosen from the environment):
  SLACK_BOT_TOKEN + SLACK_APP_TOKEN       Socket Mode
  SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET  HTTP mode on --port (or force it with --http)
  no tokens                               local mode: chat in this terminal with a fake Slack
settings:
  BATON_DB             database file (default ./baton.db)
  BATON_SLACK_API_URL  Slack Web API base URL (default https://slack.com/api/)
"""


def load_bots(module_name: str) -> tuple[list[Any], str]:
    """PERSONAS and ENTRY from a module, e.g. the shipped ``bots`` package."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise BatonError(f"cannot import bots module {module_name!r}: {error}. "
                         "Pass --bots with an importable module.") from None
    missing = [name for name in ("PERSONAS", "ENTRY") if not hasattr(module, name)]
    if missing:
        raise BatonError(f"bots module {module_name!r} lacks {' and '.join(missing)}: define "
                         "PERSONAS = [...] and ENTRY = 'persona name' in it.")
    return list(module.PERSONAS), module.ENTRY


def build_app(args: argparse.Namespace) -> App:
    personas, entry = load_bots(args.bots)
    return App(personas=personas, entry=entry, db=args.db)


def cmd_run(args: argparse.Namespace) -> int:
    app = build_app(args)
    has_bot = bool(os.environ.get("SLACK_BOT_TOKEN"))
    if has_bot and (args.http or not os.environ.get("SLACK_APP_TOKEN")):
        app.run(http_port=args.port)
    elif has_bot:
        app.run()
    else:
        from .terminal import chat

        try:
            asyncio.run(chat(app))
        except KeyboardInterrupt:
            pass
        finally:
            app.close()
    return 0


def cmd_transfers(args: argparse.Namespace) -> int:
    app = build_app(args)
    rows = app.transfers(args.conversation)
    if not rows:
        where = f" in conversation {args.conversation}" if args.conversation else ""
        print(f"no transfers{where}")
    for row in rows:
        status = row["status"] + (f" ({row['reason']})" if row["reason"] else "")
        intent = f" intent={row['intent_id']}" if row["intent_id"] else ""
        message = f" message={row['message']!r}" if row["message"] else ""
        print(f"{row['id']} {row['conversation']} {row['from_persona']} -> "
              f"{row['to_persona'] or '-'} skill={row['skill']}{intent}{message} {status}")
    app.close()
    return 0


def cmd_context_show(args: argparse.Namespace) -> int:
    app = build_app(args)
    scope, key = ("conversation", args.conversation) if args.conversation else ("user", args.user)
    entries = app.context.entries(scope=scope, scope_key=key)
    if not entries:
        print(f"nothing stored for {scope} {key}")
    for entry in entries:
        expiry = entry["expires_at"]
        until = (" (expires " + datetime.fromtimestamp(expiry, UTC)
                 .isoformat(timespec="seconds") + ")") if expiry else ""
        value = json.dumps(entry["value"], ensure_ascii=False)
        print(f"{entry['namespace']}.{entry['key']} = {value}{until}")
    app.close()
    return 0


def cmd_nlu_eval(args: argparse.Namespace) -> int:
    from .nlu_eval import evaluate

    domains = args.domains
    if domains is None:
        beside = Path(args.train).with_name("domains.json")
        default = Path("../shared/data/clinc150/domains.json")
        domains = str(beside) if beside.exists() else str(default) if default.exists() else None
    try:
        evaluate(args.train, args.eval, classifier=args.classifier, domains_file=domains,
                 threshold=args.threshold)
    except ValueError as error:
        raise BatonError(str(error)) from None
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="baton", description="Run and inspect Baton personas.")
    sub = top.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bots", default="bots", help="module with PERSONAS and ENTRY")
    common.add_argument("--db", default=None, help="database file (env BATON_DB, ./baton.db)")
    run = sub.add_parser("run", parents=[common], help="connect to Slack, or chat locally",
                         epilog=MODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--http", action="store_true", help="serve HTTP mode even with an app token")
    run.add_argument("--port", type=int, default=3000, help="HTTP mode port (default 3000)")
    run.set_defaults(func=cmd_run)
    transfers = sub.add_parser("transfers", parents=[common], help="print the transfer ledger")
    transfers.add_argument("--conversation", default=None, help="only this conversation id")
    transfers.set_defaults(func=cmd_transfers)
    context = sub.add_parser("context", help="inspect the context store")
    context_sub = context.add_subparsers(dest="action", required=True)
    show = context_sub.add_parser("show", parents=[common],
                                  help="what a conversation or a user has stored")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", help="conversation id (team:channel:thread)")
    which.add_argument("--user", help="Slack user id")
    show.set_defaults(func=cmd_context_show)
    nlu = sub.add_parser("nlu-eval", help="train an intent classifier and measure it",
                         description="Train on --train, evaluate on --eval (CLINC150 format).")
    nlu.add_argument("--train", required=True, help="file with *train keys")
    nlu.add_argument("--eval", required=True, help="file with one split, e.g. val or test")
    nlu.add_argument("--classifier", default="tfidf-svm", help="tfidf-svm (default) or keyword")
    nlu.add_argument("--domains", default=None,
                     help="domains.json (default: beside --train, else ../shared/data/clinc150)")
    nlu.add_argument("--threshold", type=float, default=0.75,
                     help="out-of-scope threshold (default 0.75)")
    nlu.set_defaults(func=cmd_nlu_eval)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("BATON_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except BatonError as error:
        print(f"baton: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
