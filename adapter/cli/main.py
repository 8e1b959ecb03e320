"""The ``baton`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import BatonError
from ..settings import Settings
from .inspect import SHORT, print_context, print_inbox, print_transfers

MODES = """modes (chosen from the credentials):
  SLACK_BOT_TOKEN + SLACK_APP_TOKEN       Socket Mode
  SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET  HTTP mode on --port, /slack/events and /healthz
  no credentials                          local playground with an embedded fake Slack
"""


def cmd_run(args: argparse.Namespace) -> int:
    from .run import run

    settings = Settings.load(config=args.config, bots=args.bots, db=args.db, port=args.port,
                             host=args.host)
    if args.http and not settings.signing_secret:
        raise BatonError("--http needs SLACK_SIGNING_SECRET (and SLACK_BOT_TOKEN).")
    return run(settings, force_http=args.http, terminal=args.terminal)


def settings_for(args: argparse.Namespace) -> Settings:
    """The settings a command runs with: its flags, then the environment, then baton.toml,
    exactly as ``baton run`` resolves them."""
    return Settings.load(config=args.config, bots=args.bots, db=args.db)


def cmd_transfers(args: argparse.Namespace) -> int:
    return print_transfers(settings_for(args), args.conversation, full=args.full,
                           as_json=args.json)


def cmd_inbox(args: argparse.Namespace) -> int:
    return print_inbox(settings_for(args), args.status)


def cmd_context_show(args: argparse.Namespace) -> int:
    scope, key = ("conversation", args.conversation) if args.conversation else ("user", args.user)
    return print_context(settings_for(args), scope, key)


def cmd_nlu_eval(args: argparse.Namespace) -> int:
    from ..nlu.evaluate import evaluate

    domains = args.domains
    if domains is None:
        beside = Path(args.train).with_name("domains.json")
        domains = str(beside) if beside.exists() else None
    try:
        evaluate(args.train, args.eval, classifier=args.classifier, domains_file=domains,
                 threshold=args.threshold)
    except ValueError as error:
        raise BatonError(str(error)) from None
    return 0


def cmd_route(args: argparse.Namespace) -> int:
    from .route import print_route, score_file

    if (args.text is None) == (args.file is None):
        raise BatonError("baton route needs a message (baton route \"when is payday?\") or "
                         "--file FILE with area<TAB>text rows, not both.")
    settings = settings_for(args)
    if args.file is not None:
        return score_file(settings, args.file, misses=args.misses)
    return print_route(settings, args.text)


def cmd_misroutes(args: argparse.Namespace) -> int:
    from .inspect import print_misroutes

    return print_misroutes(settings_for(args), as_tsv=args.tsv)


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import main as validate

    return validate(settings_for(args).bots)


def cmd_new_persona(args: argparse.Namespace) -> int:
    from .scaffold import new_persona

    bots = settings_for(args).bots
    for path in new_persona(args.name, bots):
        print(f"wrote {path}")
    print(f"next: in {bots}/{args.name}.py write its description (the router's menu shows "
          "it) and its intents, then `baton validate` and `make test`.")
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from ..slack.manifest import render

    try:
        print(render(args.http), end="")
    except ValueError as error:
        raise BatonError(str(error)) from None
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="baton", description="Run and inspect Baton personas.")
    sub = top.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bots", default=None,
                        help="module with PERSONAS and ENTRY (env BATON_BOTS, else bots)")
    common.add_argument("--db", default=None,
                        help="database file (env BATON_DB, baton.toml, else ./baton.db)")
    common.add_argument("--config", default=None, help="settings file (default ./baton.toml)")
    run = sub.add_parser("run", help="connect to Slack, or open the local playground",
                         epilog=MODES + "\n" + Settings.help(),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--bots", default=None, help="module with PERSONAS and ENTRY")
    run.add_argument("--db", default=None, help="database file")
    run.add_argument("--config", default=None, help="settings file (default ./baton.toml)")
    run.add_argument("--http", action="store_true", help="HTTP mode even with an app token")
    run.add_argument("--port", default=None, help="HTTP mode / playground port (default 3000)")
    run.add_argument("--host", default=None, help="listen address (default 127.0.0.1)")
    run.add_argument("--terminal", action="store_true",
                     help="without credentials, chat in this terminal instead of the browser")
    run.set_defaults(func=cmd_run)
    validate = sub.add_parser("validate", parents=[common],
                              help="check the bots before connecting to Slack")
    validate.set_defaults(func=cmd_validate)
    new = sub.add_parser("new", help="create something from a template")
    new_sub = new.add_subparsers(dest="what", required=True)
    persona = new_sub.add_parser("persona", parents=[common],
                                 help="a persona file, its test, and its place in PERSONAS")
    persona.add_argument("name", help="lowercase name, e.g. facilities")
    persona.set_defaults(func=cmd_new_persona)
    manifest = sub.add_parser("manifest", help="print the Slack app manifest")
    manifest.add_argument("--http", metavar="URL", default=None,
                          help="the HTTP-mode variant, with events sent to URL/slack/events")
    manifest.set_defaults(func=cmd_manifest)
    transfers = sub.add_parser("transfers", parents=[common], help="print the transfer ledger")
    transfers.add_argument("--conversation", default=None, help="only this conversation id")
    output = transfers.add_mutually_exclusive_group()
    output.add_argument("--full", action="store_true",
                        help=f"print whole messages (else cut to {SHORT} characters)")
    output.add_argument("--json", action="store_true",
                        help="one JSON object per row, every column, whole messages")
    transfers.set_defaults(func=cmd_transfers)
    inbox = sub.add_parser("inbox", parents=[common],
                           help="events not answered yet: pending, or parked with an error")
    inbox.add_argument("--status", choices=["pending", "parked", "done"], default=None,
                       help="only entries with this status (default: pending and parked)")
    inbox.set_defaults(func=cmd_inbox)
    context = sub.add_parser("context", help="inspect the context store")
    context_sub = context.add_subparsers(dest="action", required=True)
    show = context_sub.add_parser("show", parents=[common],
                                  help="what a conversation or a user has stored")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", help="conversation id (team:channel:thread)")
    which.add_argument("--user", help="Slack user id")
    show.set_defaults(func=cmd_context_show)
    route = sub.add_parser("route", parents=[common],
                           help="what the router would do with a message, and why",
                           description="Print the router's decision for a message: the top "
                           "skills and intents with their scores and why; or, with --file, "
                           "score a TSV of area<TAB>text rows (area: a skill, a persona's "
                           "name, or out_of_scope).")
    route.add_argument("text", nargs="?", default=None, help="the message")
    route.add_argument("--file", default=None, help="a TSV of area<TAB>text rows to score")
    route.add_argument("--misses", action="store_true",
                       help="with --file: print each row not routed right to stderr")
    route.set_defaults(func=cmd_route)
    misroutes = sub.add_parser(
        "misroutes", parents=[common],
        help="messages users marked \"Not what I meant\", and where they went instead")
    misroutes.add_argument("--tsv", action="store_true",
                           help="area<TAB>text rows of those whose user then chose a desk: "
                                "candidates for its training phrases")
    misroutes.set_defaults(func=cmd_misroutes)
    nlu = sub.add_parser("nlu-eval", help="train an intent classifier and measure it",
                         description="Train on --train, evaluate on --eval (CLINC150 format).")
    nlu.add_argument("--train", required=True, help="file with *train keys")
    nlu.add_argument("--eval", required=True, help="file with one split, e.g. val or test")
    nlu.add_argument("--classifier", default="tfidf-svm",
                     help="tfidf-svm (default), embedding-svm (the embeddings extra) or keyword")
    nlu.add_argument("--domains", default=None,
                     help="domains.json (default: the one beside --train, if any)")
    nlu.add_argument("--threshold", type=float, default=None,
                     help="out-of-scope threshold (default: the classifier's own; 0.75 for "
                          "tfidf-svm, 0.85 for embedding-svm)")
    nlu.set_defaults(func=cmd_nlu_eval)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sys.path.insert(0, str(Path.cwd()))  # the project's own bots package, like `python -m`
    try:
        return args.func(args)
    except BatonError as error:
        print(f"baton: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
