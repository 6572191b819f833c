"""Every chat channel, in start order: a new channel is its folder plus one line here."""

from __future__ import annotations

from bot.channels import telegram, web, whatsapp
from bot.channels.base import ChannelSpec

CHANNELS: tuple[ChannelSpec, ...] = (
    web.SPEC,
    whatsapp.SPEC,
    telegram.SPEC,
)
