"""The web chat: the zero-config channel, a page at `/` and a pull API under `/chat`."""
