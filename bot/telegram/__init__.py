"""Telegram plumbing below the handlers: sending with retries, flood control, chat message log."""
