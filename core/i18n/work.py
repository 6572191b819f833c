"""Texts of the work side: enrolment, admin commands, notifications, citizens' updates."""

TEXTS: dict[str, tuple[str, str]] = {
    # Enrolment
    "enrol.ok": (
        "Terdaftar sebagai {role} {opd}. Ketik /tugas untuk melihat antrean dan /bantuan untuk "
        "daftar perintah.",
        "Enrolled as {role} of {opd}. Type /tugas for your queue and /bantuan for the commands.",
    ),
    "enrol.usage": ("Cara mendaftar: /daftar KODE (kode dari koordinator).",
                    "To enrol: /daftar CODE (the code from your coordinator)."),
    "enrol.bad_code": (
        "Kode tidak dikenal. Periksa kembali kode dari koordinator.",
        "Unknown code. Check the code your coordinator gave you.",
    ),
    "enrol.used": ("Kode ini sudah dipakai. Minta kode baru kepada koordinator.",
                   "This code has already been used. Ask your coordinator for a new one."),
    "enrol.expired": ("Kode ini sudah kedaluwarsa. Minta kode baru kepada koordinator.",
                      "This code has expired. Ask your coordinator for a new one."),
    "enrol.unknown_opd": (
        "Kode ini untuk OPD yang tidak ada lagi di direktori. Minta kode baru kepada koordinator.",
        "This code is for an agency no longer in the directory. Ask for a new code.",
    ),
    "enrol.too_many": (
        "Terlalu banyak kode salah. Coba lagi dalam {minutes} menit.",
        "Too many wrong codes. Try again in {minutes} minutes.",
    ),
    "role.officer": ("admin penghubung", "liaison officer"),
    "role.coordinator": ("koordinator", "coordinator"),
    # Refusals and usage
    "work.not_admin": (
        "/{command} hanya untuk admin OPD yang terdaftar. Admin mendaftar dengan /daftar KODE.",
        "/{command} is for enrolled agency admins. Admins enrol with /daftar CODE.",
    ),
    "work.not_found": ("Laporan {ref} tidak ditemukan di antrean Anda.",
                       "Report {ref} is not in your queue."),
    "work.coordinator_only": ("Hanya koordinator yang dapat memakai /{command}.",
                              "Only the coordinator can use /{command}."),
    "work.officer_only": ("Hanya petugas OPD yang dapat mengembalikan laporan sebagai bukan "
                          "kewenangannya; koordinator mengalihkan ke OPD lain.",
                          "Only an agency officer can hand a report back as not theirs; the "
                          "coordinator forwards it to another agency instead."),
    "work.bad_lapor_id": ("Nomor SP4N-LAPOR! tidak sah: 3–40 huruf, angka atau / _ . -",
                          "Not a valid SP4N-LAPOR! number: 3–40 letters, digits or / _ . -"),
    "work.bad_status": (
        "Laporan {ref} berstatus {status}; /{command} tidak dapat dipakai sekarang.",
        "Report {ref} is {status}; /{command} cannot be used now.",
    ),
    "work.usage.lihat": ("Cara pakai: /lihat NOMOR", "Usage: /lihat NUMBER"),
    "work.usage.balas": ("Cara pakai: /balas NOMOR TEKS", "Usage: /balas NUMBER TEXT"),
    "work.usage.selesai": ("Cara pakai: /selesai NOMOR TEKS", "Usage: /selesai NUMBER TEXT"),
    "work.usage.alihkan": (
        "Cara pakai: /alihkan NOMOR OPD (koordinator) atau /alihkan NOMOR ALASAN (OPD).",
        "Usage: /alihkan NUMBER AGENCY (coordinator) or /alihkan NUMBER REASON (agency).",
    ),
    "work.usage.verifikasi": ("Cara pakai: /verifikasi NOMOR [OPD]",
                              "Usage: /verifikasi NUMBER [AGENCY]"),
    "work.usage.tolak": ("Cara pakai: /tolak NOMOR ALASAN", "Usage: /tolak NUMBER REASON"),
    "work.usage.gabung": ("Cara pakai: /gabung NOMOR DUPLIKAT_DARI",
                          "Usage: /gabung NUMBER DUPLICATE_OF"),
    "work.usage.lapor_id": ("Cara pakai: /lapor_id NOMOR NOMOR_LAPOR",
                            "Usage: /lapor_id NUMBER LAPOR_ID"),
    "work.usage.tunda": ("Cara pakai: /tunda NOMOR", "Usage: /tunda NUMBER"),
    "work.usage.kategori": ("Cara pakai: /kategori NOMOR KATEGORI", "Usage: /kategori NUMBER CATEGORY"),
    "work.ask.kategori": ("Ketik kategori yang benar untuk {ref} (kode atau nama):",
                          "Type the right category for {ref} (code or name):"),
    "work.done.kategori": (
        "{ref} kini berkategori {category} (OPD: {opd}). Teksnya menjadi contoh untuk "
        "pencocokan kategori berikutnya.",
        "{ref} is now filed under {category} (agency: {opd}). Its text becomes an example "
        "for matching from now on.",
    ),
    "work.category_unknown": (
        "Kategori \"{text}\" tidak dikenal. Ketik kode atau namanya, misalnya: {examples}.",
        "Unknown category \"{text}\". Type its code or name, e.g. {examples}.",
    ),
    "work.category_same": ("Laporan {ref} sudah berkategori {category}.",
                           "Report {ref} is already filed under {category}."),
    "work.usage.ikuti": ("Cara pakai: /ikuti NOMOR", "Usage: /ikuti NUMBER"),
    "work.usage.berhenti": ("Cara pakai: /berhenti NOMOR", "Usage: /berhenti NUMBER"),
    "work.help": (
        "Perintah admin:\n/tugas — antrean Anda\n/lihat NOMOR — rincian laporan\n"
        "/balas NOMOR TEKS — jawab pelapor\n/selesai NOMOR TEKS — jawaban akhir\n"
        "/alihkan NOMOR OPD|ALASAN — teruskan (koordinator) atau kembalikan (OPD)\n"
        "/verifikasi NOMOR [OPD] — verifikasi (koordinator)\n/tolak NOMOR ALASAN — tolak "
        "(koordinator)\n/gabung NOMOR DUPLIKAT_DARI — gabungkan laporan yang sama\n"
        "/lapor_id NOMOR NOMOR_LAPOR — catat nomor SP4N-LAPOR!\n"
        "/tunda NOMOR — tunda pengingat satu hari kerja\n/kategori NOMOR KATEGORI — ganti "
        "kategori (koordinator)\n/dasbor — tautan masuk ke dasbor web\nMembalas pesan notifikasi "
        "sama dengan /balas untuk laporan itu.",
        "Admin commands:\n/tugas — your queue\n/lihat NUMBER — report details\n"
        "/balas NUMBER TEXT — answer the citizen\n/selesai NUMBER TEXT — final answer\n"
        "/alihkan NUMBER AGENCY|REASON — dispose (coordinator) or hand back (agency)\n"
        "/verifikasi NUMBER [AGENCY] — verify (coordinator)\n/tolak NUMBER REASON — reject "
        "(coordinator)\n/gabung NUMBER DUPLICATE_OF — merge a duplicate\n"
        "/lapor_id NUMBER LAPOR_ID — record the SP4N-LAPOR! id\n"
        "/tunda NUMBER — snooze reminders for one working day\n/kategori NUMBER CATEGORY — "
        "re-categorise (coordinator)\n/dasbor — a login link for the web dashboard\n"
        "Replying to a notification "
        "is the same as /balas for that report.",
    ),
    "work.dasbor.link": (
        "Tautan masuk dasbor, berlaku {minutes} menit dan hanya sekali pakai:\n{url}\n"
        "Jangan teruskan tautan ini kepada siapa pun.",
        "Dashboard login link, valid for {minutes} minutes and for one use only:\n{url}\n"
        "Do not forward this link to anyone.",
    ),
    "work.text_too_short": ("Teks terlalu pendek (minimal {min} karakter).",
                            "Text too short (at least {min} characters)."),
    "work.text_too_long": ("Teks terlalu panjang (maksimal {max} karakter).",
                           "Text too long (at most {max} characters)."),
    "work.opd_unknown": (
        "OPD \"{text}\" tidak dikenal. Ketik nama atau singkatannya, misalnya: {examples}.",
        "Unknown agency \"{text}\". Type its name or short name, e.g. {examples}.",
    ),
    "work.opd_same": ("Laporan {ref} sudah ada di {opd}.", "Report {ref} is already with {opd}."),
    "work.no_opd": ("Laporan {ref} belum punya OPD: /verifikasi {ref} OPD.",
                    "Report {ref} has no agency yet: /verifikasi {ref} AGENCY."),
    "work.merge_self": ("Laporan tidak dapat digabung dengan dirinya sendiri.",
                        "A report cannot be merged into itself."),
    "work.merge_target": ("Laporan tujuan {ref} tidak ditemukan atau sudah ditutup.",
                          "Target report {ref} not found or already closed."),
    "work.ask.balas": ("Ketik jawaban untuk pelapor {ref} (/batal untuk membatalkan).",
                       "Type your answer to the reporter of {ref} (/batal to cancel)."),
    "work.ask.selesai": ("Ketik jawaban akhir untuk {ref} (/batal untuk membatalkan).",
                         "Type the final answer for {ref} (/batal to cancel)."),
    "work.ask.alihkan.coordinator": ("Ketik nama OPD tujuan untuk {ref}:",
                                     "Type the agency to send {ref} to:"),
    "work.ask.alihkan.officer": (
        "Ketik alasan laporan {ref} bukan kewenangan OPD Anda:",
        "Type why {ref} is not your agency's matter:",
    ),
    "work.ask.tolak": ("Ketik alasan penolakan {ref}:", "Type why {ref} is rejected:"),
    "work.pending_cancelled": ("Dibatalkan.", "Cancelled."),
    "work.done.balas": ("Jawaban terkirim ke pelapor {ref}.", "Answer sent to the reporter of {ref}."),
    "work.done.selesai": ("{ref} dinyatakan selesai; pelapor diminta konfirmasi.",
                          "{ref} marked done; the reporter is asked to confirm."),
    "work.done.disposed": ("{ref} diteruskan ke {opd}.", "{ref} sent to {opd}."),
    "work.done.handed_back": ("{ref} dikembalikan ke koordinator.",
                              "{ref} handed back to the coordinator."),
    "work.done.rejected": ("{ref} ditolak; pelapor diberi tahu.",
                           "{ref} rejected; the reporter was told."),
    "work.done.merged": ("{ref} digabung ke {target}; pelapornya kini mengikuti {target}.",
                         "{ref} merged into {target}; its reporter now follows {target}."),
    "work.done.lapor_id": ("Nomor SP4N-LAPOR! {lapor_id} dicatat untuk {ref}.",
                           "SP4N-LAPOR! id {lapor_id} recorded for {ref}."),
}
