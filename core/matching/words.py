"""Indonesian chat text for matching: normalisation (case, punctuation, chat spellings,
reduplication, -nya), stop and weak words, English words, and light stemming (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

from core.matching.regional import REGIONAL_WORDS, regional_roots

# Common Indonesian chat spellings, expanded before matching.
_CHAT_WORDS = {
    "gk": "tidak", "ga": "tidak", "gak": "tidak", "nggak": "tidak", "tdk": "tidak",
    "yg": "yang", "jln": "jalan", "jl": "jalan", "dgn": "dengan", "dg": "dengan",
    "sdh": "sudah", "udh": "sudah", "blm": "belum", "bgt": "banget", "krn": "karena",
    "utk": "untuk", "dr": "dari", "sy": "saya", "tp": "tapi", "kel": "kelurahan",
    "kec": "kecamatan", "pju": "penerangan jalan umum", "tlg": "tolong",
    "udah": "sudah", "dah": "sudah", "blum": "belum", "ngga": "tidak", "enggak": "tidak",
    "org": "orang", "dkt": "dekat", "bbrp": "beberapa", "thd": "terhadap", "jg": "juga",
    "lg": "lagi", "bs": "bisa", "sm": "sama", "pd": "pada", "kalo": "kalau", "dmn": "di mana",
    "gmn": "bagaimana", "skrg": "sekarang", "bnyk": "banyak", "rmh": "rumah", "mhn": "mohon",
    "pake": "pakai", "sampe": "sampai", "malem": "malam", "dateng": "datang",
    "kaga": "tidak", "kagak": "tidak", "ndak": "tidak", "nda": "tidak",
    "aja": "saja", "gimana": "bagaimana", "knp": "kenapa", "bln": "bulan", "thn": "tahun",
    "lobang": "lubang", "ambles": "amblas", "akte": "akta", "sklh": "sekolah",
    "skolah": "sekolah", "gede": "besar", "item": "hitam", "rame": "ramai", "brisik": "berisik",
    "keliatan": "kelihatan", "dbd": "demam berdarah", "rs": "rumah sakit", "ilegal": "liar",
    # Regional words (Javanese, Sundanese, Minang, Betawi) for common topic words.
    "dalan": "jalan", "dalane": "jalan", "bolong": "lubang", "bolongan": "lubang",
    "wis": "sudah", "indak": "tidak", "ora": "tidak", "teu": "tidak", "henteu": "tidak",
    "banyu": "air", "cai": "air", "aia": "air", "mili": "mengalir", "uwuh": "sampah",
    "runtah": "sampah", "sarok": "sampah", "omah": "rumah", "imah": "rumah",
    "solokan": "selokan", "kalen": "selokan", "wit": "pohon", "tangkal": "pohon",
    "labuah": "jalan", "mambu": "bau", "peteng": "gelap", "akeh": "banyak", "pisan": "sekali",
    "ambruk": "roboh", "peuting": "malam", "tatangga": "tetangga",
    "ijin": "izin", "perijinan": "perizinan", "malming": "malam minggu", "naek": "naik",
    "mulu": "terus", "duit": "uang", "ortu": "orang tua", "msh": "masih", "jd": "jadi",
    "urip": "hidup", "dhewe": "sendiri", "dewe": "sendiri", "ana": "ada", "mbah": "lansia",
    "galodo": "banjir bandang", "hanyuik": "hanyut", "kemana2": "ke mana", "tnpa": "tanpa",
    "gadang": "besar", "rabah": "tumbang", "oto": "mobil", "ulun": "saya", "nang": "yang",
    "ade": "ada", "pade": "pada", "opang": "ojek pangkalan", "ngocor": "mengalir",
    "isuk": "pagi", "mabok": "mabuk", "dobel": "ganda",
    "berizin": "ada izin",  # "tidak berizin": "tanpa izin"
}
_CHAT_WORDS = {**REGIONAL_WORDS, **_CHAT_WORDS}
# English words residents mix in, as the Indonesian word a directory's synonyms would use
# (keyword matching only; translated in phrases and queries alike).
_ENGLISH_WORDS = {
    "road": "jalan", "street": "jalan", "pothole": "lubang", "hole": "lubang", "crack": "retak",
    "cracked": "retak", "asphalt": "aspal", "bridge": "jembatan", "sidewalk": "trotoar",
    "pavement": "trotoar", "flood": "banjir", "flooded": "banjir", "flooding": "banjir",
    "drain": "selokan", "gutter": "selokan", "sewer": "got", "clogged": "tersumbat",
    "overflow": "meluap", "overflows": "meluap", "puddle": "genangan", "streetlight": "lampu jalan",
    "lamp": "lampu", "light": "lampu", "dark": "gelap", "bulb": "bohlam", "park": "taman",
    "toilet": "toilet", "bench": "bangku", "cemetery": "pemakaman", "garbage": "sampah",
    "trash": "sampah", "rubbish": "sampah", "litter": "sampah", "waste": "sampah",
    "pollution": "polusi", "polluted": "tercemar", "smoke": "asap", "fumes": "asap",
    "smell": "bau", "smells": "bau", "stink": "bau", "dust": "debu", "sewage": "limbah",
    "tree": "pohon", "branch": "dahan", "branches": "dahan", "fallen": "tumbang", "fell": "tumbang",
    "vendor": "pedagang", "hawker": "pedagang", "stall": "lapak", "cart": "gerobak",
    "permit": "izin", "license": "izin", "licence": "izin", "noise": "bising", "noisy": "bising",
    "loud": "berisik", "drunk": "mabuk", "beggar": "pengemis", "homeless": "gelandangan",
    "parking": "parkir", "parked": "parkir", "traffic": "lalu lintas", "congestion": "macet",
    "minibus": "angkot", "driver": "sopir", "fare": "ongkos", "birth": "kelahiran",
    "aid": "bantuan", "assistance": "bantuan", "poor": "miskin", "elderly": "lansia",
    "hospital": "rumah sakit", "clinic": "puskesmas", "doctor": "dokter", "nurse": "perawat",
    "medicine": "obat", "patient": "pasien", "ambulance": "ambulans", "vaccine": "imunisasi",
    "dengue": "demam berdarah", "mosquito": "nyamuk", "mosquitoes": "nyamuk", "school": "sekolah",
    "teacher": "guru", "student": "siswa", "pupil": "murid", "scholarship": "beasiswa",
    "child": "anak", "children": "anak", "violence": "kekerasan", "abuse": "kekerasan",
    "abused": "kekerasan", "beaten": "dipukuli", "husband": "suami", "wife": "istri",
    "harassment": "pelecehan", "tax": "pajak", "taxes": "pajak", "bribe": "suap",
    "bribery": "suap", "corruption": "korupsi", "extortion": "pungli", "market": "pasar",
    "price": "harga", "scale": "timbangan", "wage": "upah", "salary": "gaji", "fired": "phk",
    "layoff": "phk", "severance": "pesangon", "overtime": "lembur", "worker": "buruh",
    "employee": "karyawan", "farmer": "petani", "fertiliser": "pupuk", "fertilizer": "pupuk",
    "rice": "padi", "irrigation": "irigasi", "harvest": "panen", "cattle": "sapi", "cow": "sapi",
    "goat": "kambing", "chicken": "ayam", "livestock": "ternak", "pest": "hama", "dog": "anjing",
    "fisherman": "nelayan", "fishermen": "nelayan", "fisher": "nelayan", "boat": "perahu",
    "net": "jaring", "erosion": "abrasi", "diesel": "solar", "tourist": "wisatawan",
    "tourism": "wisata", "beach": "pantai", "ticket": "tiket", "waterfall": "air terjun",
    "fire": "kebakaran", "firefighter": "damkar", "hydrant": "hidran", "snake": "ular",
    "python": "ular", "cobra": "ular",
    "bee": "lebah", "wasp": "tawon", "hornet": "tawon", "burning": "bakar", "burned": "terbakar",
    "burnt": "terbakar", "landslide": "longsor", "earthquake": "gempa", "storm": "angin kencang",
    "evacuee": "pengungsi", "refugee": "pengungsi", "drought": "kekeringan", "water": "air",
    "tap": "keran", "pipe": "pipa", "leak": "bocor", "leaking": "bocor", "murky": "keruh",
    "suggestion": "saran", "question": "pertanyaan", "feedback": "masukan", "app": "aplikasi",
    "illegal": "liar", "building": "bangunan", "construction": "bangunan",
    "guide": "pemandu", "temple": "candi",
    "build": "bangun", "built": "bangun", "without": "tanpa", "broken": "rusak",
    "damaged": "rusak", "dirty": "kotor", "smelly": "bau", "river": "sungai", "factory": "pabrik",
    "rain": "hujan", "neglected": "terlantar", "stray": "liar", "music": "musik",
    "asked": "minta", "money": "uang", "victim": "korban", "bump": "polisi tidur",
    "truck": "truk", "lorry": "truk", "sand": "pasir", "heavy": "berat", "sunk": "amblas",
    "sank": "amblas", "sinking": "amblas", "subsided": "amblas", "collapsed": "roboh",
    "roundabout": "bundaran", "intersection": "simpang", "junction": "simpang",
    "crossing": "penyeberangan", "crosswalk": "penyeberangan", "sign": "rambu",
    "speeding": "ngebut", "accident": "kecelakaan", "moved": "pindah",
    "move": "pindah", "moving": "pindah", "relocate": "pindah", "residence": "domisili",
    "document": "dokumen", "letter": "surat", "certificate": "akta", "mentally": "jiwa",
    "mental": "jiwa", "insane": "gila", "crazy": "gila", "obscene": "cabul", "molested": "cabul",
    "rape": "pemerkosaan", "raped": "pemerkosaan", "bullying": "perundungan",
    "bullied": "perundungan", "trafficking": "perdagangan orang", "trafficked": "perdagangan orang",
    "pressure": "debit", "running": "mengalir", "flowing": "mengalir", "bill": "tagihan",
    "bin": "tempat sampah", "dumped": "buang", "dumping": "buang",
    "collected": "diangkut", "pole": "tiang", "flickering": "kedip", "dim": "redup",
    "field": "lapangan", "grave": "makam", "graveyard": "kuburan", "party": "pesta",
    "exhaust": "knalpot", "racing": "balap", "fee": "pungutan",
    "broker": "calo", "rude": "judes", "lazy": "malas", "banner": "spanduk",
    "billboard": "baliho", "drainage": "drainase", "channel": "saluran", "ditch": "parit",
    "culvert": "gorong", "blocked": "tersumbat", "trim": "pangkas", "prune": "pangkas",
    "chemical": "limbah", "stench": "bau", "uniform": "seragam", "diploma": "ijazah",
    "enrolment": "ppdb", "enrollment": "ppdb", "admission": "ppdb", "health": "kesehatan",
    "sick": "sakit", "vaccination": "imunisasi", "business": "usaha", "property": "pbb",
    "cylinder": "tabung", "job": "kerja", "unemployed": "pengangguran", "training": "pelatihan",
    "crop": "tanaman", "seed": "bibit", "fish": "ikan", "pond": "tambak", "pier": "dermaga",
    "jetty": "dermaga", "harbour": "pelabuhan", "harbor": "pelabuhan", "coast": "pesisir",
    "coastal": "pesisir", "sea": "laut", "extinguisher": "apar",
    "ring": "cincin", "disaster": "bencana", "evacuation": "pengungsian", "levee": "tanggul",
    "embankment": "tanggul", "dike": "tanggul", "tornado": "puting beliung",
    "whirlwind": "puting beliung", "eruption": "erupsi", "volcano": "gunung",
    "volunteer": "relawan", "suggest": "saran", "outage": "padam", "power": "listrik",
    "electricity": "listrik", "scam": "penipuan", "scammed": "tertipu", "fraud": "penipuan",
    "signal": "sinyal", "stolen": "dicuri", "theft": "pencurian", "thief": "maling",
    "highway": "jalan nasional", "land": "tanah", "network": "jaringan", "police": "polisi",
    "gambling": "judi", "drugs": "narkoba", "robbed": "dirampok", "robbery": "perampokan",
    "scams": "penipuan", "blackout": "listrik padam", "home": "rumah", "national": "nasional",
    "provincial": "provinsi", "snatched": "dijambret", "wallet": "dompet", "mugged": "dirampok",
    "pickpocket": "copet", "office": "kantor",
    "library": "perpustakaan", "roof": "atap", "dead": "mati", "leaning": "miring",
    "tilted": "miring", "slow": "lambat", "mobile": "seluler", "rate": "tarif",
    "motorbike": "motor", "motorcycle": "motor", "filthy": "kotor", "prize": "hadiah",
    "lottery": "undian", "licensing": "perizinan", "broke": "bobol", "burglar": "maling",
    "burgled": "kemalingan", "footpath": "trotoar", "fake": "palsu", "stole": "curi",
    "steal": "curi", "shop": "toko", "out": "padam", "house": "rumah", "threatened": "mengancam",
    "threatening": "mengancam", "hacked": "diretas", "hack": "diretas", "loan": "pinjaman",
    "debt": "utang", "collector": "penagih", "collectors": "penagih", "opening": "buka",
    "hours": "jam",
}
# Words that carry no topic; dropped from queries so long sentences match on their content.
STOP_WORDS = frozenset({
    "di", "yang", "dan", "ke", "dari", "ini", "itu", "sudah", "ada", "saya", "kami", "kita",
    "tidak", "sangat", "sekali", "banget", "depan", "dekat", "mohon", "tolong", "pak", "bu",
    "untuk", "dengan", "pada", "karena", "kalau", "tapi", "atau", "juga", "lagi", "saja", "sih",
    "dong", "deh", "nih", "kok", "ya", "mau", "akan", "belum", "masih", "oleh", "agar", "buat",
    "aku", "gue", "gw", "kak", "kayaknya", "kyknya", "sepertinya", "katanya",
    # chat fillers and forms of address
    "anjir", "anjay", "anjrit", "gaes", "gais", "guys", "wkwk", "wkwkwk", "btw", "bestie", "bro",
    "sis", "cuy", "coy", "min", "gan", "ngab", "lho", "loh", "kan", "yah", "euy", "mah", "atuh",
    "toh", "do", "dek", "kamu", "anda", "dia", "mereka", "gitu", "gini", "begitu", "begini",
    "the", "is", "a", "an", "of", "in", "at", "my", "on", "please", "to", "and", "for", "it",
    "this", "that", "are", "was", "has", "have", "been", "be", "by", "from", "our", "we", "i",
})
# Words too general to point at a choice on their own (kept inside whole phrases): what is
# wrong ("rusak", "mati", "kotor") or who/where ("warga", "rumah"), not what the problem is.
WEAK_WORDS = frozenset({
    "tanpa", "minta", "baru", "besar", "kecil", "umum", "kota", "contoh", "masuk", "naik",
    "kena", "atas", "bawah", "bisa", "dapat", "makan", "pasang", "lepas", "lain", "liar",
    "rusak", "mati", "kotor", "mahal", "keras", "uang", "bersih", "orang", "warga", "rumah",
    "daerah", "layanan", "pelayanan", "petugas", "selamat", "not", "no", "with", "new",
    "public", "local", "services", "staff", "lalu", "kelurahan", "kecamatan",
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
    "puluh", "ratus", "ribu", "juta",
})
MIN_QUERY_CHARS = 3
_HAVE = frozenset({"ada", "punya", "pakai"})  # "gk ada izin", "tidak punya imb": "tanpa izin"
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_DRAWN_OUT = re.compile(r"([a-z])\1{2,}")  # a letter said three or more times
_REPEAT_MARK = re.compile(r"^([a-z]{3,})2(an|nya)?$")  # "anak2", "mabuk2an": chat reduplication
# Words that end in "nya" without it being the possessive suffix.
_NYA_ROOTS = frozenset({"hanya", "punya", "tanya", "bertanya", "ditanya", "nyanya", "lainnya"})


def _word(word: str) -> str:
    """One word's canonical form: chat spelling expanded, drawn-out letters ("parahhh",
    "gelaaap") and reduplication and -nya removed."""
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "slf" and word.isalpha() and (
            word not in _ENGLISH_WORDS):
        word = word[:-1]  # "ancurr", "bauu": Indonesian words do not end in a doubled letter
    if (repeated := _REPEAT_MARK.match(word)) is not None:
        word = repeated[1]
    if len(word) > 6 and word.endswith(("nya", "nye")) and word not in _NYA_ROOTS:
        word = word[:-3]  # "sampahnya" → "sampah", Betawi "izinnye" → "izin"
    if word not in _CHAT_WORDS and word.endswith(("ku", "mu")) and word[:-2] in _CHAT_WORDS:
        word = word[:-2]  # "omahku", "motormu": my/your house, a regional word with -ku/-mu
    return _CHAT_WORDS.get(word, word)


@lru_cache(maxsize=256)  # the CATEGORY step reads one text several ways (synonyms, n-grams, examples)
def normalise(text: str) -> str:
    """Lower-case, drop punctuation, expand chat abbreviations, collapse spaces and
    reduplication ("gorong-gorong", "kedip kedip": once), and say "tidak ada X" as "tanpa X"."""
    words = _SPACES.sub(" ", _NON_WORD.sub(" ", _DRAWN_OUT.sub(r"\1", text.lower()))).strip().split(" ")
    out: list[str] = []
    for word in " ".join(_word(w) for w in words if w).split(" "):
        if out and word == out[-1]:
            continue
        if out and out[-1] == "tidak" and word in _HAVE:
            out[-1] = "tanpa"
            continue
        out.append(word)
    return " ".join(out)


def content_words(normalised: str) -> str:
    """The words that carry the topic (stop words dropped), or all of them if none do."""
    words = normalised.split(" ")
    return " ".join(w for w in words if w not in STOP_WORDS) or normalised


@lru_cache(maxsize=256)
def normalise_english(text: str) -> str:
    """`normalise`, with known English words said in Indonesian ("trash" → "sampah")."""
    # English puts the modifier first, Indonesian last: a run of translated words is said in
    # Indonesian order ("electricity pole" → "tiang listrik", "broken road" → "jalan rusak").
    out: list[str] = []
    run: list[str] = []
    for word in normalise(text).split(" "):
        if (said := english_word(word)) != word:
            run.append(said)
            continue
        out += run[::-1] + [word]
        run = []
    return " ".join(out + run[::-1])


def english_word(word: str) -> str:
    """The Indonesian word for a known English one, plurals included ("trees" → "pohon")."""
    for singular in (word, word[:-1], word[:-2]) if word.endswith("s") else (word,):
        if singular in _ENGLISH_WORDS:
            return _ENGLISH_WORDS[singular]
    return word


# Indonesian affixes. A nasal prefix before a vowel replaced the root's first letter
# ("menumpuk" ← tumpuk, "menyumbat" ← sumbat, "memotong" ← potong, "mengeruk" ← keruk; chat
# drops the me-: "numpuk", "nyumbat", "motong"): put it back.
_PREFIXES = ("meng", "meny", "mem", "men", "me", "mang", "many", "mam", "man", "peng", "peny",
             "pem", "pen", "per", "pe", "ber", "ter", "di", "ke", "nge", "ng", "ny", "n", "m")
# Minang says ma- for me- ("manambang" ← tambang, "mambuang" ← buang, "manyapu" ← sapu).
_NASAL_ROOTS = {"meny": "s", "peny": "s", "ny": "s", "mem": "p", "pem": "p", "m": "p",
                "men": "t", "pen": "t", "n": "t", "meng": "k", "peng": "k", "ng": "k",
                "many": "s", "mam": "p", "man": "t", "mang": "k"}
_NASAL_ONLY = frozenset({"n", "m"})  # prefixes only before a vowel ("nanya"), else root letters
_VERB_PREFIXES = frozenset({"meng", "meny", "mem", "men", "me", "mang", "many", "mam", "man",
                            "di", "ter", "nge", "ng", "ny", "n", "m"})
# (suffix, shortest stem it may leave). Verbs take -kan/-i ("dibersihkan"); nouns take -an, and
# there "-kan" is usually a root's k plus -an ("tumpukan", "kerusakan"), so it is not stripped.
# Jakarta chat says -in for -kan/-i ("dinikahin", "benerin").
_VERB_SUFFIXES = (("kan", 4), ("in", 4), ("i", 5), ("an", 4))
_NOUN_SUFFIXES = (("an", 4), ("i", 5))
# Possessive endings of Javanese ("lampune", "sampahe"), Sundanese ("lampuna"), Minang ("-nyo").
_REGIONAL_ENDINGS = ("ne", "e", "na", "nyo")
MIN_STEM = 4


@lru_cache(maxsize=8192)  # rank() asks for the stems of every unknown word of every query
def stems(word: str) -> tuple[str, ...]:
    """Candidate roots: the word without its suffix, without a regional or English plural
    ending, and without each prefix it may have ("pemakaman": "pemakam", "makam", …), so that
    "tersumbat", "sumbatan" and "nyumbat" meet.

    Deliberately naive (no dictionary): queries and phrases go through the same rules, so a
    wrong candidate only matters when it equals another word's candidate.
    """
    found = [_unsuffixed(word, _NOUN_SUFFIXES)]
    found.append(_unsuffixed(word, (("in", MIN_STEM + 1),)))  # "bersihin"; not "bensin"
    found += [word[: -len(end)] for end in _REGIONAL_ENDINGS
              if word.endswith(end) and len(word) - len(end) >= MIN_STEM]
    found += [word[: -len(end)] for end in ("s", "es") if word.endswith(end) and len(word) > 3]
    prefixed = False
    for prefix in _PREFIXES:
        rest = word[len(prefix):]
        if not word.startswith(prefix) or len(rest) < MIN_STEM:
            continue
        vowel = rest[0] in "aeiou"
        if prefix in _NASAL_ONLY and (prefixed or not vowel):
            continue
        prefixed, suffixes = True, _VERB_SUFFIXES if prefix in _VERB_PREFIXES else _NOUN_SUFFIXES
        if vowel and prefix in _NASAL_ROOTS:
            if prefix not in _NASAL_ONLY:  # vowel roots too: "mengangkut" ← angkut
                found.append(_unsuffixed(rest, suffixes))
            rest = _NASAL_ROOTS[prefix] + rest
        found.append(_unsuffixed(rest, suffixes))
    found += [r for root in found[:] for r in regional_roots(root)]
    return tuple(dict.fromkeys(found))


def _unsuffixed(word: str, suffixes: tuple[tuple[str, int], ...]) -> str:
    for suffix, shortest in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            return word[: -len(suffix)]
    return word
