"""Texts of notifications to admins, report details and queues, and citizens' updates."""

TEXTS: dict[str, tuple[str, str]] = {
    # Buttons on notifications
    "btn.lihat": ("Lihat", "View"),
    "btn.balas": ("Balas", "Answer"),
    "btn.selesai": ("Selesai", "Done"),
    "btn.alihkan": ("Alihkan", "Forward"),
    "btn.verifikasi": ("Verifikasi", "Verify"),
    "btn.tolak": ("Tolak", "Reject"),
    "btn.confirm": ("Sudah teratasi", "Fixed"),
    "btn.dispute": ("Belum teratasi", "Not fixed"),
    "btn.skip": ("Lewati", "Skip"),
    # Notifications to admins
    "notify.new": ("📥 Laporan baru {ref}", "📥 New report {ref}"),
    "notify.assigned": ("📌 Laporan {ref} diteruskan ke {opd}", "📌 Report {ref} sent to {opd}"),
    "notify.handed_back": (
        "↩️ {opd} mengembalikan laporan {ref}: \"{reason}\"\nAlihkan ke OPD lain atau tolak.",
        "↩️ {opd} handed back report {ref}: \"{reason}\"\nForward it elsewhere or reject it.",
    ),
    "notify.disputed": (
        "⚠️ Pelapor {ref} menyatakan belum teratasi: \"{reason}\"\nLaporan kembali diproses.",
        "⚠️ The reporter of {ref} says it is not fixed: \"{reason}\"\nThe report is open again.",
    ),
    "notify.summary": (
        "{category} · {type}\n{title}\nLokasi: {location}\nPelapor: {reporter}\n{deadline}",
        "{category} · {type}\n{title}\nLocation: {location}\nReporter: {reporter}\n{deadline}",
    ),
    "notify.deadline": ("Tenggat {what}: {due}", "Deadline for {what}: {due}"),
    "notify.reply_hint": ("Balas pesan ini untuk menjawab pelapor.",
                          "Reply to this message to answer the reporter."),
    "deadline.verifikasi": ("verifikasi", "verification"),
    "deadline.jawaban": ("jawaban pertama", "first answer"),
    "deadline.selesai": ("penyelesaian", "completion"),
    "deadline.konfirmasi": ("konfirmasi pelapor", "the reporter's confirmation"),
    # Reporter identity, as each viewer may see it
    "reporter.hidden": ("dirahasiakan", "confidential"),
    "reporter.anonim": ("anonim", "anonymous"),
    "reporter.unnamed": ("tanpa nama", "no name"),
    "reporter.line": ("{name} ({channel}: {contact})", "{name} ({channel}: {contact})"),
    # /lihat
    "detail.body": (
        "{ref} · {status}\nJenis: {type}\nKategori: {category}\nOPD: {opd}\nJudul: {title}\n"
        "Tanggal kejadian: {event_date}\nLokasi: {location}\nPelapor: {reporter}\n"
        "Privasi: {privacy}\nSP4N-LAPOR!: {lapor_id}\nFoto: {photos}\n\n{description}",
        "{ref} · {status}\nType: {type}\nCategory: {category}\nAgency: {opd}\nTitle: {title}\n"
        "Date of the event: {event_date}\nLocation: {location}\nReporter: {reporter}\n"
        "Privacy: {privacy}\nSP4N-LAPOR!: {lapor_id}\nPhotos: {photos}\n\n{description}",
    ),
    "detail.timeline": ("Riwayat:", "Timeline:"),
    "detail.duplicates": ("Mungkin laporan yang sama:", "Possibly the same issue:"),
    "detail.dup_near": ("± {meters} m dari lokasi laporan ini",
                        "about {meters} m from this report's location"),
    "detail.duplicate_of": ("Digabung ke {target}.", "Merged into {target}."),
    "detail.none": ("-", "-"),
    "detail.no_location": ("tidak ada", "none"),
    "detail.map": ("peta: {url}", "map: {url}"),
    "detail.rating": ("Nilai dari pelapor: {rating}/5", "The reporter's rating: {rating}/5"),
    "timeline.line": ("{at} — {what}", "{at} — {what}"),
    "timeline.by": ("{what} ({actor})", "{what} ({actor})"),
    "event.created": ("laporan dibuat", "report filed"),
    "event.verified": ("diverifikasi", "verified"),
    "event.disposed": ("diteruskan ke {note}", "sent to {note}"),
    "event.recategorised": ("kategori diganti: {note}", "re-categorised: {note}"),
    "event.handed_back": ("dikembalikan: {note}", "handed back: {note}"),
    "event.answer": ("tanggapan: {note}", "answer: {note}"),
    "event.resolved": ("dinyatakan selesai: {note}", "marked done: {note}"),
    "event.rejected": ("ditolak: {note}", "rejected: {note}"),
    "event.merged": ("digabung ke {note}", "merged into {note}"),
    "event.merged_in": ("laporan {note} digabung ke sini; pelapornya kini mengikuti",
                        "report {note} merged into this one; its reporter now follows"),
    "event.confirmed": ("pelapor mengonfirmasi selesai", "the reporter confirmed the fix"),
    "event.disputed": ("pelapor menyatakan belum teratasi: {note}",
                       "the reporter disputed the fix: {note}"),
    "event.rated": ("nilai dari pelapor: {note}/5", "the reporter's rating: {note}/5"),
    "event.comment": ("komentar pelapor: {note}", "the reporter's comment: {note}"),
    "event.lapor_id": ("nomor SP4N-LAPOR!: {note}", "SP4N-LAPOR! id: {note}"),
    "event.auto_closed": ("ditutup otomatis (tidak ada konfirmasi)",
                          "closed automatically (no confirmation)"),
    "event.other": ("{kind}", "{kind}"),
    # /tugas
    "queue.header": ("Antrean {scope}: {total} laporan", "Queue of {scope}: {total} reports"),
    "queue.all": ("semua OPD", "all agencies"),
    "queue.empty": ("Tidak ada laporan yang menunggu di antrean {scope}. 👍",
                    "Nothing is waiting in the queue of {scope}. 👍"),
    "queue.line": (
        "{colour} {ref} · {category} · {status} · {age} hari · tenggat {due}",
        "{colour} {ref} · {category} · {status} · {age} days · due {due}",
    ),
    "queue.more": ("…dan {count} lainnya.", "…and {count} more."),
    "queue.legend": ("🔴 lewat tenggat · 🟡 ≤ 1 hari kerja · 🟢 masih ada waktu",
                     "🔴 overdue · 🟡 ≤ 1 working day · 🟢 on time"),
    # Updates to citizens (the reporter and followers)
    "update.header": ("Kabar laporan {ref} — {title}", "Update on report {ref} — {title}"),
    "update.footer": ("Status: {status}", "Status: {status}"),
    "update.verified": ("Laporan telah diverifikasi dan diteruskan ke {opd}.",
                        "The report was verified and sent to {opd}."),
    "update.disposed": ("Laporan diteruskan ke {opd}.", "The report was sent to {opd}."),
    "update.handed_back": (
        "Laporan sedang ditinjau ulang agar diteruskan ke instansi yang tepat.",
        "The report is being reviewed again so that the right agency handles it.",
    ),
    "update.answer": ("Tanggapan dari {opd}:\n{text}", "Answer from {opd}:\n{text}"),
    "update.resolved": ("{opd} menyatakan laporan selesai:\n{text}",
                        "{opd} says the report is done:\n{text}"),
    "update.ask_confirm": (
        "Apakah masalahnya sudah teratasi? Jika tidak ada jawaban dalam {days} hari kerja, "
        "laporan ditutup.",
        "Is the problem fixed? Without an answer within {days} working days the report is "
        "closed.",
    ),
    "update.rejected": ("Laporan tidak dapat ditindaklanjuti: {reason}",
                        "The report cannot be taken up: {reason}"),
    "update.merged": (
        "Laporan digabung dengan laporan {target} tentang masalah yang sama. Kabar selanjutnya "
        "dikirim dari laporan itu.",
        "The report was merged with report {target} about the same problem. Further updates "
        "come from that report.",
    ),
    "update.disputed": ("Pelapor menyatakan masalah belum teratasi; laporan diproses kembali.",
                        "The reporter says the problem is not fixed; the report is open again."),
    "update.confirmed": ("Pelapor mengonfirmasi masalah sudah teratasi. Laporan ditutup.",
                         "The reporter confirmed the fix. The report is closed."),
    "update.auto_closed": (
        "Laporan ditutup karena tidak ada tanggapan dalam {days} hari kerja setelah dinyatakan "
        "selesai.",
        "The report was closed: no answer within {days} working days after it was marked done.",
    ),
    # The citizen's feedback
    "fb.rate": ("Terima kasih atas konfirmasinya! Beri nilai penanganan laporan {ref} (1–5):",
                "Thank you for confirming! Rate how {ref} was handled (1–5):"),
    "fb.ask_comment": ("Terima kasih. Ada komentar? Ketik komentar Anda, atau \"lewati\".",
                       "Thank you. Any comment? Type it, or \"skip\"."),
    "fb.thanks": ("Terima kasih atas penilaian Anda.", "Thank you for your feedback."),
    "fb.ask_dispute": ("Mohon jelaskan apa yang belum teratasi pada laporan {ref}:",
                       "Please tell us what is still not fixed in report {ref}:"),
    "fb.disputed": ("Terima kasih. Laporan {ref} kami kembalikan ke {opd} untuk diproses lagi.",
                    "Thank you. Report {ref} goes back to {opd} to be worked on again."),
    "fb.bad_rating": ("Nilai harus 1 sampai 5.", "A rating is 1 to 5."),
    "submit.bad_category": ("Kategori {category} tidak dikenal.", "Unknown category {category}."),
    "submit.bad_description": ("Isi laporan harus {min}–{max} karakter.",
                               "A report's description must be {min}–{max} characters."),
    "fb.expired": ("Tombol ini sudah tidak berlaku untuk laporan {ref} (status: {status}).",
                   "This button no longer applies to report {ref} (status: {status})."),
    # Following reports
    "follow.ok": (
        "Anda mengikuti laporan {ref}. Setiap perkembangannya dikirim ke sini. Ketik "
        "/berhenti {ref} untuk berhenti.",
        "You follow report {ref}. Its updates will be sent here. Type /berhenti {ref} to stop.",
    ),
    "follow.already": ("Anda sudah mengikuti laporan {ref}.", "You already follow report {ref}."),
    "follow.own": ("Laporan {ref} adalah laporan Anda; kabarnya selalu dikirim ke sini.",
                   "Report {ref} is yours; its updates always come here."),
    "follow.not_found": ("Laporan {ref} tidak ditemukan atau tidak terbuka untuk diikuti.",
                         "Report {ref} was not found or is not open to followers."),
    "unfollow.ok": ("Anda berhenti mengikuti laporan {ref}.", "You no longer follow report {ref}."),
    "unfollow.not_following": ("Anda tidak mengikuti laporan {ref}.",
                               "You do not follow report {ref}."),
    # Outside the city's authority
    "authority.elsewhere": (
        "Catatan: masalah seperti ini biasanya ditangani oleh {institution}, bukan Pemerintah "
        "Kota. Anda tetap dapat melanjutkan laporan ini; koordinator akan meneruskannya bila "
        "perlu.",
        "Note: this kind of problem is usually handled by {institution}, not the city "
        "government. You can still go on with this report; the coordinator will pass it on "
        "if needed.",
    ),
    "authority.category": (
        "Masalah ini tampaknya bukan kewenangan Pemerintah Kota, melainkan {institution}. "
        "Menghubungi mereka langsung biasanya paling cepat. Anda tetap boleh melaporkannya di "
        "sini: pilih kategori yang paling dekat, koordinator akan meneruskannya.",
        "This seems to be a matter not for the city government but for {institution}. "
        "Contacting them directly is usually quickest. You may still report it here: choose "
        "the closest category and the coordinator will pass it on.",
    ),
    "authority.idle": (
        "Masalah ini tampaknya bukan kewenangan Pemerintah Kota, melainkan {institution}. "
        "Anda tetap boleh melaporkannya di sini (Buat laporan); koordinator akan meneruskannya.",
        "This seems to be a matter not for the city government but for {institution}. You "
        "may still report it here (New report); the coordinator will pass it on.",
    ),
    "detail.outside": ("⚠️ Di luar kewenangan kota? Topik: {topic} — {institution}",
                       "⚠️ Outside the city's authority? Topic: {topic} — {institution}"),
    "detail.reason": ("Mengapa kategori ini diusulkan: {reason}",
                      "Why this category was proposed: {reason}"),
    "reason.words": ("kata {words}", "words {words}"),
    "reason.example": ("mirip laporan \"{example}\"", "like the report \"{example}\""),
    "reason.none": ("dipilih warga dari daftar", "picked by the citizen from the list"),
    # Similar open reports offered on submit
    "dup.header": (
        "Sudah ada laporan serupa yang sedang ditangani:",
        "Similar reports are already being handled:",
    ),
    "dup.line": ("• {ref} — {title} ({status}; {where}; {date})",
                 "• {ref} — {title} ({status}; {where}; {date})"),
    "dup.near": ("± {meters} m dari lokasi Anda", "about {meters} m from your location"),
    "dup.same_kelurahan": ("di kelurahan yang sama", "in the same kelurahan"),
    "dup.yours": ("laporan Anda sendiri", "your own report"),
    "dup.prompt": (
        "Ikuti salah satunya untuk menerima kabarnya tanpa mengirim laporan baru, atau tetap "
        "kirim laporan Anda.",
        "Follow one of them to get its updates without filing a new report, or file yours "
        "anyway.",
    ),
    "dup.follow": ("Ikuti {ref}", "Follow {ref}"),
    "dup.file": ("Tetap kirim", "File anyway"),
    "dup.followed": (
        "Anda mengikuti laporan {ref}; setiap perkembangannya dikirim ke sini. Laporan baru Anda "
        "tidak dikirim.",
        "You now follow report {ref}; its updates will be sent here. Your new report was not "
        "filed.",
    ),
}
