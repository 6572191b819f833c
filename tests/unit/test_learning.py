"""Examples learned from the coordinator's confirmations, and why a category was proposed."""

from __future__ import annotations

from core.directory.loader import bundled_directory_path, load_directory_file
from core.directory.model import Example
from core.matching.categories import category_matcher, propose
from core.matching.explain import CategoryReason, explain
from core.matching.learning import example_text, learned_examples


def test_confirmed_texts_are_masked_capped_and_new() -> None:
    confirmed = [
        ("sampah", "Sampah numpuk, hubungi saya di 0812-3456-7890 atau sari@mail.id"),
        ("sampah", "sampah   numpuk di gang"),
        ("sampah", "Sampah numpuk di gang"),  # the same text again: once
        ("sampah", "truk sampah tidak datang seminggu"),
        ("jalan_rusak", "jalan berlubang besar depan sekolah"),
        ("dropped_code", "kategori yang sudah tidak ada lagi"),
        ("jalan_rusak", "ok"),  # too short to learn from
    ]
    existing = [Example("jalan_rusak", "Jalan berlubang besar depan sekolah")]
    learned = learned_examples(confirmed, per_category=2, known={"sampah", "jalan_rusak"},
                               existing=existing)
    assert learned == (Example("sampah", "Sampah numpuk, hubungi saya di … atau …"),
                       Example("sampah", "sampah numpuk di gang"))
    assert example_text("x" * 400) is None  # one unbreakable word: nothing to cut at


def test_learned_examples_change_what_is_proposed() -> None:
    directory = load_directory_file(bundled_directory_path())
    text = "pokok ketapang kat padang bola tu dah reput, dahan jatuh atas budak main"
    before = propose(category_matcher(directory.categories, directory.examples), text)
    taught = [Example("fasilitas_umum", f"{t} di padang bola kampung rusak") for t in
              ("rumput", "gawang", "tribun", "pagar", "bangku")]
    after = propose(category_matcher(directory.categories, (*directory.examples, *taught)), text)
    # The coordinator filed football-field texts under public spaces: the tree alone is no
    # longer certain, the citizen is offered both.
    assert before.clear == "pohon_tumbang"
    assert after.clear is None and after.ranked[:2] == ["pohon_tumbang", "fasilitas_umum"]


def test_the_reason_names_the_words_and_the_nearest_example() -> None:
    directory = load_directory_file(bundled_directory_path())
    matcher = category_matcher(directory.categories, directory.examples)
    reason = explain(matcher, "got depan rumah mampet airnya meluap", "drainase_banjir")
    assert reason is not None and {"got", "mampet"} <= set(reason.words)
    assert reason.example and len(reason.example) <= 120
    assert CategoryReason.from_json(reason.to_json()) == reason
    assert explain(matcher, "qwxyz zzqq", "sampah") is None
