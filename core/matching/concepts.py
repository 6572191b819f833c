"""Topics outside the city's authority recognised by two concepts said close together (issue
21): a deed and land ("sertifikat … tanah"), a theft and a belonging ("motor … dicuri", Malay
"kereta kene curi"), a deceit and a channel ("kena apus … marketplace"), a signal and a phone
("telefon tak de line"), a meter and its token, dues and arrears ("iuran … nunggak": BPJS
without its name), a road and the state or "antar kota", a threat and a harm ("diancam
dibunuh"), an unregistered loan and its terror. Each concept is a set of stems; a word counts
for a stem also with the regional and Indonesian affixes residents add (di-, ke-, ka-, ta-,
ter-, -ku, -nya, -ne, -an: "dicuri", "kecurian", "tatipu", "motorku"). Single words or phrases
would need every way of saying it; a pair of concepts generalises to sentences not yet seen,
and requiring both keeps "motor saya jatuh di jalan berlubang" (no theft) the city's."""

from __future__ import annotations

from collections.abc import Sequence

# Javanese "dipun-" (krama passive: "dipunbajak") and "ng-" ("ngancam").
_PREFIXES = ("ter", "ke", "ka", "ta", "di", "ku", "tak", "dipun", "ng")
_SUFFIXES = ("nya", "ku", "mu", "ne", "an", "e", "i")
WINDOW = 6  # content words between the two concepts at most


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_THEFT = _set("curi maling begal jambret rampok copet rampas kabur gasak embat bobol pencuri pencurian "
              "mancilok nyuri nyolong colong cungkil congkel kebas "
              "stolen stole steal robbed robbery thief theft smashed took snatched")
_BELONGING = _set("motor mobil sepeda hp handphone dompet laptop tas helm perhiasan emas kendaraan "
                  "honda yamaha car motorbike bike phone wallet bag window tabung tabuang sandal "
                  "sendal sepatu laci amal kedai warung toko kios")
_LOST = _set("hilang ilang raib lenyap")
# Lost, not stolen, unless close to a vehicle or valuables: a lost wallet is a lost ID card.
_MOVABLE = _set("motor mobil sepeda helm laptop hias perhiasan emas kendaraan motorbike honda yamaha")
_DECEIT = _set("tipu apus nipu penipu penipuan scam scammer scammed fraud kibul")
_CHANNEL = _set("online daring marketplace kurir wa whatsapp transfer facebook fb instagram ig "
                "shopee tokopedia olshop beli belanja barang rekening hp tautan link aplikasi apk")
_SCHEME = _set("arisan investasi ponzi trading binomo")  # money pooled online, the admin gone
_GONE = _set("hilang ilang kabur lari tutup ditutup ngilang menghilang blokir diblokir")
_HIJACK = _set("bajak dibajak retas diretas hack dihack hacked hijacked")
_PROFILE = _set("wa whatsapp akun account ig instagram fb facebook telegram email")
_POSE = _set("ngaku mengaku ngaken ngakunya")  # "ngaku kurir/pembeli/petugas" and money moved
_MOVED = _set("transfer tf atm otp rekening saldo")
_DRAINED = _set("kuras terkuras bobol dibobol raib sedut disedut")
_ACCOUNT = _set("banking mbanking rekening saldo tabungan atm bank akaun")
_PAID = _set("transfer mentransfer tf")  # paid, and the goods never came
_GOODS = _set("barang paket pesanan orderan")
_LURE = _set("apk undangan fail")  # "file undangan .apk" sent by a fake courier
_MESSAGE = _set("wa whatsapp kurir kurier chat pesan file sms")
_SHOP = _set("marketplace olshop shopee tokopedia lazada seller")
_VANISHED = _set("ngilang menghilang blokir diblokir blocked batu")  # the seller gone, a brick in the box
_LOAN = _set("pinjaman pinjam minjam minjem utang utangan pinjol loan")
_HOUNDED = _set("neror teror meneror sebar disebar nyebar ilegal resmi terdaftar online aplikasi")
_JOB_LURE = _set("lowongan komisi")
_DEPOSIT = _set("setor modal deposit")
_DEED = _set("sertifikat sertipikat sertif shm ajb girik akta waris ahli sengketa certificate "
             "kuitansi")
_LAND = _set("tanah kavling lahan bidang sebidang persil lemah luas")  # Javanese "lemah": land
_HOUSE = _set("rumah house")  # "sertifikat rumah" a developer keeps
_FENCED = _set("pagar dipagar patok dipatok")  # land fenced off by someone else
_FENCE_FAULT = _set("roboh ambruk rusak jebol makam kuburan")  # a fallen fence is no claim
_NUMBER = _set("nomor nomer simcard")
_BLOCKED = _set("blokir keblokir diblokir terblokir hangus")
_SIGNAL = _set("sinyal signal line bars tower bts jaringan")
_PHONE = _set("hp handphone telepon telefon telpon phone call data operator telkomsel indosat xl "
               "4g 3g lte")
