"""Texts of the intake form's steps, from the report type to the summary."""

TEXTS: dict[str, tuple[str, str]] = {
    # Step: type
    "type.prompt": (
        "Jenis laporan apa yang ingin Anda sampaikan?",
        "What kind of report is this?",
    ),
    "type.pengaduan": ("Pengaduan", "Complaint"),
    "type.aspirasi": ("Aspirasi / saran", "Suggestion"),
    "type.permintaan_informasi": ("Permintaan informasi", "Information request"),
    "type.help": (
        "Pengaduan: ada layanan publik yang bermasalah. Aspirasi: usulan atau saran untuk kota. "
        "Permintaan informasi: Anda ingin mengetahui sesuatu dari Pemerintah Kota.",
        "Complaint: a public service has a problem. Suggestion: an idea for the city. "
        "Information request: you want to know something from the city government.",
    ),
    # Step: category
    "category.prompt": (
        "Pilih kategori laporan, atau ketik dengan kata-kata Anda sendiri (misalnya \"lampu "
        "jalan mati\").",
        "Choose a category, or describe it in your own words (for example \"street light "
        "out\").",
    ),
    "category.confirm": ("Maksud Anda kategori \"{name}\"?", "Did you mean \"{name}\"?"),
    "category.yes": ("Ya, benar", "Yes"),
    "category.show_all": ("Lihat semua kategori", "Show all categories"),
    "category.choose_close": (
        "Ada beberapa kategori yang mirip. Pilih yang paling sesuai:",
        "Several categories are close. Choose the best one:",
    ),
    "category.no_match": (
        "Saya tidak menemukan kategori untuk \"{text}\". Silakan pilih dari daftar:",
        "I could not find a category for \"{text}\". Please choose from the list:",
    ),
    "category.help": (
        "Kategori menentukan dinas (OPD) yang akan menangani laporan Anda. Jika ragu, pilih "
        "\"Lainnya\"; petugas akan meneruskannya.",
        "The category decides which city agency handles your report. If unsure, choose "
        "\"Other\"; the coordinator will forward it.",
    ),
    # Step: description
    "description.prompt": (
        "Ceritakan masalahnya: apa yang terjadi, sejak kapan, dan dampaknya. Minimal {min} "
        "karakter.",
        "Describe the problem: what happened, since when, and what it affects. At least {min} "
        "characters.",
    ),
    "description.too_short": (
        "Uraiannya terlalu singkat ({length} karakter). Mohon tulis minimal {min} karakter "
        "agar petugas dapat memahami masalahnya.",
        "That is too short ({length} characters). Please write at least {min} characters so "
        "the officers understand the problem.",
    ),
    "description.too_long": (
        "Uraiannya terlalu panjang ({length} karakter, maksimal {max}). Mohon persingkat.",
        "That is too long ({length} characters, at most {max}). Please shorten it.",
    ),
    "description.need_text": (
        "Mohon tuliskan uraian laporan sebagai teks.",
        "Please write the description as text.",
    ),
    "description.help": (
        "Tuliskan kronologi singkat: lokasi persisnya, apa yang rusak atau bermasalah, sejak "
        "kapan, dan siapa yang terdampak. Jangan cantumkan data pribadi orang lain.",
        "Write a short account: the exact place, what is broken or wrong, since when, and who "
        "is affected. Do not include other people's personal data.",
    ),
    # Step: title (edit only)
    "title.prompt": (
        "Tulis judul singkat laporan ({min}–{max} karakter).",
        "Write a short title ({min}–{max} characters).",
    ),
    "title.invalid": (
        "Judul harus {min}–{max} karakter.",
        "The title must be {min}–{max} characters.",
    ),
    # Step: date
    "date.prompt": (
        "Kapan kejadiannya? Pilih tombol atau ketik tanggal (misalnya 21-11-2026).",
        "When did it happen? Choose a button or type a date (for example 21-11-2026).",
    ),
    "date.today": ("Hari ini", "Today"),
    "date.yesterday": ("Kemarin", "Yesterday"),
    "date.invalid": (
        "Tanggal \"{text}\" tidak dapat dibaca. Contoh: 21-11-2026 atau 21 November 2026.",
        "I could not read the date \"{text}\". Example: 21-11-2026 or 21 November 2026.",
    ),
    "date.future": (
        "Tanggal kejadian tidak boleh di masa depan.",
        "The date of the event cannot be in the future.",
    ),
    "date.too_old": (
        "Tanggal kejadian paling lama {days} hari yang lalu.",
        "The event must be within the last {days} days.",
    ),
    "date.help": (
        "Tanggal kejadian membantu petugas memeriksa laporan. Jika masih berlangsung, pilih "
        "\"Hari ini\".",
        "The date helps officers check the report. If it is still going on, choose \"Today\".",
    ),
    # Step: location
    "location.prompt": (
        "Di mana lokasinya? Bagikan lokasi (pin) atau ketik alamat lengkap dengan nama "
        "kelurahan.",
        "Where is it? Share a location pin or type the full address with the kelurahan "
        "(neighbourhood).",
    ),
    "location.prompt_optional": (
        "Di mana lokasinya? Bagikan lokasi (pin), ketik alamat, atau tekan \"Lewati\" jika tidak "
        "terkait lokasi.",
        "Where is it? Share a location pin, type an address, or press \"Skip\" if it is not "
        "about a place.",
    ),
    "location.invalid_pin": (
        "Titik lokasi tidak valid. Silakan kirim ulang atau ketik alamat.",
        "That location pin is not valid. Please send it again or type the address.",
    ),
    "location.address_too_short": (
        "Alamat terlalu singkat. Sebutkan nama jalan dan kelurahan, misalnya \"Jl. Sudirman "
        "no. 5, Kel. Jati\".",
        "The address is too short. Give the street and kelurahan, for example \"Jl. Sudirman "
        "5, Kel. Jati\".",
    ),
    "location.required": (
        "Kategori ini memerlukan lokasi agar petugas dapat menemukannya.",
        "This category needs a location so officers can find the place.",
    ),
    "location.saved": ("Lokasi dicatat: {place}.", "Location saved: {place}."),
    "location.help": (
        "Di Telegram/WhatsApp: tekan ikon lampiran lalu \"Lokasi\". Di web: tekan \"Bagikan "
        "lokasi\". Atau ketik alamat beserta kelurahannya.",
        "On Telegram/WhatsApp: tap the attachment icon, then \"Location\". On the web: press "
        "\"Share location\". Or type the address with its kelurahan.",
    ),
    # Step: photos
    "photos.prompt": (
        "Kirim foto pendukung (maksimal {max}), lalu tekan \"Lanjut\". Jika tidak ada, tekan "
        "\"Lanjut\".",
        "Send supporting photos (at most {max}), then press \"Continue\". If you have none, "
        "press \"Continue\".",
    ),
    "photos.done": ("Lanjut", "Continue"),
    "photos.clear": ("Hapus semua foto", "Remove all photos"),
    "photos.received": (
        "Foto diterima ({count}/{max}). Kirim lagi atau tekan \"Lanjut\".",
        "Photo received ({count}/{max}). Send another or press \"Continue\".",
    ),
    "photos.full": (
        "Sudah {max} foto, jumlah maksimal.",
        "That is {max} photos, the maximum.",
    ),
    "photos.cleared": ("Semua foto dihapus.", "All photos removed."),
    "photos.not_image": (
        "Berkas itu bukan foto (JPEG, PNG atau WebP). Kirim foto, atau tekan \"Lanjut\".",
        "That file is not a photo (JPEG, PNG or WebP). Send a photo, or press \"Continue\".",
    ),
    "photos.too_large": (
        "Foto terlalu besar (maksimal {max_mb} MB).",
        "The photo is too large (at most {max_mb} MB).",
    ),
    "photos.stashed": (
        "Foto disimpan untuk laporan ini ({count}/{max}).",
        "Photo kept for this report ({count}/{max}).",
    ),
    "photos.help": (
        "Foto membantu petugas menilai masalah. Hindari wajah orang atau pelat nomor jika tidak "
        "perlu.",
        "Photos help officers judge the problem. Avoid faces and number plates where you can.",
    ),
    # Step: privacy
    "privacy.prompt": (
        "Siapa yang boleh melihat laporan dan identitas Anda?\n• Rahasia (disarankan): laporan "
        "tidak dipublikasikan, identitas Anda tidak terlihat oleh petugas dinas.\n• Anonim: "
        "identitas Anda tidak terlihat oleh siapa pun.\n• Publik: laporan dapat dilihat umum "
        "(identitas tetap tidak ditampilkan).",
        "Who may see the report and who you are?\n• Confidential (recommended): the report is "
        "not public and agency officers do not see who you are.\n• Anonymous: nobody sees who "
        "you are.\n• Public: anyone may read the report (your identity is still not shown).",
    ),
    "privacy.rahasia": ("Rahasia", "Confidential"),
    "privacy.anonim": ("Anonim", "Anonymous"),
    "privacy.publik": ("Publik", "Public"),
    "privacy.help": (
        "Jika ragu, pilih Rahasia. Anda tetap menerima semua kabar tindak lanjut di chat ini.",
        "If unsure, choose Confidential. You still receive every update in this chat.",
    ),
    # Summary and editing
    "summary.header": ("Periksa laporan Anda:", "Please check your report:"),
    "summary.body": (
        "Jenis: {type}\nKategori: {category}\nJudul: {title}\nUraian: {description}\n"
        "Tanggal kejadian: {date}\nLokasi: {location}\nFoto: {photos}\nPrivasi: {privacy}",
        "Type: {type}\nCategory: {category}\nTitle: {title}\nDescription: {description}\n"
        "Date of event: {date}\nLocation: {location}\nPhotos: {photos}\nPrivacy: {privacy}",
    ),
    "summary.no_location": ("(tidak ada)", "(none)"),
    "summary.confirm": ("Kirim laporan", "Send report"),
    "summary.edit": ("Ubah", "Edit"),
    "summary.cancel": ("Batal", "Cancel"),
    "summary.help": (
        "Tekan \"Kirim laporan\" jika sudah benar, \"Ubah\" untuk memperbaiki satu bagian, atau "
        "\"Batal\".",
        "Press \"Send report\" if it is right, \"Edit\" to change one part, or \"Cancel\".",
    ),
    "edit.prompt": ("Bagian mana yang ingin diubah?", "Which part do you want to change?"),
    "edit.type": ("Jenis", "Type"),
    "edit.category": ("Kategori", "Category"),
    "edit.title": ("Judul", "Title"),
    "edit.description": ("Uraian", "Description"),
    "edit.date": ("Tanggal", "Date"),
    "edit.location": ("Lokasi", "Location"),
    "edit.photos": ("Foto", "Photos"),
    "edit.privacy": ("Privasi", "Privacy"),
    "submitted": (
        "Terima kasih, laporan Anda telah diterima.\nNomor laporan: {tracking_no}\nStatus: "
        "{status}\nSimpan nomor ini. Setiap perkembangan akan kami kirim ke chat ini; cek kapan "
        "saja dengan /status {tracking_no}.",
        "Thank you, your report has been received.\nReport number: {tracking_no}\nStatus: "
        "{status}\nKeep this number. Every update will be sent to this chat; check any time "
        "with /status {tracking_no}.",
    ),
}
