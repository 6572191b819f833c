"""The typed shape of one webhook message (`value.messages[]`), validated at the edge."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

# Lengths far past what Meta sends: a longer value is hostile, and an id ends up in a URL.
Id = Annotated[str, Field(min_length=1, max_length=256)]
MediaId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,128}$")]  # a path segment of a GET
Text = Annotated[str, Field(max_length=65536)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Reply(_Model):
    id: Id
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
    id: MediaId
    mime_type: str | None = None
    filename: str | None = None


class _Text(_Model):
    body: Text


class _Button(_Model):
    text: str | None = None
    payload: str | None = None


class _Context(_Model):
    id: str | None = None


class _Reaction(_Model):
    emoji: str | None = None


class Message(_Model):
    """One element of `value.messages[]`."""

    id: Id
    type: Annotated[str, Field(max_length=64)]
    timestamp: str | None = None
    text: _Text | None = None
    interactive: _Interactive | None = None
    button: _Button | None = None
    location: _Location | None = None
    image: _File | None = None
    document: _File | None = None
    reaction: _Reaction | None = None
    context: _Context | None = None
    from_: Annotated[str, Field(max_length=64)] | None = Field(default=None, alias="from")
