"""Topics outside the city's authority recognised by two concepts said close together (issue
21): a deed and land ("sertifikat … tanah"), a theft and a belonging ("motor … dicuri", Malay
"kereta kene curi"), a deceit and a channel ("kena apus … marketplace"), a signal and a phone
("telefon tak de line"), a meter and its token. Each concept is a set of stems; a word counts
for a stem also with the regional and Indonesian affixes residents add (di-, ke-, ka-, ta-,
ter-, -ku, -nya, -ne, -an: "dicuri", "kecurian", "tatipu", "motorku"). Single words or phrases
would need every way of saying it; a pair of concepts generalises to sentences not yet seen,
and requiring both keeps "motor saya jatuh di jalan berlubang" (no theft) the city's."""

from __future__ import annotations

from collections.abc import Sequence

_PREFIXES = ("ter", "ke", "ka", "ta", "di", "ku", "tak")
_SUFFIXES = ("nya", "ku", "mu", "ne", "an", "e", "i")
WINDOW = 6  # content words between the two concepts at most


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_THEFT = _set("curi maling begal jambret rampok copet rampas kabur gasak embat bobol pencuri pencurian "
              "stolen stole steal robbed robbery thief theft smashed took snatched")
_BELONGING = _set("motor mobil sepeda hp handphone dompet laptop tas helm perhiasan emas kendaraan "
                  "car motorbike bike phone wallet bag window")
_LOST = _set("hilang ilang raib lenyap")
# Lost, not stolen, unless close to a vehicle or valuables: a lost wallet is a lost ID card.
_MOVABLE = _set("motor mobil sepeda helm laptop hias perhiasan emas kendaraan motorbike")
_DECEIT = _set("tipu apus nipu penipu penipuan scam scammer scammed fraud kibul")
_CHANNEL = _set("online daring marketplace kurir wa whatsapp transfer facebook fb instagram ig "
                "shopee tokopedia olshop beli belanja barang rekening hp tautan link aplikasi apk")
_DRAINED = _set("kuras terkuras bobol dibobol raib")
_ACCOUNT = _set("banking mbanking rekening saldo tabungan atm bank")
_PAID = _set("transfer mentransfer tf")  # paid, and the goods never came
_GOODS = _set("barang paket pesanan orderan")
_LURE = _set("apk undangan")  # "file undangan .apk" sent by a fake courier
_MESSAGE = _set("wa whatsapp kurir chat pesan file sms")
_DEED = _set("sertifikat shm ajb girik akta waris ahli sengketa")
_LAND = _set("tanah kavling lahan bidang persil")
_SIGNAL = _set("sinyal signal line bars tower bts jaringan")
_PHONE = _set("hp handphone telepon telefon phone call data operator telkomsel indosat xl")
_TOKEN = _set("token kwh")
_POWER = _set("listrik meteran isi angka masuk bunyi pulsa")
_DARK = _set("gelap padam")  # one's own house dark ("rumah gue gelap gulita"), not the street
_HOME = _set("rumah omah umah")
_ASSAULT = _set("keroyok bacok tusuk")
_VICTIM = _set("orang pemuda berdarah luka")

# topic code -> pairs of concepts, how many words apart they may be said ("motor hilang", not
# "namanya hilang … punya mobil"), and words that rule the pair out in the text.
_NONE: frozenset[str] = frozenset()
_NOT_THEFT = _set("kendali keseimbangan arah")  # "motor hilang kendali": lost control
_STREET = _set("jalan gang lorong penerangan pju")  # a dark street is the street light's
Pair = tuple[frozenset[str], frozenset[str], int, frozenset[str]]
CONCEPTS: dict[str, tuple[Pair, ...]] = {
    "polisi": ((_THEFT, _BELONGING, WINDOW, _NONE), (_LOST, _MOVABLE, 3, _NOT_THEFT),
               (_ASSAULT, _VICTIM, WINDOW, _NONE)),
    "penipuan_online": ((_DECEIT, _CHANNEL, WINDOW, _NONE), (_DRAINED, _ACCOUNT, WINDOW, _NONE),
                        (_PAID, _GOODS, WINDOW, _NONE), (_LURE, _MESSAGE, WINDOW, _NONE)),
    "pertanahan": ((_DEED, _LAND, WINDOW, _NONE),),
    "seluler": ((_SIGNAL, _PHONE, WINDOW, _NONE),),
    "pln": ((_TOKEN, _POWER, WINDOW, _NONE), (_HOME, _DARK, 1, _STREET)),
}


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
    found, said = [roots(word) for word in words], set(words)
    for topic, pairs in CONCEPTS.items():
        for first, second, window, unless in pairs:
            if unless & said:
                continue
            at_first = [i for i, r in enumerate(found) if r & first]
            if not at_first:
                continue
            at_second = [i for i, r in enumerate(found) if r & second]
            if any(i != j and abs(i - j) <= window for i in at_first for j in at_second):
                return topic
    return None
