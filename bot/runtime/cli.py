"""What each command does; `__main__` only parses arguments."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.core.errors import BotError
from bot.core.privacy import redact
from bot.runtime import content_cli, evaluate
from bot.runtime.config import Settings
from knowledge.complaints import Voice, default_recogniser
from knowledge.errors import KnowledgeError
from knowledge.loader import load
from knowledge.matcher import Matcher
from knowledge.policy import Decision, Thresholds, decide
from knowledge.ranking import Ranking

EXIT_BAD_INPUT = 2
# The office directory sits beside faq.yaml; a single-office deployment simply has none.


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch a parsed command; known errors become a message and exit code 2."""
    try:
        return _dispatch(args, settings)
    except KnowledgeError as exc:
        print(f"faq.yaml tidak bisa dipakai:\n{exc}", file=sys.stderr)
    except BotError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in {"chat", "telegram", "serve"}:
        from bot.runtime.runners import run_loop  # here for the reason given in `serve`

        run_loop(serve(settings, args), fast=args.command != "chat")
        return 0
    if args.command == "ask":
        return ask(settings, args)
    if args.command == "eval":
        return run_eval(settings, args)
    if args.command == "calibrate":
        return run_calibrate(settings, args)
    if args.command == "complaints":
        from bot.runtime import complaint_fit

        return complaint_fit.run(Path(args.file), set(args.hold.split(",")), write=args.write)
    if args.command == "kb":
        return _kb(settings, args)
    if args.command == "report":
        return asyncio.run(report(settings, args))
    if args.command == "content":
        return content_cli.run(settings, args)
    if args.command == "admin":
        from bot.runtime import admin_cli

        return admin_cli.run(settings, args)
    return _db(settings, args)


def _kb(settings: Settings, args: argparse.Namespace) -> int:
    if args.kb_command == "check":
        from bot.runtime import kb_check

        path = Path(args.path) if args.path else settings.faq_path
        facts = Path(args.facts) if args.facts else None
        return kb_check.run(
            path, facts=facts, offices=Path(args.offices) if args.offices else None
        )
    if args.kb_command == "suggest":
        return asyncio.run(suggest(settings, args))
    return asyncio.run(review(settings, args))


def _db(settings: Settings, args: argparse.Namespace) -> int:
    if args.db_command == "purge":
        return asyncio.run(purge(settings, args))
    from bot.storage.database import upgrade_sync

    upgrade_sync(settings.database_url)
    print("Database sudah versi terbaru.")
    return 0


# The one-shot commands check their input first, so bad input exits 2 and leaves the database
# alone; only then does the composition root open it and hand over the stores. Their modules
# are imported here: each needs the database stack, which `ask` and `eval` should not pay for.


async def report(settings: Settings, args: argparse.Namespace) -> int:
    """`report`: write the report files for the chosen period."""
    from bot.reporting.command import report_request, run_report
    from bot.runtime.app import one_shot
    from bot.runtime.app.feature_settings import report_settings
    from bot.runtime.app.parts import build_offices

    reporting = report_settings(settings, build_offices(settings))
    request = report_request(reporting, args)
    if request is None:
        return EXIT_BAD_INPUT
    async with one_shot(settings) as tools:
        return await run_report(
            reporting, request, tools.reports, posts=tools.posts, record=tools.record
        )


async def suggest(settings: Settings, args: argparse.Namespace) -> int:
    """`kb suggest`: propose additions to faq.yaml from the log."""
    from bot.runtime.app import one_shot
    from bot.runtime.app.feature_settings import suggest_settings
    from bot.suggestions.command import run_suggest, suggest_request

    suggesting = suggest_settings(settings)
    request = suggest_request(suggesting, out=args.out, since=args.since)
    async with one_shot(settings) as tools:
        return await run_suggest(suggesting, request, tools.evidence, tools.drafts)


async def review(settings: Settings, args: argparse.Namespace) -> int:
    """`kb drafts | accept N | reject N` (argparse has checked N)."""
    from bot.runtime.app import one_shot
    from bot.runtime.app.feature_settings import suggest_settings
    from bot.suggestions.learner import Learning, learn
    from bot.suggestions.review import run_review

    suggesting = suggest_settings(settings)
    async with one_shot(settings) as tools:

        async def learning() -> Learning:
            matcher = Matcher(load(suggesting.faq_path))
            now = dt.datetime.now(dt.UTC)
            return await learn(
                tools.evidence, tools.drafts, matcher, now=now, min_people=suggesting.min_people
            )

        number = getattr(args, "draft_id", None)
        return await run_review(tools.drafts, args.kb_command, number, learning=learning)


async def purge(settings: Settings, args: argparse.Namespace) -> int:
    """`db purge`: delete what is older than the retention period."""
    from bot.runtime.app import one_shot
    from bot.runtime.purge import channel_retention, retention_days, run_purge

    days = retention_days(settings, args.older_than)
    if days is None:
        return EXIT_BAD_INPUT
    async with one_shot(settings) as tools:
        return await run_purge(tools.retention, days, channels=channel_retention(settings))