_DROPS = _set("pedhot putus drop drops kresek")  # calls cut off
_CREDIT = _set("pulsa kuota")
_TAKEN = _set("potong kepotong terpotong dipotong sedot disedot abis habis hangus")  # credit eaten by itself
_TOKEN = _set("token kwh")
_POWER = _set("listrik meteran isi angka masuk bunyi pulsa kode digit")
_DARK = _set("gelap padam")  # one's own house dark ("rumah gue gelap gulita"), not the street
_HOME = _set("rumah omah umah")
_VOLTAGE = _set("tegangan voltase")
_UNSTABLE = _set("drop turun naik anjlok redup lemah")
_DIM = _set("redup kedip berkedip")  # lamps dim or flickering: supply, unless a street's
_LAMP = _set("lampu listrik kulkas")
_CABLE = _set("kabel")
_SAGS = _set("kendor kendur juntai menjuntai melorot nyentuh menyentuh")  # a low-hanging line
_WIDE = _set("sekampung sekampuang sekomplek sekompleks seblok sadusun sedesa sekelurahan")
_TRANSFORMER = _set("trafo travo")
_BANG = _set("ledak ledakan meledak bunyi percikan terbakar")
_ELECTRICITY = _set("listrik")
_OUT = _set("padam mati gelap anjlok")
_ASSAULT = _set("keroyok bacok tusuk kelahi berkelahi bakalahi fight punches")
_HIT = _set("pukul memukul jotos")
_WOUND = _set("sobek berdarah bleeding")  # hit till it bled
_VICTIM = _set("orang pemuda berdarah luka luko sobek bleeding sanjato senjata sajam tajam knife "
               "knives stabbed")
_THREAT = _set("ancam ancaman diancam diancem mengancam ngancam ngancem maancam threat threatened")
_HARM = _set("bunuh dibunuh bakar membakar bacok tusuk kill burn beres beresin diberesin habisi "
             "dihabisi hajar dihajar")
_EXTORT = _set("palak malak malakin dipalak pemalakan")  # thugs collecting "security money"
_CASH = _set("uang duit setoran keamanan")
_CARD = _set("kartu kis card")
_INACTIVE = _set("nonaktif dinonaktifkan")
_DUES = _set("iuran premi")
_ARREARS = _set("nunggak tunggak menunggak manunggak tunggakan kesehatan berobat rawat kelas")
_CARE = _set("rawat dirawat inap")
_WARD = _set("kelas")
_COVERED = _set("tanggung ditanggung")
_INSURER = _set("asuransi kartu bpjs")
_ARTERY = _set("nagara negara")  # the state's road
_BETWEEN = _set("antar")
_TOWNS = _set("kota kabupaten provinsi")  # "jalan antar kota": between towns
_ROAD = _set("jalan jalur margi ruas")
_BYPASS = _set("bypass pass")  # "by pass": "by" is no content word
_SENIOR = _set("sma smk slb sman smkn")  # one word that loses a tie alone: with a school matter
_SCHOOLING = _set("ijazah sekolah sakolah guru kelas atap komite spp ppdb murid siswa rapor")
_HIGH = _set("high")  # "high school" in English is the province's SMA, not a junior high
_SCHOOL = _set("school sekolah")  # "school" reads as "sekolah"
_ROADWORK = _set("aspal lubang bolong bergelombang rusak retak amblas potholes")

