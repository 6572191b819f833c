"""Texts of the main menu, global commands, status answers and the web chat's chrome."""

TEXTS: dict[str, tuple[str, str]] = {
    # Main menu and global commands
    "welcome": (
        "Selamat datang di layanan pengaduan {city}. Di sini Anda dapat menyampaikan pengaduan, "
        "aspirasi atau permintaan informasi kepada Pemerintah Kota, dan memantau tindak lanjutnya.",
        "Welcome to the {city} complaint service. Here you can send a complaint, a suggestion "
        "or an information request to the city government and follow what is done about it.",
    ),
    "menu.prompt": ("Apa yang ingin Anda lakukan?", "What would you like to do?"),
    "menu.lapor": ("Buat laporan", "New report"),
    "menu.status": ("Cek status", "Check status"),
    "menu.bahasa": ("Bahasa / Language", "Bahasa / Language"),
    "menu.bantuan": ("Bantuan", "Help"),
    "idle.hint": (
        "Untuk membuat laporan baru, tekan \"Buat laporan\" atau ketik /lapor.",
        "To file a new report, press \"New report\" or type /lapor.",
    ),
    "help.general": (
        "Perintah yang tersedia:\n/lapor — buat laporan baru\n/status [nomor] — cek status "
        "laporan\n/batal — batalkan pengisian laporan\n/bahasa — ganti bahasa\n/bantuan — bantuan"
        "\n/data_saya — data Anda yang kami simpan\n/hapus_data — hapus data Anda"
        "\nSelama mengisi laporan, ketik \"kembali\" untuk ke pertanyaan sebelumnya.",
        "Available commands:\n/lapor (or /report) — new report\n/status [number] — check a "
        "report\n/batal (or /cancel) — cancel the report you are filling in\n/bahasa — change "
        "language\n/bantuan (or /help) — help\n/data_saya (or /mydata) — what we keep "
        "about you\n/hapus_data (or /deletedata) — erase your data\nWhile filling in a "
        "report, type \"back\" to return to the previous question.",
    ),
    "cancelled": (
        "Pengisian laporan dibatalkan. Data yang belum dikirim telah dihapus.",
        "The report was cancelled. Nothing you had entered was sent or kept.",
    ),
    "nothing_to_cancel": (
        "Tidak ada laporan yang sedang diisi.",
        "You are not filling in a report right now.",
    ),
    "form.in_progress": (
        "Anda sedang mengisi laporan. Lanjutkan dengan menjawab pertanyaan berikut, atau ketik "
        "/batal untuk membatalkan.",
        "You are in the middle of a report. Carry on with the question below, or type /batal "
        "to cancel.",
    ),
    "form.first_step": (
        "Ini pertanyaan pertama. Ketik /batal jika ingin membatalkan.",
        "This is the first question. Type /batal if you want to cancel.",
    ),
    "rate_limited": (
        "Maaf, Anda sudah mengirim {limit} laporan hari ini, batas harian kami. Silakan kirim "
        "laporan berikutnya besok. Laporan yang sudah masuk tetap kami proses.",
        "Sorry, you have already sent {limit} reports today, our daily limit. Please send the "
        "next one tomorrow. The reports you already sent are being handled.",
    ),
    "language.prompt": ("Pilih bahasa:", "Choose a language:"),
    "language.set": ("Bahasa diganti ke Bahasa Indonesia.", "Language set to English."),
    "language.unknown": (
        "Bahasa tidak dikenal. Pilih Bahasa Indonesia atau English.",
        "Unknown language. Choose Bahasa Indonesia or English.",
    ),
    "option.not_understood": (
        "Maaf, saya tidak mengerti \"{text}\". Silakan pilih salah satu tombol, atau ketik "
        "nomornya.",
        "Sorry, I did not understand \"{text}\". Please choose one of the buttons, or type its "
        "number.",
    ),
    "nav.back": ("Kembali", "Back"),
    "nav.cannot_skip": (
        "Pertanyaan ini tidak dapat dilewati.",
        "This question cannot be skipped.",
    ),
    "command.unknown": (
        "Perintah /{command} tidak dikenal. Ketik /bantuan untuk daftar perintah.",
        "Unknown command /{command}. Type /bantuan (or /help) for the list.",
    ),
    "option.stale": (
        "Tombol itu dari pertanyaan sebelumnya. Silakan jawab pertanyaan terakhir:",
        "That button belongs to an earlier question. Please answer the latest one:",
    ),
    "unsupported": (
        "Maaf, pesan jenis ini belum dapat diproses. Kirim teks, foto atau lokasi.",
        "Sorry, this kind of message cannot be handled. Send text, a photo or a location.",
    ),
    "nav.skip": ("Lewati", "Skip"),
    # Status
    "status.none": (
        "Anda belum mempunyai laporan. Ketik /lapor untuk membuat laporan.",
        "You have no reports yet. Type /lapor to file one.",
    ),
    "status.list_header": ("Laporan Anda:", "Your reports:"),
    "status.line": (
        "{tracking_no} — {title}\n  {status} · diperbarui {updated}",
        "{tracking_no} — {title}\n  {status} · updated {updated}",
    ),
    "status.detail": (
        "{tracking_no}\nJudul: {title}\nKategori: {category}\nStatus: {status}\n"
        "Dikirim: {created}\nDiperbarui: {updated}",
        "{tracking_no}\nTitle: {title}\nCategory: {category}\nStatus: {status}\n"
        "Sent: {created}\nUpdated: {updated}",
    ),
    "status.not_found": (
        "Laporan {ref} tidak ditemukan di antara laporan Anda.",
        "Report {ref} was not found among your reports.",
    ),
    "status.bad_ref": (
        "Nomor laporan \"{ref}\" tidak dikenali. Contoh: /status ADU-2026-000123",
        "\"{ref}\" is not a report number. Example: /status ADU-2026-000123",
    ),
    "status.baru": ("Baru, menunggu verifikasi", "New, awaiting verification"),
    "status.didisposisikan": ("Diteruskan ke dinas", "Forwarded to the agency"),
    "status.diproses": ("Sedang ditindaklanjuti", "Being handled"),
    "status.selesai": ("Selesai ditindaklanjuti", "Resolved"),
    "status.ditutup": ("Ditutup", "Closed"),
    "status.ditolak": ("Tidak dapat diproses", "Rejected"),
    # Web chat chrome
    "web.title": ("Aduan {city}", "Aduan {city}"),
    "web.subtitle": (
        "Layanan pengaduan masyarakat · terhubung ke SP4N-LAPOR!",
        "Public complaint service · connected to SP4N-LAPOR!",
    ),
    "web.placeholder": ("Tulis pesan…", "Type a message…"),
    "web.send": ("Kirim", "Send"),
    "web.share_location": ("Bagikan lokasi", "Share location"),
    "web.location_unsupported": (
        "Peramban ini tidak mendukung lokasi. Ketik alamatnya.",
        "This browser cannot share a location. Please type the address.",
    ),
    "web.location_denied": (
        "Izin lokasi ditolak. Ketik alamatnya saja.",
        "Location permission was denied. Please type the address instead.",
    ),
    "web.attach_photo": ("Lampirkan foto", "Attach a photo"),
    "web.uploading": ("Mengunggah foto…", "Uploading photo…"),
    "web.upload_too_large": (
        "Foto terlalu besar (maksimal {max_mb} MB).",
        "The photo is too large (at most {max_mb} MB).",
    ),
    "web.error_network": (
        "Koneksi terputus. Pesan belum terkirim; coba lagi.",
        "Connection lost. The message was not sent; please try again.",
    ),
    "web.new_chat": ("Percakapan baru", "New conversation"),
    "web.language": ("Bahasa", "Language"),
    "web.unknown_session": (
        "Sesi tidak ditemukan. Mulai percakapan baru.",
        "Session not found. Please start a new conversation.",
    ),
    "web.empty_message": (
        "Pesan kosong. Tulis teks, pilih tombol, atau kirim lokasi.",
        "Empty message. Type text, press a button, or share a location.",
    ),
    "web.bad_upload": (
        "Berkas tidak dapat diterima: hanya foto JPEG, PNG atau WebP.",
        "That file cannot be accepted: only JPEG, PNG or WebP photos.",
    ),
    "web.too_many_requests": (
        "Terlalu banyak pesan dalam waktu singkat. Tunggu sebentar.",
        "Too many messages in a short time. Please wait a moment.",
    ),
}