async def serve(settings: Settings, args: argparse.Namespace) -> None:
    """Run a long-lived process: the terminal chat, Telegram polling or the webhook server."""
    # Imported here so `ask`, `eval` and `kb check` do not pay for PTB, uvicorn and SQLAlchemy.
    from bot.runtime import runners

    if args.command == "chat":
        await runners.run_chat(settings)
    elif args.command == "telegram":
        await runners.run_polling(settings)
    else:
        await runners.run_webhook(settings, host=args.host, port=args.port)


def _matcher(settings: Settings, kb_path: str | None) -> Matcher:
    return Matcher(load(Path(kb_path) if kb_path else settings.faq_path))


def _questions(given: list[str]) -> Iterator[str]:
    if given:
        yield from given
        return
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


def ask(settings: Settings, args: argparse.Namespace) -> int:
    """Match questions and print the decision; never touches the database."""
    matcher = _matcher(settings, args.kb)
    for question in _questions(args.questions):
        ranking = matcher.rank(question)
        decision = decide(ranking, settings.thresholds)
        voice = default_recogniser().hear(redact(question).text)  # as the conversation hears
        if args.json:
            print(json.dumps(as_json(decision, voice)))
        elif args.explain:
            print(explain(question, ranking, decision, voice))
        else:
            print(as_text(question, decision))
        sys.stdout.flush()
    return 0


def as_json(decision: Decision, voice: Voice | None = None) -> dict[str, object]:
    """The stable `ask --json` contract; "complaint" says whether a complaint or suggestion
    was heard (the conversation then thanks and passes it on), "complaint_topic" about what."""
    return {
        "action": decision.action,
        "faq_id": decision.entry.id if decision.entry else None,
        "score": round(decision.score, 4),
        "candidates": [
            {"faq_id": c.entry.id, "score": round(c.score, 4)} for c in decision.candidates
        ],
        "p_answer": round(decision.p_answer, 4),
        "p_help": round(decision.p_help, 4),
        "redirect": decision.redirect.id if decision.redirect else None,
        "complaint": voice is not None,
        "complaint_topic": voice.topic if voice else None,
    }


def explain(
    question: str, ranking: Ranking, decision: Decision, voice: Voice | None = None
) -> str:
    """Parts, features and the reason: what a KB maintainer needs to fix a miss."""
    lines = [as_text(question, decision), "parts:"]
    for part in ranking.parts:
        kind = "filler " if part.filler else "content"
        lines.append(f"  {kind}  {part.text!r} -> {' '.join(part.words) or '-'}")
    lines.append(f"matched on: {ranking.normalized or '-'}")
    lines.append(f"domain terms: {', '.join(ranking.domain_terms) or 'none'}")
    if ranking.asked_top:
        lines.append(f"the asking parts alone point at: {ranking.asked_top}")
    if ranking.part_tops:
        lines.append(
            "best entry per part: " + ", ".join(f"{i} {s:.2f}" for i, s in ranking.part_tops)
        )
    lines.append("ranking: " + ", ".join(f"{s.entry.id} {s.score:.2f}" for s in ranking.scored))
    lines.append("features: " + ", ".join(f"{k}={v:.2f}" for k, v in decision.features.items()))
    lines.append(f"p_answer={decision.p_answer:.2f} p_help={decision.p_help:.2f}")
    why = decision.reason
    if decision.redirect is not None:
        why += f"; fallback names the pointer {decision.redirect.id}"
    lines.append(f"why {decision.action}: {why}")
    if voice is not None:
        lines.append(f"complaint: {voice.kind} about {voice.topic} ({', '.join(voice.cues)})")
    return "\n".join(lines)


def as_text(question: str, decision: Decision) -> str:
    """One readable line per question."""
    chosen = decision.entry.id if decision.entry else "-"
    top = ", ".join(f"{c.entry.id} {c.score:.2f}" for c in decision.candidates)
    return f"{decision.action:8} {chosen:20} {decision.score:.2f}  [{top}]  {question}"


def run_eval(settings: Settings, args: argparse.Namespace) -> int:
    """Score labelled files (each and together) and print the figures."""
    matcher = _matcher(settings, args.kb)
    rows = evaluate.read_rows([Path(f) for f in args.files])
    if args.folds:
        from bot.runtime.calibrate import held_out

        decided = held_out(rows, matcher, args.folds)
        title = f" (held-out folds, k={args.folds})"
    else:
        decided, title = evaluate.decisions(rows, matcher, settings.thresholds), ""
    print(evaluate.render_files(decided, misses=args.misses, title=title))
    return 0


def run_calibrate(settings: Settings, args: argparse.Namespace) -> int:
    """Fit the decision model, report held-out and fitted figures, optionally save it."""
    from bot.runtime import calibrate

    matcher = _matcher(settings, args.kb)
    rows = evaluate.read_rows([Path(f) for f in args.files])
    held = calibrate.held_out(rows, matcher, args.folds)
    print(evaluate.render_files(held, misses=False, title=f" (held-out folds, k={args.folds})"))
    model = calibrate.fit(calibrate.label(rows, matcher))
    fitted = Thresholds.of(model)
    decided = evaluate.decisions(rows, matcher, fitted)
    print(evaluate.render_files(decided, misses=False, title=" (fitted on all rows)"))
    print("\n" + "\n".join(model.rows()))
    if args.write:
        calibrate.write(model)
        print(f"\nsaved to {calibrate.MODEL_PATH}")
    return 0