# topic code -> pairs of concepts (tried in this order: a fraud story often says "bobol" and
# "hp" too), how many words apart they may be said ("motor hilang", not
# "namanya hilang … punya mobil"), and words that rule the pair out in the text.
_NONE: frozenset[str] = frozenset()
_NOT_THEFT = _set("kendali keseimbangan arah")  # "motor hilang kendali": lost control
_STREET = _set("jalan gang lorong penerangan pju taman")  # a dark street is the street light's
_SIGNALS = _STREET | _set("lintas traffic merah apill")  # a blinking traffic light
_NOT_POWER = _STREET | _set("internet wifi fiber indihome optik telepon pohon ranting dahan")
_NOT_POWER_CUT = _STREET | _set("air pdam ledeng")  # "air mati sekampung" is the water's
_NOT_SIM = _set("rekening bank atm penipu tipu seller penjual toko")  # a blocked account or shop
_OTHER_CARD = _set("penduduk keluarga kk sim atm kip pkh kks ktp nik")
_TAX = _set("pbb sppt pajak njop")  # a tax bill quoting the certificate is the tax office's
_JUNIOR = _set("junior middle smp elementary")
_OTHER_DUES = _set("sampah kebersihan retribusi pdam air pajak pbb sekolah spp keamanan")
_NOT_CREDIT = _set("listrik token meteran kwh sekolah ppdb zonasi siswa pelatihan bansos solar bbm subsidi")
_LOCAL = _set("rt rw gang kampung desa kelurahan dusun perumahan komplek")
_COACH = _set("bus bis angkutan angkot travel terminal")
Pair = tuple[frozenset[str], frozenset[str], int, frozenset[str]]
CONCEPTS: dict[str, tuple[Pair, ...]] = {
    "penipuan_online": ((_DECEIT, _CHANNEL, WINDOW, _NONE), (_DRAINED, _ACCOUNT, WINDOW, _NONE),
                        (_PAID, _GOODS, WINDOW, _NONE), (_LURE, _MESSAGE, WINDOW, _NONE),
                        (_SHOP, _VANISHED, WINDOW, _NONE), (_LOAN, _HOUNDED, WINDOW, _NONE),
                        (_JOB_LURE, _DEPOSIT, WINDOW, _NONE), (_SCHEME, _CHANNEL, WINDOW, _NONE),
                        (_SCHEME, _GONE, WINDOW, _NONE), (_HIJACK, _PROFILE, 3, _NONE),
                        (_POSE, _MOVED, WINDOW, _NONE)),
    "polisi": ((_THEFT, _BELONGING, WINDOW, _NONE), (_LOST, _MOVABLE, 3, _NOT_THEFT),
               (_ASSAULT, _VICTIM, WINDOW, _NONE), (_HIT, _WOUND, WINDOW, _NONE), (_THREAT, _HARM, 4, _NONE),
               (_EXTORT, _CASH, 4, _set("parkir"))),
    "sma_smk": ((_HIGH, _SCHOOL, 1, _JUNIOR), (_SENIOR, _SCHOOLING, 4, _JUNIOR | _set("sd"))),
    "pertanahan": ((_DEED, _LAND, WINDOW, _TAX), (_DEED, _HOUSE, 2, _NONE),
                   (_LAND, _FENCED, 3, _FENCE_FAULT)),
    "seluler": ((_SIGNAL, _PHONE, WINDOW, _NONE), (_PHONE, _DROPS, 3, _NONE),
                (_CREDIT, _TAKEN, 3, _NOT_CREDIT), (_NUMBER, _BLOCKED, 3, _NOT_SIM)),
    "pln": ((_TOKEN, _POWER, WINDOW, _NONE), (_HOME, _DARK, 1, _STREET),
            (_VOLTAGE, _UNSTABLE, 2, _NONE), (_DIM, _LAMP, 3, _SIGNALS), (_CABLE, _HOME, 3, _NOT_POWER),
            (_ELECTRICITY, _OUT, 3, _STREET), (_CABLE, _SAGS, 3, _NOT_POWER),
            (_OUT, _WIDE, 3, _NOT_POWER_CUT), (_TRANSFORMER, _BANG, WINDOW, _NONE)),
    "bpjs": ((_CARD, _INACTIVE, 2, _OTHER_CARD), (_DUES, _ARREARS, 3, _OTHER_DUES),
             (_CARE, _WARD, 2, _NONE), (_COVERED, _INSURER, 3, _NONE)),
    "jalan_nasional": ((_ARTERY, _ROAD, 2, _LOCAL), (_BETWEEN, _TOWNS, 1, _COACH),
                       (_BYPASS, _ROADWORK, WINDOW, _NONE)),
}

_STEMS = frozenset(stem for pairs in CONCEPTS.values() for pair in pairs for stem in pair[0] | pair[1])


def roots(word: str) -> set[str]:
    """The word and what is left of it without one prefix and/or one suffix."""
    found = {word}
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            found.add(word[len(prefix):])
    for stem in list(found):
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                found.add(stem[:-len(suffix)])
    return found


def concept_topic(words: Sequence[str], category_phrase: str | None = None) -> str | None:
    """The topic two of whose concepts the content words say within their window, if any; none
    when the clear category's `category_phrase` of two words or more is said ("lampu penerangan
    jalan … sering terjadi pencurian motor"; one word, "meteran" of "meteran token", is not
    enough)."""
    if len((category_phrase or "").split()) >= 2:
        return None
    # Only the words that are some concept's stem take part (most words are none).
    found = [(i, stems) for i, word in enumerate(words) if (stems := roots(word) & _STEMS)]
    if len(found) < 2:
        return None
    said = set(words)
    for topic, pairs in CONCEPTS.items():
        for first, second, window, unless in pairs:
            at_first = [i for i, r in found if r & first]
            if not at_first or unless & said:
                continue
            at_second = [i for i, r in found if r & second]
            if any(i != j and abs(i - j) <= window for i in at_first for j in at_second):
                return topic
    return None
