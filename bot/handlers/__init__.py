"""aiogram routers of the user-facing Telegram channel: private chats, errors, middlewares."""
