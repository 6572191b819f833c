"""The city directory: OPDs, categories, kelurahan and SLA tiers (loaded from YAML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Opd:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SlaTier:
    """Working-day targets for one tier (DESIGN.md "SLA defaults")."""

    name: str
    completion_days: int
    verification_days: int = 3
    first_answer_days: int = 5
    confirmation_days: int = 10  # working days the citizen may confirm or dispute a `selesai`
    ombudsman_days: int = 60  # calendar days unresolved before the Ombudsman route is offered


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name_id: str
    name_en: str
    opd: str  # OPD slug
    sla_tier: str
    synonyms: tuple[str, ...] = ()
    location_required: bool = True
    auto_dispose: bool = False

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id


@dataclass(frozen=True, slots=True)
class Example:
    """A resident's text filed under a category (a verified past report): matcher evidence."""

    category: str  # category code
    text: str


@dataclass(frozen=True, slots=True)
class Kelurahan:
    name: str
    kecamatan: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class OutOfAuthority:
    """A topic the city does not handle, and who does (e.g. PLN for power cuts)."""

    code: str
    patterns: tuple[str, ...]
    institution_id: str
    institution_en: str
    # Words or phrases that make a text the city's matter after all, said anywhere in it:
    # "PBB" beside "sertifikat tanah" is the tax office's bill, "RSUD" beside "BPJS" the city
    # hospital's service.
    unless: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Directory:
    city: str
    opds: tuple[Opd, ...]
    categories: tuple[Category, ...]
    sla_tiers: tuple[SlaTier, ...]
    kelurahan: tuple[Kelurahan, ...] = ()
    collective_leave: tuple[date, ...] = ()
    out_of_authority: tuple[OutOfAuthority, ...] = ()
    examples: tuple[Example, ...] = ()
    _by_code: dict[str, Category] = field(default_factory=dict, repr=False, compare=False)
    _by_slug: dict[str, Opd] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({c.code: c for c in self.categories})
        self._by_slug.update({o.slug: o for o in self.opds})

    def category(self, code: str) -> Category | None:
        return self._by_code.get(code)

    def opd(self, slug: str) -> Opd | None:
        return self._by_slug.get(slug)

    def tier(self, name: str) -> SlaTier | None:
        return next((t for t in self.sla_tiers if t.name == name), None)


class DirectoryError(ValueError):
    """A directory file that cannot be used; `errors` are "line N: reason" strings."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors))
