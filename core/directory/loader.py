"""Load and validate the city directory YAML (format documented in bot/data/sample_city.yaml)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Final

from yaml.nodes import MappingNode, Node, SequenceNode

from core.directory.model import (
    Category,
    Directory,
    DirectoryError,
    Example,
    Kelurahan,
    Opd,
    OutOfAuthority,
    SlaTier,
)
from core.directory.validate import NodeReader, compose_root, is_null, line_of, peek_text, suggestion

SLUG_RE: Final = re.compile(r"[a-z0-9-]+")
CODE_RE: Final = re.compile(r"[a-z0-9_]+")
DEFAULT_TIERS: Final = (
    SlaTier("informasi", completion_days=5),
    SlaTier("pengaduan", completion_days=14),
    SlaTier("lapangan", completion_days=60),
)
_TOP_REQUIRED: Final = ("city", "opds", "categories")
_TOP_OPTIONAL: Final = ("sla_tiers", "kelurahan", "collective_leave", "out_of_authority", "examples")
MAX_EXAMPLE_CHARS: Final = 500


def bundled_directory_path() -> Path:
    """Path of the bundled sample city ("Kota Contoh"), the default `DIRECTORY_FILE`."""
    return Path(__file__).resolve().parents[2] / "bot" / "data" / "sample_city.yaml"


def load_directory_file(path: str | Path) -> Directory:
    """Read and validate a directory file; raise DirectoryError listing every problem."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DirectoryError(source, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DirectoryError(source, [f"line {line}: the file is not UTF-8 text"]) from exc
    return parse_directory(text, source)


