"""Everyday words of the city's residents' other languages, as the Indonesian word a directory's
synonyms would use: Minangkabau, Javanese, Riau and Peninsular Malay, Jakarta slang (issue 21).

General vocabulary for naming a problem and a place, not phrases from any labelled text. A word
whose regional meaning clashes with a common Indonesian one is left out ("kali" is a river in
Javanese but "times" in Indonesian; "lemah" is land in Javanese but "weak"; "bandar" is a ditch
in Minang but a town in Malay).
"""

from __future__ import annotations

MINANG = {
    "ancua": "hancur", "ambo": "saya", "awak": "saya", "alun": "belum", "lah": "sudah",
    "bana": "sekali", "kalam": "gelap", "batumpuak": "menumpuk", "tumpuak": "tumpuk",
    "diangkuik": "diangkut", "angkuik": "angkut", "busuak": "busuk", "asok": "asap",
    "pitih": "uang", "urang": "orang", "muko": "depan", "dakek": "dekat", "pasa": "pasar",
    "kantua": "kantor", "surek": "surat", "lambek": "lambat", "sakik": "sakit", "dapua": "dapur",
    "ula": "ular", "runtuah": "runtuh", "ratak": "retak", "kariang": "kering", "pupuak": "pupuk",
    "malauik": "melaut", "lauik": "laut", "harago": "harga", "lado": "cabai",
    "manggaleh": "berdagang", "galeh": "dagang", "parkia": "parkir", "karcih": "karcis",
    "bayia": "bayar", "dibayia": "dibayar", "karajo": "kerja", "baraja": "belajar",
    "masuak": "masuk", "sikola": "sekolah", "pakuburan": "kuburan", "pandam": "makam",
    "rumpuik": "rumput", "kalurahan": "kelurahan", "iduik": "hidup", "kuniang": "kuning",
    "tabuang": "terbuang", "sampik": "sempit", "ketek": "kecil", "induak": "ibu",
    "dicilok": "dicuri", "maliang": "maling", "kanai": "kena",
    "salasai": "selesai", "kampuang": "kampung", "musajik": "masjid", "manimpo": "menimpa",
    "tasumbek": "tersumbat", "sumbek": "sumbat", "naiak": "naik",
    "samak": "semak",
    "aianyo": "air", "jalannyo": "jalan", "sampahnyo": "sampah",
    "mangalia": "mengalir", "mambuek": "membuat", "mambuang": "membuang", "tompok": "tumpukan",
    "tangkok": "tangkap", "batuak": "batuk", "takuik": "takut", "dapek": "dapat",
    "tabaliak": "terbalik",
    "manalpon": "menelepon", "kapatang": "kemarin", "patang": "kemarin",
}
JAVANESE = {
    "mrotholi": "mengelupas", "tibo": "jatuh", "ceblok": "jatuh", "lendhut": "lumpur",
    "pang": "dahan", "tanggane": "tetangga", "bengi": "malam",
    "turu": "tidur", "dodolan": "jualan", "bakul": "pedagang", "kobong": "terbakar",
    "geni": "api", "lemut": "nyamuk", "bocah": "anak", "sinau": "belajar", "butek": "keruh",
    "angel": "susah", "tandur": "tanam", "pitik": "ayam", "prau": "perahu", "larang": "mahal",
    "ilang": "hilang", "dimalingi": "dicuri", "bayarane": "gaji", "sugih": "kaya",
    "sepuh": "lansia", "pegawe": "pegawai", "njaluk": "minta", "atape": "atap",
    "prapatan": "perempatan", "saben": "setiap", "ngenteni": "menunggu", "nunggak": "menunggak",
    "mboten": "tidak", "durung": "belum", "mambu": "bau", "ngresiki": "membersihkan",
    "nutupi": "menutupi", "mlebu": "masuk", "ngungsi": "mengungsi", "kerep": "sering",
    "wedi": "takut", "gedhe": "besar", "dhuwur": "atas", "ngumbara": "berkeliaran",
    "teles": "basah", "udan": "hujan",
    "suket": "rumput", "gawange": "gawang", "diresiki": "dibersihkan", "didandani": "diperbaiki",
    "byarpet": "padam", "meterane": "meteran", "listrike": "listrik", "lampune": "lampu",
    "banyune": "air", "sampahe": "sampah", "dalane": "jalan", "sekolahe": "sekolah",
    "uwuhe": "sampah", "kantore": "kantor", "kobonge": "terbakar",
}
MALAY = {
    "rosak": "rusak", "teruk": "parah", "baiki": "perbaiki", "kereta": "mobil", "lori": "truk",
    "jiran": "tetangga", "longkang": "selokan", "bertakung": "tergenang", "pokok": "pohon",
    "condong": "miring", "bumbung": "atap", "bomba": "pemadam", "kilang": "pabrik",
    "bas": "bus", "budak": "anak", "kad": "kartu", "pejabat": "kantor", "cukai": "pajak",
    "elektrik": "listrik", "bekalan": "pasokan", "paip": "ledeng", "tandas": "toilet",
    "pelancongan": "wisata", "pelancong": "wisatawan", "syarikat": "perusahaan", "tak": "tidak",
    "kat": "di", "je": "saja", "nak": "mau", "hospital": "rumah sakit", "kesihatan": "kesehatan",
    "ubat": "obat", "borang": "formulir", "senarai": "daftar", "yuran": "biaya",
    "geran": "sertifikat", "eksiden": "kecelakaan", "isyarat": "lalu lintas", "lumba": "balap",
    "bergaduh": "berkelahi", "penjaja": "pedagang", "kedai": "toko", "bot": "perahu",
    "enjin": "mesin", "telefon": "telepon", "akaun": "rekening", "kod": "kode",
    "sukarelawan": "relawan", "khabar": "kabar", "tayar": "ban", "gelita": "gulita",
    "melimpah": "meluap", "jalanraya": "jalan raya", "kahwin": "nikah",
    "dikahwinkan": "dinikahkan", "kerajaan": "pemerintah", "lebuh": "jalan", "lebuhraya": "jalan tol",
}
SLANG = {
    "nyokap": "ibu", "bokap": "ayah", "bocil": "anak", "ancur": "hancur", "kosan": "kos",
    "jorok": "kotor", "asep": "asap", "laler": "lalat", "sesek": "sesak", "ujan": "hujan",
    "olshop": "toko online", "ketipu": "tertipu", "lemot": "lambat", "internetan": "internet",
    "bikin": "buat", "dimintain": "dimintai", "ngebul": "berasap", "nyampah": "buang sampah",
    "macet2": "macet", "jukir": "juru parkir",
}
REGIONAL_WORDS = {**MINANG, **JAVANESE, **MALAY, **SLANG}
