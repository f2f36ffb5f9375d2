"""Use cases shared by every front end: the CLI, the Telegram bot and the console call these."""
