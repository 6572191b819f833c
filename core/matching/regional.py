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
    # Function words and everyday problem words (a Minang-Indonesian word list, not any text).
    "ado": "ada", "nan": "yang", "jo": "dengan", "ka": "ke", "dek": "karena", "sajo": "saja",
    "untuak": "untuk", "baa": "bagaimana", "caro": "cara", "acok": "sering", "lai": "ada",
    "ateh": "atas", "lua": "luar", "tangah": "tengah", "ujuang": "ujung", "pinggia": "pinggir",
    "kito": "kita", "inyo": "dia", "dima": "di mana", "bilo": "kapan", "manga": "kenapa",
    "raso": "rasa", "tarang": "terang", "taun": "tahun", "ampia": "hampir", "tingga": "tinggal",
    "pai": "pergi", "mancari": "mencari", "jatuah": "jatuh", "tajatuah": "terjatuh",
    "tagenang": "tergenang", "pasia": "pasir", "karuah": "keruh", "tabiang": "tebing",
    "jawi": "sapi", "kambiang": "kambing", "anjiang": "anjing", "kuciang": "kucing",
    "padagang": "pedagang", "limo": "lima", "tutuik": "tutup", "manutuik": "menutup",
    "ditutuik": "ditutup", "namo": "nama", "pusako": "pusaka", "katonyo": "katanya",
    "baliak": "kembali", "sasek": "sesat", "ditagua": "ditegur", "didanga": "didengar",
    "lapeh": "lepas", "dilapehan": "dilepas", "buruak": "buruk", "hancua": "hancur",
    "sadonyo": "semua", "kalua": "keluar", "tabaka": "terbakar", "baka": "bakar",
    "ubek": "obat", "pagawai": "pegawai", "camaik": "camat", "pamarentah": "pemerintah",
    "ameh": "emas", "mamatok": "mematok", "rancak": "bagus", "banamo": "bernama",
    "mausulkan": "mengusulkan", "usua": "usul",
    "mangadu": "mengadu", "lapua": "lapuk",  "panuah": "penuh",
    "bangih": "marah", "tangguang": "tanggung", "angok": "panas",
    "jambatan": "jembatan", "gaek": "lansia",
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
    # Function words and everyday problem words, ngoko and krama (a word list, not any text).
    "opo": "apa", "piye": "bagaimana", "ngendi": "di mana", "iki": "ini", "kuwi": "itu",
    "iku": "itu", "karo": "dengan", "lan": "dan", "neng": "di", "ning": "di", "ing": "di",
    "soko": "dari", "saka": "dari", "sing": "yang", "sithik": "sedikit", "cilik": "kecil",
    "ajur": "hancur", "remuk": "hancur", "bosok": "busuk", "tugel": "patah", "rubuh": "roboh",
    "montor": "motor", "sepur": "kereta api", "regane": "harga", "wong": "orang",
    "tonggo": "tetangga", "duwit": "uang", "loro": "sakit", "lara": "sakit", "tuku": "beli",
    "adol": "jual", "didol": "dijual", "dicolong": "dicuri", "colong": "curi", "lindu": "gempa",
    "kebak": "penuh", "resik": "bersih", "reged": "kotor", "wedhus": "kambing", "asu": "anjing",
    "tanduran": "tanaman", "rabuk": "pupuk", "iwak": "ikan", "segara": "laut",
    "plesiran": "wisata", "mbayar": "bayar", "dijaluk": "diminta", "ngurus": "mengurus",
    "suwe": "lama", "alon": "lambat", "cepet": "cepat", "esuk": "pagi", "saiki": "sekarang",
    "wingi": "kemarin", "dino": "hari", "sasi": "bulan", "nggon": "tempat",
    "panggonan": "tempat", "mburi": "belakang", "cedhak": "dekat", "cedak": "dekat",
    "adoh": "jauh", "ngisor": "bawah", "njero": "dalam", "jero": "dalam", "njaba": "luar",
    "kabeh": "semua", "mung": "hanya", "isih": "masih", "arep": "mau", "kudu": "harus",
    "iso": "bisa", "isa": "bisa", "ra": "tidak", "ndang": "segera", "tulung": "tolong",
    "nyuwun": "mohon", "sampun": "sudah", "dereng": "belum", "wonten": "ada", "griya": "rumah",
    "toya": "air", "ageng": "besar", "alit": "kecil", "risak": "rusak", "gawe": "buat",
    "jugangan": "lubang", "kedhik": "sedikit", "padhang": "terang",
    "sampeyan": "anda", "kulo": "saya", "kreteg": "jembatan", "piro": "berapa",
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
    # Function words and everyday problem words (a Malay-Indonesian word list, not any text).
    "tu": "itu", "ni": "ini", "hujung": "ujung", "awam": "umum", "peniaga": "pedagang",
    "senget": "miring", "lembab": "lambat", "rompak": "rampok", "dirompak": "dirampok",
    "samun": "rampok", "kutip": "angkut", "dikutip": "diangkut", "motosikal": "motor",
    "kenderaan": "kendaraan", "teksi": "taksi", "doktor": "dokter", "jururawat": "perawat",
    "cikgu": "guru", "kerosakan": "kerusakan", "dibaiki": "diperbaiki", "membaiki": "memperbaiki",
    "polis": "polisi", "samseng": "preman", "dadah": "narkoba", "talian": "jaringan",
    "bimbit": "hp", "gerai": "lapak", "sijil": "sertifikat", "lesen": "izin", "saman": "tilang",
    "beranak": "kelahiran", "pengenalan": "identitas", "kutipan": "pungutan",
    "pulak": "pula",
    "macam": "seperti", "sikit": "sedikit",
    "tengok": "lihat", "nampak": "tampak", "sentiasa": "selalu",
    "perhentian": "halte",
    "tadika": "tk",
    # Riau Malay says a final a as e ("saye", "ade"): the everyday words, and problem words.
    "saye": "saya", "kene": "kena", "ape": "apa", "die": "dia", "kate": "kata", "berape": "berapa",
    "semue": "semua", "terime": "terima", "tue": "tua", "mane": "mana", "sape": "siapa",
    "lame": "lama", "kecik": "kecil", "sorang": "seorang", "atok": "lansia", "letrik": "listrik",
    "karan": "listrik", "merayau": "berkeliaran", "korek": "gali", "dikorek": "digali",
    "reput": "lapuk", "jage": "jaga",
}
SLANG = {
    "nyokap": "ibu", "bokap": "ayah", "bocil": "anak", "ancur": "hancur", "kosan": "kos",
    "jorok": "kotor", "asep": "asap", "laler": "lalat", "sesek": "sesak", "ujan": "hujan",
    "olshop": "toko online", "ketipu": "tertipu", "lemot": "lambat", "internetan": "internet",
    "bikin": "buat", "dimintain": "dimintai", "ngebul": "berasap", "nyampah": "buang sampah",
    "macet2": "macet", "jukir": "juru parkir",
    # Chat and teenage spellings of everyday words (a slang word list, not any text).
    "tpi": "tapi", "tdi": "tadi", "mlm": "malam", "kmrn": "kemarin", "kmaren": "kemarin",
    "kemaren": "kemarin", "pdhl": "padahal", "trs": "terus", "trus": "terus", "doang": "saja",
    "prnh": "pernah", "ngilang": "hilang", "nyolong": "mencuri", "jatoh": "jatuh",
    "ngadu": "mengadu", "bener": "benar", "benerin": "perbaiki", "dibenerin": "diperbaiki",
    "lelet": "lambat", "telat": "terlambat", "bet": "banget", "bgt": "banget", "ampe": "sampai",
    "gelap2an": "gelap", "mulu": "terus", "smua": "semua", "ancurr": "hancur",
    "ngebut2an": "ngebut", "kebut2an": "ngebut",
    "nungguin": "menunggu", "dikit": "sedikit", "lu": "kamu", "lo": "kamu", "elu": "kamu",
    "deket": "dekat", "dpn": "depan", "blkg": "belakang", "byk": "banyak", "kdg": "kadang", "td": "tadi",
    "kyk": "kayak", "aq": "aku", "sktr": "sekitar", "ktnya": "katanya", "hrs": "harus",
    "sblh": "sebelah", "tmn": "teman", "tmn2": "teman", "kntor": "kantor",
    "jalinsum": "jalan lintas sumatera", "jalintim": "jalan lintas timur sumatera",
    "jalinbar": "jalan lintas barat sumatera",
}
REGIONAL_WORDS = {**MINANG, **JAVANESE, **MALAY, **SLANG}

# Regular sound correspondences of a word's last syllable (Minangkabau and Riau Malay against
# Indonesian), tried as extra roots of a word the phrases do not know: Minang "busuak" busuk,
# "angkuik" angkut, "kampuang" kampung, "runtuah" runtuh, "pasia" pasir, "lapua" lapur/lapuk,
# "surek" surat, "karcih" karcis, "namo" nama; Riau Malay's final e for a ("tanye" tanya,
# "kerje" kerja). Rules, not a word list, so words no list has are read too.
_LAST_SYLLABLE = (("uang", "ung"), ("iang", "ing"), ("uak", "uk"), ("iak", "ik"), ("uik", "ut"),
                  ("uah", "uh"), ("iah", "ih"), ("ua", "ur"), ("ua", "uk"), ("ia", "ir"),
                  ("ek", "at"), ("ih", "is"), ("o", "a"), ("e", "a"))
MIN_REGIONAL_ROOT = 4


def regional_roots(word: str) -> list[str]:
    """The word with its last syllable said the Indonesian way, by the rules above."""
    return [word[: -len(end)] + root for end, root in _LAST_SYLLABLE
            if word.endswith(end) and len(word) - len(end) + len(root) >= MIN_REGIONAL_ROOT]
