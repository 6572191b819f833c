"""Untrusted input at the HTTP edge: a bounded JSON parse and surrogate-safe text, shared by the
webhooks and the JSON routes (`bot.edge.json_body`, `bot.edge.text`)."""
