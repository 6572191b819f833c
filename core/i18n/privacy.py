"""Texts about personal data: the notice, `/data_saya`, `/hapus_data` (merged into the catalog)."""

TEXTS: dict[str, tuple[str, str]] = {
    # One line, on a citizen's first message and under the web chat's input.
    "privacy.notice": (
        "🔒 Kami menyimpan nama, kontak chat, pesan dan laporan Anda untuk menindaklanjuti "
        "laporan dan mengabari Anda: pesan {messages_days} hari, identitas pelapor "
        "{identity_days} hari setelah laporan ditutup. Lihat: /data_saya · hapus: /hapus_data",
        "🔒 We keep your name, chat contact, messages and reports to handle your reports and "
        "keep you informed: messages {messages_days} days, a reporter's identity "
        "{identity_days} days after the report is closed. See: /mydata · erase: /deletedata",
    ),
    "web.privacy_notice": (
        "Kami menyimpan data Anda untuk menindaklanjuti laporan: pesan {messages_days} hari, "
        "identitas {identity_days} hari setelah laporan ditutup. Ketik /data_saya untuk "
        "melihatnya, /hapus_data untuk menghapusnya.",
        "We keep your data to handle your reports: messages {messages_days} days, your "
        "identity {identity_days} days after a report is closed. Type /mydata to see it, "
        "/deletedata to erase it.",
    ),
    # /data_saya
    "kept.header": ("🔒 Data yang kami simpan tentang Anda:", "🔒 What we keep about you:"),
    "kept.name": ("Nama: {name}", "Name: {name}"),
    "kept.chat": ("Kontak: {channel} {contact}", "Contact: {channel} {contact}"),
    "kept.web": ("sesi di peramban ini (tanpa nomor telepon)",
                 "this browser's session (no phone number)"),
    "kept.telegram": ("id chat {chat_id}", "chat id {chat_id}"),
    "kept.language": ("Bahasa: {name}", "Language: {name}"),
    "kept.since": ("Tercatat sejak: {date}", "Known since: {date}"),
    "kept.reports": ("Laporan Anda ({count}):", "Your reports ({count}):"),
    "kept.followed": ("Laporan yang Anda ikuti ({count}):", "Reports you follow ({count}):"),
    "kept.report_line": ("• {ref} · {title} · {status}", "• {ref} · {title} · {status}"),
    "kept.none": ("• tidak ada", "• none"),
    "kept.messages": (
        "Pesan untuk Anda yang masih tersimpan: {count} (dihapus {days} hari setelah terkirim).",
        "Messages to you still stored: {count} (removed {days} days after delivery).",
    ),
    "kept.purpose": (
        "Gunanya: menindaklanjuti laporan Anda dan mengabari Anda. Nama dan kontak hanya "
        "terlihat oleh petugas sesuai pilihan privasi laporan, dan dihapus {days} hari setelah "
        "laporannya ditutup. Untuk menghapus semuanya sekarang: /hapus_data",
        "Why: to handle your reports and keep you informed. Your name and contact are seen "
        "by staff only as each report's privacy allows, and removed {days} days after the "
        "report is closed. To erase it all now: /deletedata",
    ),
    "kept.nothing": ("Kami tidak menyimpan data apa pun tentang chat ini.",
                     "We keep no data about this chat."),
    # /hapus_data
    "erase.ask": (
        "Hapus data Anda? Nama, kontak, riwayat pesan dan tautan chat ini akan dihapus dari "
        "sistem. Laporan Anda tetap ditindaklanjuti tanpa identitas, tetapi kabar tentangnya "
        "tidak lagi dikirim ke chat ini. Ini tidak dapat dibatalkan.\n"
        "Tekan \"Ya, hapus\" atau ketik YA untuk menghapus; pesan lain membatalkan.",
        "Erase your data? Your name, contact, message history and the link to this chat will "
        "be removed. Your reports are still handled, without your identity, but no news about "
        "them is sent to this chat any more. This cannot be undone.\n"
        "Press \"Yes, erase\" or type YES to erase; any other message cancels.",
    ),
    "erase.btn.yes": ("Ya, hapus", "Yes, erase"),
    "erase.btn.no": ("Batal", "Cancel"),
    "erase.cancelled": ("Penghapusan dibatalkan. Data Anda tidak diubah.",
                        "Erasure cancelled. Nothing was changed."),
    "erase.expired": (
        "Permintaan penghapusan sudah kedaluwarsa. Ketik /hapus_data untuk mengulang.",
        "That erasure request has expired. Type /deletedata to start again.",
    ),
    "erase.done": (
        "Data Anda telah dihapus: nama, kontak, riwayat pesan dan tautan chat ini. Laporan Anda "
        "tetap ditindaklanjuti tanpa identitas. Terima kasih.",
        "Your data was erased: name, contact, message history and the link to this chat. Your "
        "reports are still handled, without your identity. Thank you.",
    ),
    "erase.admin_chat": (
        "Chat ini terdaftar sebagai admin. Minta operator mencabutnya (aduan admin revoke) "
        "sebelum menghapus data.",
        "This chat is enrolled as an admin. Ask the operator to revoke it (aduan admin revoke) "
        "before erasing its data.",
    ),
    # How admins and exports see a reporter whose identity is gone
    "reporter.erased.request": ("dihapus atas permintaan", "removed at their request"),
    "reporter.erased.retention": ("dihapus, masa simpan berakhir", "removed, retention period over"),
    "privacy.redacted": ("[dihapus]", "[removed]"),
    "event.reporter_erased": ("identitas pelapor dihapus atas permintaannya",
                              "the reporter's identity was erased at their request"),
    "event.reporter_expired": ("identitas pelapor dihapus: masa simpan berakhir",
                               "the reporter's identity was removed: retention period over"),
    "telegram.cmd.data_saya": ("Data saya yang disimpan", "What is kept about me"),
    "telegram.cmd.hapus_data": ("Hapus data saya", "Erase my data"),
}
