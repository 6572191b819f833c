"""Texts of the Telegram channel (merged into core.catalog.CATALOG)."""

TEXTS: dict[str, tuple[str, str]] = {
    "telegram.private_only": (
        "Maaf, layanan pengaduan hanya melayani pesan pribadi, agar data Anda tidak terlihat "
        "orang lain. Silakan kirim pesan langsung kepada saya.",
        "Sorry, the complaint service only works in a private chat, so your details stay "
        "private. Please message me directly.",
    ),
    "telegram.file_too_large": (
        "Berkas terlalu besar (maksimal {max_mb} MB). Silakan kirim foto yang lebih kecil.",
        "That file is too large (at most {max_mb} MB). Please send a smaller photo.",
    ),
    "telegram.file_type": (
        "Maaf, hanya foto (JPEG, PNG atau WebP) yang dapat diterima. Berkas lain tidak disimpan.",
        "Sorry, only photos (JPEG, PNG or WebP) can be accepted. Other files are not kept.",
    ),
    "telegram.file_unavailable": (
        "Foto tidak dapat diambil dari Telegram. Silakan kirim ulang.",
        "The photo could not be fetched from Telegram. Please send it again.",
    ),
    "telegram.share_location": ("📍 Kirim lokasi saya", "📍 Send my location"),
    "telegram.location_placeholder": (
        "Kirim lokasi atau ketik alamat",
        "Send a location or type an address",
    ),
    "telegram.chosen": ("✅ {label}", "✅ {label}"),
    "telegram.choose": ("Pilih salah satu:", "Choose one:"),
    "telegram.cmd.lapor": ("Buat laporan baru", "File a new report"),
    "telegram.cmd.tugas": ("Antrean laporan saya", "My queue of reports"),
    "telegram.cmd.lihat": ("Rincian laporan: /lihat NOMOR", "Report details: /lihat NUMBER"),
    "telegram.cmd.balas": ("Jawab pelapor: /balas NOMOR TEKS",
                           "Answer the reporter: /balas NUMBER TEXT"),
    "telegram.cmd.selesai": ("Jawaban akhir: /selesai NOMOR TEKS",
                             "Final answer: /selesai NUMBER TEXT"),
    "telegram.cmd.alihkan": ("Teruskan / kembalikan: /alihkan NOMOR OPD|ALASAN",
                             "Forward / hand back: /alihkan NUMBER AGENCY|REASON"),
    "telegram.cmd.verifikasi": ("Verifikasi: /verifikasi NOMOR [OPD]",
                                "Verify: /verifikasi NUMBER [AGENCY]"),
    "telegram.cmd.tolak": ("Tolak: /tolak NOMOR ALASAN", "Reject: /tolak NUMBER REASON"),
    "telegram.cmd.gabung": ("Gabungkan duplikat: /gabung NOMOR ASLI",
                            "Merge a duplicate: /gabung NUMBER ORIGINAL"),
    "telegram.cmd.dasbor": ("Tautan masuk dasbor web", "Web dashboard login link"),
    "telegram.cmd.tunda": ("Tunda pengingat sehari: /tunda NOMOR",
                           "Snooze reminders a day: /tunda NUMBER"),
    "telegram.cmd.kategori": ("Ganti kategori: /kategori NOMOR KATEGORI",
                              "Re-categorise: /kategori NUMBER CATEGORY"),
    "telegram.cmd.lapor_id": ("Catat nomor SP4N-LAPOR!: /lapor_id NOMOR ID",
                              "Record the SP4N-LAPOR! id: /lapor_id NUMBER ID"),
    "telegram.cmd.status": ("Cek status laporan", "Check the status of a report"),
    "telegram.cmd.batal": ("Batalkan laporan yang sedang diisi", "Cancel the report in progress"),
    "telegram.cmd.bahasa": ("Ganti bahasa", "Change language"),
    "telegram.cmd.bantuan": ("Bantuan", "Help"),
}
