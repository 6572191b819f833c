"""How values read on a dashboard page: local (WIB) times, names from the directory, the
deadline colours of `/tugas`, timeline lines, percentages. Templates call these as `p.…`."""

from __future__ import annotations

from datetime import date, datetime

from core.city import CityContext
from core.i18n import format_date, format_datetime, t
from core.reports.actors import Role
from core.reports.model import Privacy, ReportType, Status
from core.sla.policy import Colour, Step
from storage.read.detail import TimelineItem
from storage.read.map_points import DeadlineState
from storage.read.trends import Rising

NOTE_PREVIEW = 600
STATE_COLOURS = {DeadlineState.RED: Colour.RED.value, DeadlineState.YELLOW: Colour.YELLOW.value,
                 DeadlineState.GREEN: Colour.GREEN.value, DeadlineState.NONE: "⚪"}


class Presenter:
    """Formatting for one page: its reader's language, the city, and the page's `now`."""

    def __init__(self, lang: str, city: CityContext, now: datetime) -> None:
        self.lang, self.city, self.now = lang, city, now
        self._yellow_until: datetime | None = None

    @property
    def yellow_until(self) -> datetime:
        """Deadlines due by the end of the next working day are 🟡 (as in `/tugas`)."""
        if self._yellow_until is None:
            self._yellow_until = self.city.sla.yellow_until(self.now)
        return self._yellow_until

    def state(self, due: datetime | None) -> DeadlineState:
        if due is None:
            return DeadlineState.NONE
        if due < self.now:
            return DeadlineState.RED
        return DeadlineState.YELLOW if due <= self.yellow_until else DeadlineState.GREEN

    def colour(self, due: datetime | None) -> str:
        return STATE_COLOURS[self.state(due)]

    def states(self) -> list[tuple[str, str, str]]:
        """The legend: (state, emoji, words) for each deadline state."""
        return [(s.value, STATE_COLOURS[s], t(f"dash.state.{s.value}", self.lang))
                for s in DeadlineState]

    def short_dt(self, moment: datetime) -> str:
        """"8 Jul 2026 13:58" (WIB) for a table cell."""
        local = moment.astimezone(self.city.tz)
        return f"{self.short_day(local)} {local:%H:%M}"

    def short_day(self, moment: datetime | date) -> str:
        """"8 Jul 2026" (WIB)."""
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.city.tz).date()
        day, month, year = format_date(moment, self.lang).split(" ")
        return f"{day} {month[:3]} {year}"

    def dt(self, moment: datetime | None) -> str:
        return format_datetime(moment, self.lang, self.city.tz) if moment else "-"

    def day(self, moment: datetime | date | None) -> str:
        if moment is None:
            return "-"
        if isinstance(moment, datetime):
            moment = moment.astimezone(self.city.tz).date()
        return format_date(moment, self.lang)

    def month(self, moment: datetime) -> str:
        """"Juni 2026" for a moment in June 2026 (WIB)."""
        return format_date(moment.astimezone(self.city.tz).date(), self.lang).split(" ", 1)[1]

    def iso_day(self, moment: datetime) -> str:
        return moment.astimezone(self.city.tz).date().isoformat()

    def category(self, code: str) -> str:
        found = self.city.directory.category(code)
        return found.name(self.lang) if found else code

    def opd(self, slug: str | None) -> str:
        if not slug:
            return "-"
        found = self.city.directory.opd(slug)
        return found.name if found else slug

    def short_opd(self, slug: str | None) -> str:
        """An OPD's short name for a chart's axis: its first alias, else its slug."""
        found = self.city.directory.opd(slug) if slug else None
        if found is None:
            return (slug or "-").upper()
        return found.aliases[0] if found.aliases else found.slug.upper()

    def role(self, role: Role) -> str:
        return t(f"role.{role.value}", self.lang)

    def state_text(self, due: datetime | None) -> str:
        return t(f"dash.state.{self.state(due).value}", self.lang)

    def report_type(self, kind: ReportType) -> str:
        return t(f"type.{kind.value}", self.lang)

    def privacy(self, privacy: Privacy) -> str:
        return t(f"privacy.{privacy.value}", self.lang)

    def verb(self, action: str) -> str:
        """A button's label: the chat command's verb (Verifikasi, Balas, …) in any language."""
        return t(f"dash.verb.{action}", self.lang)

    def column(self, name: str) -> str:
        return t(f"dash.sla.col.{name}", self.lang)

    def ratio(self, rise: Rising) -> str:
        if rise.expected == 0:
            return t("dash.patterns.new", self.lang)
        return f"×{self.number(round(rise.ratio, 1))}"

    def status(self, status: Status) -> str:
        """The lifecycle word's meaning in the reader's language (the word itself is shown)."""
        return t(f"status.{status.value}", self.lang)

    def step(self, step: Step | str) -> str:
        return t(f"deadline.{Step(step).value}", self.lang)

    def event(self, item: TimelineItem) -> str:
        note = (item.note or "")[:NOTE_PREVIEW]
        try:
            what = t(f"event.{item.kind}", self.lang, note=note)
        except KeyError:
            what = t("event.other", self.lang, kind=item.kind)
        return what

    def actor(self, item: TimelineItem) -> str:
        if item.actor_name:
            return item.actor_name + (f" · {self.opd(item.actor_opd)}" if item.actor_opd else "")
        return t(f"dash.actor.{item.actor_kind.value}", self.lang)

    @staticmethod
    def share(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    def pct(self, part: int, whole: int) -> str:
        value = self.share(part, whole)
        return "-" if value is None else f"{self.number(value)} %"

    def hours(self, value: float | None) -> str:
        return "-" if value is None else t("dash.hours", self.lang, n=self.number(round(value, 1)))

    def number(self, value: float) -> str:
        """Indonesian writes a decimal comma."""
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",") if self.lang == "id" else text
