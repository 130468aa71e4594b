"""Command line: `python -m bot {chat,ask,eval,kb,db}`.

Usage:
    python -m bot chat                      terminal chat (creates and migrates the database)
    python -m bot telegram                  Telegram bot, long polling
    python -m bot serve [--host H] [--port P]   webhook server: each channel's route, /healthz
    python -m bot ask [--json|--explain] [Q ...]   match questions without storing anything
    python -m bot eval FILE.tsv ... [--folds K]   score the matcher on labelled questions
    python -m bot calibrate FILE.tsv ... [--write]  fit the answer/clarify/fallback model
    python -m bot complaints fit FILE.tsv [--hold B,B] [--write]  fit the complaint model
    python -m bot kb check [PATH] [--facts F] [--offices O]  validate faq.yaml (and offices.yaml)
    python -m bot kb suggest [--out FILE]   propose new questions and entries from the log
    python -m bot kb drafts | accept N | reject N   review the FAQ drafts
    python -m bot report [--since D] [--until D] [--out DIR] [--format html|md|csv]
    python -m bot content --week [--out DIR] [--until D] [--date D] [--posts N]   the week's posts
    python -m bot admin add NAME [--role admin|petugas] [--password-stdin] | list | disable NAME
    python -m bot db upgrade                migrate the database to the newest schema
    python -m bot db purge [--older-than DAYS]   delete data past the retention period
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TypeAlias

from bot.core.errors import ConfigError
from bot.core.secret import MIN_CHOSEN_SECRET
from bot.runtime import admin_cli, cli, content_cli, logs
from bot.runtime.config import Settings, secret_values


def parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    root = argparse.ArgumentParser(prog="python -m bot", description="Tanya Paspor")
    commands = root.add_subparsers(dest="command", required=True)
    _add_processes(commands)
    _add_matching(commands)
    _add_kb(commands)
    _add_report(commands)
    content_cli.add_parser(commands)
    _add_db(commands)
    admin_cli.add_parser(commands)
    return root


# What `add_subparsers` returns; typeshed names it only by its private class.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _add_processes(commands: Commands) -> None:
    """The long-running processes: terminal chat, Telegram polling, the webhook server."""
    commands.add_parser("chat", help="chat in the terminal")
    commands.add_parser("telegram", help="run the Telegram bot with long polling")
    serve = commands.add_parser(
        "serve", help="run the webhook server (the configured channels' routes)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)


def _add_matching(commands: Commands) -> None:
    """ask, eval and calibrate: the matcher alone, no database."""
    ask = commands.add_parser("ask", help="match questions (reads stdin when none given)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument(
        "--explain", action="store_true", help="print the parts, features and the reason"
    )
    ask.add_argument("--kb", help="knowledge base file (default: the repository's faq.yaml)")
    ask.add_argument("questions", nargs="*")
    evaluate = commands.add_parser("eval", help="score labelled TSV files")
    evaluate.add_argument("files", nargs="+")
    evaluate.add_argument("--kb", help="knowledge base file")
    evaluate.add_argument("--misses", action="store_true", help="list every failure")
    evaluate.add_argument(
        "--folds", type=int, default=0, help="decide each row with a model fitted without it"
    )
    calibrate = commands.add_parser("calibrate", help="fit the answer/clarify/fallback model")
    calibrate.add_argument("files", nargs="+")
    calibrate.add_argument("--kb", help="knowledge base file")
    calibrate.add_argument("--folds", type=int, default=5)
    calibrate.add_argument("--write", action="store_true", help="save to knowledge/data")
    complaints = commands.add_parser("complaints", help="fit the complaint model")
    complaints.add_argument("complaints_command", choices=["fit"])
    complaints.add_argument("file", help="team-written labelled messages (tests/data)")
    complaints.add_argument(
        "--hold", default="final2,final3", help="batches left out of the fit, to measure it"
    )
    complaints.add_argument("--write", action="store_true", help="save to knowledge/data")


def _add_kb(commands: Commands) -> None:
    """kb check, kb drafts / accept / reject, kb suggest."""
    kb = commands.add_parser("kb", help="knowledge-base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_commands.add_parser("check", help="validate the knowledge base")
    check.add_argument("path", nargs="?")
    check.add_argument(
        "--facts", help="the team's fact sheet: name official pages for news-only entries"
    )
    check.add_argument(
        "--offices", help="the office directory (default: offices.yaml beside the file, if any)"
    )
    kb_commands.add_parser("drafts", help="list the FAQ drafts waiting for review")
    for name, what in (("accept", "is now in faq.yaml"), ("reject", "should not be")):
        decide = kb_commands.add_parser(name, help=f"mark a draft that {what}")
        decide.add_argument("draft_id", type=int)
    suggest = kb_commands.add_parser("suggest", help="propose a reviewed YAML patch from the log")
    suggest.add_argument("--out", help="write the patch here (default: standard output)")
    suggest.add_argument("--since", help="only questions from this date (YYYY-MM-DD)")


def _add_report(commands: Commands) -> None:
    report = commands.add_parser("report", help="write the admin report")
    report.add_argument("--since", help="first day (YYYY-MM-DD; default 30 days ago)")
    report.add_argument("--until", help="last day (YYYY-MM-DD; default today)")
    report.add_argument("--out", default="reports", help="output folder")
    report.add_argument("--format", choices=["html", "md", "csv"], default="html")
    report.add_argument("--applicants", help="CSV: month, walk_in, m_paspor")
    report.add_argument("--office", help="one office's report (its id in offices.yaml)")


def _add_db(commands: Commands) -> None:
    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrate to the newest schema")
    purge = db_commands.add_parser("purge", help="delete data past the retention period")
    purge.add_argument("--older-than", type=int, dest="older_than", help="days (default 365)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"Konfigurasi salah: {exc}", file=sys.stderr)
        return cli.EXIT_BAD_INPUT
    services = args.command in {"telegram", "serve"}
    logs.configure(logging.INFO if services else logging.WARNING, secret_values(settings))
    if 0 < len(settings.user_salt.reveal()) < MIN_CHOSEN_SECRET:
        # Not refused: hashes already stored were made with it. It is masked in logs from
        # 6 characters on.
        logging.getLogger(__name__).warning(
            "USER_HASH_SALT is shorter than %d characters: hashed ids are easier to reverse",
            MIN_CHOSEN_SECRET,
        )
    return cli.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
