"""Texts of the Whatsapp channel (merged into core.catalog.CATALOG)."""

TEXTS: dict[str, tuple[str, str]] = {
    # The label of the button that opens a list message (WhatsApp: at most 20 characters).
    "whatsapp.list_button": ("Pilih", "Choose"),
    "whatsapp.numbered_hint": (
        "Balas dengan nomor pilihan Anda, atau ketik jawabannya.",
        "Reply with the number of your choice, or type your answer.",
    ),
    # Sent right after a location request, carrying the step's other buttons.
    "whatsapp.location_options": (
        "Tekan \"Kirim lokasi\" di atas, ketik alamatnya, atau pilih:",
        "Press \"Send location\" above, type the address, or choose:",
    ),
    "whatsapp.file_too_large": (
        "Maaf, berkas itu terlalu besar (maksimal {max_mb} MB). Silakan kirim foto yang lebih kecil.",
        "Sorry, that file is too large (at most {max_mb} MB). Please send a smaller photo.",
    ),
    "whatsapp.file_not_image": (
        "Maaf, hanya foto (JPG, PNG atau WebP) yang dapat kami terima sebagai lampiran.",
        "Sorry, only photos (JPG, PNG or WebP) can be attached to a report.",
    ),
    "whatsapp.media_failed": (
        "Maaf, foto Anda tidak dapat kami ambil dari WhatsApp. Silakan kirim ulang.",
        "Sorry, we could not fetch your photo from WhatsApp. Please send it again.",
    ),
    # Second parameter of the status template when the message is an answer, not a new status.
    "whatsapp.template_new_reply": ("ada tanggapan baru", "there is a new reply"),
}
