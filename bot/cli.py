"""Command line: `helpline run | chat | classify | stats | demo-data`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot import cli_stats
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import CatalogMissing
from bot.logs import setup_logging


async def _serve(settings: Settings, console_address: str | None) -> None:
    """Build every configured channel through the one composition root and run them."""
    from bot.app import ConsoleIO, build_app

    console = ConsoleIO(sys.stdin, sys.stdout, console_address) if console_address else None
    app = await build_app(settings, console=console)
    try:
        await app.serve()
    finally:
        await app.close()


async def _chat(settings: Settings, address: str) -> None:
    """The console alone: `helpline chat` talks in this terminal, even with a token set."""
    alone = {
        "telegram_token": None,
        "twilio_account_sid": None,
        "twilio_auth_token": None,
        "twilio_from": None,
        "twilio_messaging_service_sid": None,
    }
    await _serve(settings.model_copy(update=alone), address)


async def _run(settings: Settings) -> None:
    """Every configured channel; the console when none is."""
    configured = settings.telegram_enabled or settings.sms_enabled
    await _serve(settings, None if configured else "local")


def _classify() -> int:
    from bot.classify import classify_stream

    classify_stream(sys.stdin, sys.stdout)
    return 0


def _directory_check(path: str | None) -> int:
    """Validate a referral directory file; every problem names its line."""
    from pathlib import Path

    from bot.directory import DEFAULT_FILE, parse

    file = Path(path) if path else DEFAULT_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        sys.stderr.write(f"helpline: cannot read {file}: {exc.strerror}\n")
        return 2
    directory, problems = parse(text)
    for problem in problems:
        sys.stderr.write(f"{file}:{problem.line}: {problem.message}\n")
    if problems:
        sys.stderr.write(f"{len(problems)} problem(s) in {file}\n")
        return 1
    samples = sum(e.sample for e in directory.entries)
    sys.stdout.write(f"{file}: {len(directory.entries)} entries ({samples} samples), all valid\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="helpline", description="Children's helpline front door")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start every configured channel (console when none is)")
    chat = sub.add_parser("chat", help="talk to the dialog in this terminal")
    chat.add_argument("--as", dest="address", default="local", help="console user to act as")
    sub.add_parser("classify", help="JSON lines {'text': …} in on stdin, one verdict out per line")
    cli_stats.add_parsers(sub)
    directory = sub.add_parser("directory", help="the referral directory")
    directory.add_argument("action", choices=["check"], help="check: validate the file")
    directory.add_argument("file", nargs="?", help="the file (default: the shipped one)")
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "classify":
        return _classify()
    if command == "directory":
        return _directory_check(args.file)
    try:
        settings = load_settings()
        setup_logging(settings.log_level)
        if command == "chat":
            asyncio.run(_chat(settings, args.address))
        elif command == "stats":
            return asyncio.run(cli_stats.run_stats(settings, args))
        elif command == "demo-data":
            return asyncio.run(cli_stats.run_demo_data(settings, args))
        else:
            asyncio.run(_run(settings))
    except ConfigError as exc:
        sys.stderr.write(f"helpline: {exc.message}\n")
        return 2
    except CatalogMissing as exc:
        sys.stderr.write(f"helpline: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
