"""Channels that render the dialog: console (here), SMS; Telegram lives in bot/handlers."""