def parse_directory(text: str, source: str = "<directory>", accepted: bool = False) -> Directory:
    """Parse directory YAML text; raise DirectoryError with all "line N: reason" problems.
    `accepted`: a stored directory, which passed this parser when it was stored."""
    root = compose_root(text, source, accepted)
    r = NodeReader()
    top = r.mapping(root, "directory", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        raise DirectoryError(source, r.errors)
    # An optional section left empty (every entry commented out) counts as absent.
    top = {k: v for k, v in top.items() if k in _TOP_REQUIRED or not is_null(v)}
    city = r.text(top["city"], "city") if "city" in top else None
    opds = _opds(r, top["opds"]) if "opds" in top else []
    tiers = _tiers(r, top["sla_tiers"]) if "sla_tiers" in top else list(DEFAULT_TIERS)
    # A missing or malformed section is reported once, not again by every category using it.
    slugs = {o.slug for o in opds} if isinstance(top.get("opds"), SequenceNode) else None
    sla = top.get("sla_tiers")
    names = {t.name for t in tiers} if tiers and (sla is None or isinstance(sla, MappingNode)) else None
    categories = _categories(r, top["categories"], slugs, names) if "categories" in top else []
    kelurahan = _kelurahan(r, top["kelurahan"]) if "kelurahan" in top else []
    leave = _leave(r, top["collective_leave"]) if "collective_leave" in top else []
    outside = _out_of_authority(r, top["out_of_authority"]) if "out_of_authority" in top else []
    codes = {c.code for c in categories} if isinstance(top.get("categories"), SequenceNode) else None
    for topic in outside:
        if codes is not None and topic.code in codes:
            r.error(top["out_of_authority"], f"out_of_authority '{topic.code}' is also a category code")
    # Examples may be filed under a category or under a topic outside the city's authority.
    known = None if codes is None else codes | {topic.code for topic in outside}
    examples = _examples(r, top["examples"], known) if "examples" in top else []
    if r.errors or city is None:
        raise DirectoryError(source, r.errors)
    return Directory(
        city=city,
        opds=tuple(opds),
        categories=tuple(categories),
        sla_tiers=tuple(tiers),
        kelurahan=tuple(kelurahan),
        collective_leave=tuple(sorted(leave)),
        out_of_authority=tuple(outside),
        examples=tuple(examples),
    )


def _label(kind: str, item: Node, key: str, index: int) -> str:
    name = peek_text(item, key)
    return f"{kind} '{name}'" if name else f"{kind} #{index}"


def _opds(r: NodeReader, node: Node) -> list[Opd]:
    """OPDs with a valid slug (so categories can still be checked against them)."""
    parsed: list[tuple[Opd, dict[str, Node]]] = []
    first: dict[str, int] = {}  # slug -> line it was first defined on
    for i, item in enumerate(r.sequence(node, "opds", non_empty=True), start=1):
        what = _label("opd", item, "slug", i)
        f = r.mapping(item, what, ("slug", "name"), ("aliases",))
        if f is None:
            continue
        slug = r.text(f["slug"], f"{what} slug", SLUG_RE) if "slug" in f else None
        name = r.text(f["name"], f"{what} name") if "name" in f else None
        aliases = r.text_list(f["aliases"], f"{what} aliases") if "aliases" in f else ()
        if slug is None:
            continue
        if slug in first:
            r.error(f["slug"], f"duplicate OPD slug '{slug}' (first on line {first[slug]})")
            continue
        first[slug] = line_of(f["slug"])
        parsed.append((Opd(slug=slug, name=name or slug, aliases=aliases), f))
    # An alias must name one OPD only, and never another OPD's slug.
    owners = {opd.slug: opd.slug for opd, _ in parsed}
    for opd, f in parsed:
        for alias in opd.aliases:
            owner = owners.setdefault(alias.casefold(), opd.slug)
            if owner != opd.slug:
                at = _item(f["aliases"], alias)
                r.error(at, f"opd '{opd.slug}': alias '{alias}' already names opd '{owner}'")
    return [opd for opd, _ in parsed]


def _item(seq: Node, text: str) -> Node:
    """The entry of a list node holding `text` (for a precise line), else the list."""
    entries = seq.value if isinstance(seq, SequenceNode) else []
    return next((e for e in entries if str(e.value).strip() == text), seq)


def _tiers(r: NodeReader, node: Node) -> list[SlaTier]:
    tiers: list[SlaTier] = []
    named = r.mapping(node, "sla_tiers", optional=None) or {}
    if isinstance(node, MappingNode) and not node.value:
        r.error(node, "sla_tiers: must define at least one tier")
    for name, item in named.items():
        what = f"sla tier '{name}'"
        if not CODE_RE.fullmatch(name):
            r.error(item, f"{what}: tier names must match {CODE_RE.pattern}")
        f = r.mapping(item, what, ("completion_days",), ("verification_days", "first_answer_days",
                                                          "confirmation_days", "ombudsman_days"))
        if f is None:
            continue
        # Keys left out (or invalid, already reported) take SlaTier's defaults.
        days = {k: n for k, v in f.items() if (n := r.positive_int(v, f"{what} {k}")) is not None}
        tiers.append(SlaTier(name, **{"completion_days": 1, **days}))
    return tiers


def _categories(r: NodeReader, node: Node, opds: set[str] | None, tiers: set[str] | None) -> list[Category]:
    categories: list[Category] = []
    first: dict[str, int] = {}
    optional = ("synonyms", "location_required", "auto_dispose")
    required = ("code", "name_id", "name_en", "opd", "sla_tier")
    for i, item in enumerate(r.sequence(node, "categories", non_empty=True), start=1):
        what = _label("category", item, "code", i)
        f = r.mapping(item, what, required, optional)
        if f is None:
            continue
        code = r.text(f["code"], f"{what} code", CODE_RE) if "code" in f else None
        texts = {k: r.text(f[k], f"{what} {k}") for k in required[1:] if k in f}
        opd, tier = texts.get("opd"), texts.get("sla_tier")
        if opd is not None and opds is not None and opd not in opds:
            r.error(f["opd"], f"{what}: opd '{opd}' is not a slug listed under opds")
        if tier is not None and tiers is not None and tier not in tiers:
            known = ", ".join(sorted(tiers))
            r.error(f["sla_tier"], f"{what}: sla_tier '{tier}' is not defined (known: {known})")
        synonyms = r.text_list(f["synonyms"], f"{what} synonyms") if "synonyms" in f else ()
        flags = {k: r.boolean(f[k], f"{what} {k}") for k in optional[1:] if k in f}
        if code is None:
            continue
        if code in first:
            r.error(f["code"], f"duplicate category code '{code}' (first on line {first[code]})")
            continue
        first[code] = line_of(f["code"])
        categories.append(
            Category(
                code=code,
                name_id=texts.get("name_id") or code,
                name_en=texts.get("name_en") or code,
                opd=opd or "",
                sla_tier=tier or "",
                synonyms=synonyms,
                location_required=flags.get("location_required", True) is not False,
                auto_dispose=flags.get("auto_dispose") is True,
            )
        )
    return categories


def _kelurahan(r: NodeReader, node: Node) -> list[Kelurahan]:
    places: list[Kelurahan] = []
    first: dict[tuple[str, str], int] = {}
    for i, item in enumerate(r.sequence(node, "kelurahan"), start=1):
        what = _label("kelurahan", item, "name", i)
        f = r.mapping(item, what, ("name", "kecamatan"), ("lat", "lon"))
        if f is None:
            continue
        name = r.text(f["name"], f"{what} name") if "name" in f else None
        kecamatan = r.text(f["kecamatan"], f"{what} kecamatan") if "kecamatan" in f else None
        lat = r.number(f["lat"], f"{what} lat", -90, 90) if "lat" in f else None
        lon = r.number(f["lon"], f"{what} lon", -180, 180) if "lon" in f else None
        if ("lat" in f) != ("lon" in f):
            r.error(item, f"{what}: give both lat and lon, or neither")
        if name is None or kecamatan is None:
            continue
        key = (name.casefold(), kecamatan.casefold())
        if key in first:
            r.error(
                item,
                f"duplicate kelurahan '{name}' in kecamatan '{kecamatan}' (first on line {first[key]})",
            )
            continue
        first[key] = line_of(item)
        places.append(Kelurahan(name=name, kecamatan=kecamatan, latitude=lat, longitude=lon))
    return places


def _leave(r: NodeReader, node: Node) -> list[date]:
    days: dict[date, int] = {}
    for item in r.sequence(node, "collective_leave"):
        day = r.iso_date(item, "collective_leave")
        if day is not None and day in days:
            r.error(item, f"collective_leave: {day} is listed twice (first on line {days[day]})")
        elif day is not None:
            days[day] = line_of(item)
    return list(days)


def _out_of_authority(r: NodeReader, node: Node) -> list[OutOfAuthority]:
    topics: list[OutOfAuthority] = []
    first: dict[str, int] = {}
    keys = ("code", "patterns", "institution_id", "institution_en")
    for i, item in enumerate(r.sequence(node, "out_of_authority"), start=1):
        what = _label("out_of_authority", item, "code", i)
        f = r.mapping(item, what, keys, ("unless",))
        if f is None:
            continue
        code = r.text(f["code"], f"{what} code", CODE_RE) if "code" in f else None
        patterns = r.text_list(f["patterns"], f"{what} patterns", True) if "patterns" in f else ()
        names = {k: r.text(f[k], f"{what} {k}") for k in keys[2:] if k in f}
        unless = r.text_list(f["unless"], f"{what} unless", False) if "unless" in f else ()
        if code is None:
            continue
        if code in first:
            r.error(f["code"], f"duplicate out_of_authority code '{code}' (first on line {first[code]})")
            continue
        first[code] = line_of(f["code"])
        topics.append(
            OutOfAuthority(
                code=code,
                patterns=patterns,
                institution_id=names.get("institution_id") or code,
                institution_en=names.get("institution_en") or code,
                unless=unless,
            )
        )
    return topics


def _examples(r: NodeReader, node: Node, codes: set[str] | None) -> list[Example]:
    """`examples:` category code -> list of resident texts; each text is listed once."""
    examples: list[Example] = []
    first: dict[str, tuple[str, int]] = {}  # casefolded text -> (code, line)
    for code, texts in (r.mapping(node, "examples", optional=None) or {}).items():
        what = f"examples of '{code}'"
        if codes is not None and code not in codes:
            key_node = next(k for k, v in node.value if v is texts)
            r.error(key_node, f"examples: '{code}' is not a category or out_of_authority code"
                    + suggestion(code, codes))
            continue
        for item in r.sequence(texts, what):
            text = r.text(item, f"{what} entry")
            if text is None:
                continue
            if len(text) > MAX_EXAMPLE_CHARS:
                r.error(item, f"{what}: a text of {len(text)} characters (at most {MAX_EXAMPLE_CHARS})")
                continue
            seen = " ".join(text.casefold().split())
            if seen in first:
                other, line = first[seen]
                r.error(item, f"{what}: the same text is already an example of '{other}' (line {line})")
                continue
            first[seen] = (code, line_of(item))
            examples.append(Example(code, text))
    return examples
