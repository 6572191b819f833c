"""Texts of the Open311 GeoReport v2 interface: errors (shown to the client's user, as the
spec says), notices, and the descriptions of services and their attributes."""

TEXTS: dict[str, tuple[str, str]] = {
    # Errors: resources and keys
    "o311.unknown_format": ("Format tidak dikenal: {fmt} (gunakan json atau xml)",
                            "Unknown format: {fmt} (use json or xml)"),
    "o311.unknown_resource": ("Tidak ada sumber daya Open311 di alamat ini",
                              "There is no Open311 resource at this address"),
    "o311.unknown_service": ("service_code tidak dikenal: {code}", "Unknown service_code: {code}"),
    "o311.unknown_request": ("Laporan tidak ditemukan: {ref}", "Service request not found: {ref}"),
    "o311.unknown_token": ("Token tidak ditemukan: {token}", "Token not found: {token}"),
    "o311.key_missing": ("api_key wajib diisi untuk membuat laporan",
                         "An api_key is required to create a service request"),
    "o311.key_invalid": ("api_key tidak dikenal atau sudah dicabut",
                         "The api_key is unknown or revoked"),
    "o311.rate_limited": ("Terlalu banyak permintaan dengan api_key ini; coba lagi dalam "
                          "{seconds} detik",
                          "Too many requests with this api_key; try again in {seconds} s"),
    "o311.general_error": ("Kesalahan layanan; silakan coba lagi nanti",
                           "General service error; please try again later"),
    "o311.unavailable": ("Layanan sedang tidak tersedia; silakan coba lagi nanti",
                         "The service is unavailable; please try again later"),
    # Errors: the request's shape
    "o311.malformed_body": ("Isi permintaan tidak dapat dibaca ({reason})",
                            "The request body cannot be read ({reason})"),
    "o311.missing": ("{field} wajib diisi", "{field} is required"),
    "o311.repeated": ("{field} dikirim lebih dari sekali", "{field} was sent more than once"),
    "o311.not_text": ("{field} harus berupa teks", "{field} must be text"),
    "o311.not_number": ("{field} harus berupa angka: {value}", "{field} must be a number: {value}"),
    "o311.too_long": ("{field} terlalu panjang (paling banyak {max} karakter)",
                      "{field} is too long (at most {max} characters)"),
    "o311.bad_choice": ("{field}: nilai tidak dikenal {value} (pilihan: {choices})",
                        "{field}: unknown value {value} (choices: {choices})"),
    "o311.unknown_attribute": ("attribute[{code}] tidak dikenal (atribut: {codes})",
                               "Unknown attribute[{code}] (attributes: {codes})"),
    "o311.bad_date": ("{field}: bukan tanggal/waktu W3C, mis. 2026-03-01T08:00:00+07:00: {value}",
                      "{field}: not a W3C date/time such as 2026-03-01T08:00:00+07:00: {value}"),
    "o311.date_needs_zone": ("{field}: sertakan zona waktu (Z atau +07:00): {value}",
                             "{field}: include the time zone (Z or +07:00): {value}"),
    "o311.dates_order": ("start_date harus sebelum end_date", "start_date must precede end_date"),
    "o311.dates_span": ("Rentang start_date sampai end_date paling lama {days} hari",
                        "start_date to end_date may span at most {days} days"),
    "o311.bad_request_id": ("Bukan nomor laporan: {value} (contoh: ADU-2026-000123)",
                            "Not a service_request_id: {value} (e.g. ADU-2026-000123)"),
    "o311.too_many_ids": ("Paling banyak {max} service_request_id sekaligus",
                          "At most {max} service_request_id values at once"),
    "o311.bad_integer": ("{field} harus bilangan bulat {min}–{max}: {value}",
                         "{field} must be a whole number {min}–{max}: {value}"),
    "o311.bad_contact": ("{field} tidak valid", "{field} is not valid"),
    # Errors: the report's rules (the chat form's)
    "o311.description_length": (
        "description {length} karakter; harus {min}–{max} karakter",
        "description has {length} characters; {min}–{max} are needed"),
    "o311.title_length": ("attribute[title] harus {min}–{max} karakter",
                          "attribute[title] needs {min}–{max} characters"),
    "o311.date_future": ("attribute[event_date] tidak boleh di masa depan",
                         "attribute[event_date] cannot be in the future"),
    "o311.date_too_old": ("attribute[event_date] paling lama {days} hari yang lalu",
                          "attribute[event_date] may be at most {days} days ago"),
    "o311.lat_long_pair": ("lat dan long harus dikirim bersama", "Send lat and long together"),
    "o311.lat_long_range": ("lat harus antara -90 dan 90, long antara -180 dan 180",
                            "lat must be within -90..90 and long within -180..180"),
    "o311.address_short": ("address_string terlalu pendek (paling sedikit {min} karakter)",
                           "address_string is too short (at least {min} characters)"),
    "o311.address_long": ("address_string terlalu panjang (paling banyak {max} karakter)",
                          "address_string is too long (at most {max} characters)"),
    "o311.address_unmatched": (
        "address_string tidak menyebut kelurahan di {city} (mis. {examples}); sebutkan "
        "kelurahannya atau kirim lat dan long",
        "address_string names no kelurahan of {city} (e.g. {examples}); name the kelurahan "
        "or send lat and long"),
    "o311.address_id": ("address_id tidak didukung; kirim lat dan long atau address_string",
                        "address_id is not supported; send lat and long or address_string"),
    "o311.location_required": ("Layanan {code} memerlukan lokasi: lat dan long atau "
                               "address_string",
                               "Service {code} needs a location: lat and long or "
                               "address_string"),
    "o311.daily_limit": ("Pelapor ini sudah mengirim {limit} laporan hari ini; coba lagi besok",
                         "This reporter has filed {limit} reports today; try again tomorrow"),
    # service_notice of a new request
    "o311.notice.received": ("Laporan diterima dengan nomor {ref}.",
                             "Report received as {ref}."),
    "o311.notice.verify": ("Koordinator memverifikasi dan meneruskannya paling lambat {due}.",
                           "The coordinator verifies and forwards it by {due}."),
    "o311.notice.assigned": ("Diteruskan ke {opd}; tanggapan pertama paling lambat {due}.",
                             "Sent to {opd}; first answer due by {due}."),
    "o311.notice.private": ("Laporan ini tidak tampil di daftar publik.",
                            "This report is not listed publicly."),
    "o311.notice.similar": ("Laporan serupa yang masih terbuka: {refs}.",
                            "Similar open reports: {refs}."),
    # service_notice and status_notes of listed requests
    "o311.step.verifikasi": ("Menunggu verifikasi koordinator",
                             "Awaiting the coordinator's verification"),
    "o311.step.jawaban": ("Menunggu tanggapan pertama {opd}", "Awaiting {opd}'s first answer"),
    "o311.step.selesai": ("Sedang ditindaklanjuti {opd}", "Being handled by {opd}"),
    "o311.merged": ("Digabung dengan laporan {ref}", "Merged into report {ref}"),
    # Discovery, services and service definitions
    "o311.contact": ("Koordinator SP4N-LAPOR! {city} (Diskominfo)",
                     "The SP4N-LAPOR! coordinator of {city} (Diskominfo)"),
    "o311.key_service": (
        "Minta api_key kepada koordinator (Diskominfo); operator membuatnya dengan "
        "`aduan admin token --name NAMA`.",
        "Ask the coordinator (Diskominfo) for an api_key; the operator makes one with "
        "`aduan admin token --name NAME`."),
    "o311.service_description": ("{name}: laporan ditangani {opd}",
                                 "{name}: reports handled by {opd}"),
    "o311.attr.report_type": ("Jenis laporan (bawaan: pengaduan)",
                              "Type of report (default: complaint)"),
    "o311.attr.privacy": (
        "Siapa yang boleh melihat: rahasia (bawaan; tidak tampil di publik, identitas tidak "
        "terlihat oleh dinas), anonim (identitas tidak terlihat oleh siapa pun), publik "
        "(tampil di daftar publik)",
        "Who may see it: confidential (default; not public, identity hidden from agencies), "
        "anonymous (identity hidden from everyone), public (listed publicly)"),
    "o311.attr.title": ("Judul singkat; diambil dari kalimat pertama deskripsi bila kosong",
                        "A short title; the description's first sentence when empty"),
    "o311.attr.title_type": ("{min}–{max} karakter", "{min}–{max} characters"),
    "o311.attr.event_date": ("Tanggal kejadian (bawaan: hari ini)",
                             "Date of the event (default: today)"),
    "o311.attr.event_date_type": (
        "YYYY-MM-DD; tidak di masa depan, paling lama {days} hari yang lalu",
        "YYYY-MM-DD; not in the future, at most {days} days ago"),
}
