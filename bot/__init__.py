"""Helpline front door: triage dialog for a children's helpline (Telegram, SMS, console)."""
