"""The typed shape of one webhook message (`value.messages[]`), validated at the edge."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Reply(_Model):
    id: str
    title: str | None = None


class _Interactive(_Model):
    type: str
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None


class _Location(_Model):
    latitude: float
    longitude: float
    name: str | None = None
    address: str | None = None


class _File(_Model):
    id: str
    mime_type: str | None = None
    filename: str | None = None


class _Text(_Model):
    body: str


class _Button(_Model):
    text: str | None = None
    payload: str | None = None


class _Context(_Model):
    id: str | None = None


class _Reaction(_Model):
    emoji: str | None = None


class Message(_Model):
    """One element of `value.messages[]`."""

    id: str
    type: str
    timestamp: str | None = None
    text: _Text | None = None
    interactive: _Interactive | None = None
    button: _Button | None = None
    location: _Location | None = None
    image: _File | None = None
    document: _File | None = None
    reaction: _Reaction | None = None
    context: _Context | None = None
    from_: str | None = Field(default=None, alias="from")
