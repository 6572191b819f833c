"""Texts of the nudge ladder, digests, the weekly summary, snoozing and the Ombudsman notice."""

TEXTS: dict[str, tuple[str, str]] = {
    # Nudges to admins: what is due, when, and why they get it
    "nudge.reminder": (
        "⏰ Pengingat: tenggat {what} laporan {ref} hari ini, {due}.\n"
        "Anda menerima ini karena laporan ini menunggu tindakan Anda ({days} hari kerja sejak "
        "{since}). /tunda {ref} menunda pengingat satu hari kerja.",
        "⏰ Reminder: the {what} deadline of report {ref} is today, {due}.\n"
        "You get this because the report awaits your action ({days} working days since "
        "{since}). /tunda {ref} snoozes reminders for one working day.",
    ),
    "nudge.overdue": (
        "🔴 Lewat tenggat: {what} laporan {ref} jatuh tempo {due}.\n"
        "Dikirim ke semua admin {opd} dan koordinator. /tunda {ref} menunda pengingat satu hari "
        "kerja.",
        "🔴 Overdue: the {what} of report {ref} was due {due}.\n"
        "Sent to all admins of {opd} and the coordinators. /tunda {ref} snoozes reminders for "
        "one working day.",
    ),
    "nudge.coordinators": ("koordinator", "the coordinators"),
    # Daily digest
    "digest.header": (
        "☀️ Ringkasan tugas {date} ({scope}): {total} laporan menunggu\n"
        "🔴 {red} lewat tenggat · 🟡 {yellow} tenggat ≤ 1 hari kerja · 🟢 {green} aman",
        "☀️ Work summary {date} ({scope}): {total} reports waiting\n"
        "🔴 {red} overdue · 🟡 {yellow} due within 1 working day · 🟢 {green} on track",
    ),
    "digest.urgent": ("Paling mendesak:", "Most urgent:"),
    "digest.line": ("{colour} {ref} · {what} · tenggat {due} · {title}",
                    "{colour} {ref} · {what} · due {due} · {title}"),
    "digest.footer": ("/tugas untuk antrean lengkap.", "/tugas for the full queue."),
    # Weekly summary to the coordinator
    "weekly.header": (
        "📊 Ringkasan mingguan {start} – {end}\n"
        "Per OPD: diterima · dijawab (tepat waktu) · lewat tenggat kini · median waktu jawab",
        "📊 Weekly summary {start} – {end}\n"
        "Per agency: received · answered (on time) · overdue now · median time to answer",
    ),
    "weekly.line": ("{opd}: {received} · {answered} ({on_time}) · {overdue} · {median}",
                    "{opd}: {received} · {answered} ({on_time}) · {overdue} · {median}"),
    "weekly.total": ("Total: {received} · {answered} ({on_time}) · {overdue} · {median}",
                     "Total: {received} · {answered} ({on_time}) · {overdue} · {median}"),
    "weekly.empty": ("Tidak ada laporan yang diteruskan ke OPD pekan ini.",
                     "No reports were sent to agencies this week."),
    "weekly.hours": ("{value} jam", "{value} h"),
    "weekly.days": ("{value} hari", "{value} d"),
    "weekly.none": ("-", "-"),
    # /tunda
    "work.done.tunda": (
        "Pengingat laporan {ref} ditunda sampai {until}. Tenggat {what} tetap {due}.",
        "Reminders for {ref} are snoozed until {until}. The {what} deadline stays {due}.",
    ),
    "work.tunda_nothing": ("Laporan {ref} tidak punya tenggat yang berjalan.",
                           "Report {ref} has no running deadline."),
    "event.snoozed": ("pengingat ditunda sampai {note}", "reminders snoozed until {note}"),
    "event.nudged": ("pengingat terkirim: {note}", "reminder sent: {note}"),
    "event.ombudsman": ("pelapor diberi tahu jalur Ombudsman", "the reporter was told about the Ombudsman"),
    "nudge.what.reminder": ("tenggat hari ini", "due today"),
    "nudge.what.overdue": ("lewat tenggat", "overdue"),
    # The citizen, after the Ombudsman period unresolved
    "update.ombudsman": (
        "Laporan Anda belum terselesaikan setelah {days} hari. Anda dapat melaporkan "
        "penanganannya ke Ombudsman Republik Indonesia (ombudsman.go.id, telepon 137) dengan "
        "menyebut nomor laporan ini. Kami tetap memantau laporan Anda.",
        "Your report is still unresolved after {days} days. You may take how it was handled to "
        "the Ombudsman of the Republic of Indonesia (ombudsman.go.id, phone 137), quoting this "
        "report's number. We keep following your report.",
    ),
}
