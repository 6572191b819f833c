"""WHATSAPP_MESSAGES_PER_SECOND paces the WhatsApp sender (was a constant)."""

from bot.settings import Settings


def test_whatsapp_rate_is_a_setting_with_metas_default(monkeypatch):
    monkeypatch.delenv("WHATSAPP_MESSAGES_PER_SECOND", raising=False)
    assert Settings(_env_file=None).whatsapp_messages_per_second == 80.0
    monkeypatch.setenv("WHATSAPP_MESSAGES_PER_SECOND", "250")
    assert Settings(_env_file=None).whatsapp_messages_per_second == 250.0
