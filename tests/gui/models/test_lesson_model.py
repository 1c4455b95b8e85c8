"""The lesson's sections as data (gui.models.lesson): the contract's ids and tabs, both languages, the
lesson's
slips corrected, walking the lesson."""

from __future__ import annotations

import re

import pytest

from gui.models import lesson

CONTRACT = {
    "convolution": "convolution",
    "channels": "convolution",
    "relu": "convolution",
    "layers": "network",
    "pooling": "convolution",
    "invariance": "network",
    "padding": "convolution",
    "stride": "convolution",
    "architecture": "network",
    "flatten": "network",
    "hyperparameters": "training",
    "training": "training",
    "transfer": "training",
    "augmentation": "training",
}


def sentences(text: str) -> int:
    """Sentences in ``text``: a full stop, ! or ? followed by a space (or the end), not inside a number."""
    return len(re.findall(r"[.!?](?=\s|$)", text))


def test_sections_are_the_contracts_in_lesson_order():
    assert list(lesson.SECTION_IDS) == list(CONTRACT)
    assert {s.id: s.tab for s in lesson.SECTIONS} == CONTRACT


@pytest.mark.parametrize("section", lesson.SECTIONS, ids=lesson.SECTION_IDS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_claim_is_written_in_both_languages_in_two_to_four_sentences(section, lang):
    assert section.title(lang) and section.look(lang)
    claim = section.claim(lang)
    assert 2 <= sentences(claim) <= 4, claim
    assert "  " not in claim and "\n" not in claim


def test_english_and_french_texts_differ_where_words_differ():
    assert lesson.section("padding").title("fr") == "Remplissage (padding)"
    assert lesson.section("stride").title("fr") == "Pas (stride)"
    for s in lesson.SECTIONS:
        assert s.claim("en") != s.claim("fr")


def test_the_lessons_slips_are_corrected():
    conv = lesson.section("convolution")
    for lang in ("en", "fr"):
        assert "Y(i-m, j-n)" in conv.claim(lang)
        assert "i-n" not in conv.claim(lang)
    padding = lesson.section("padding")
    assert "K-1 zeros in total" in padding.claim("en")
    assert "K-1 zéros au total" in padding.claim("fr")
    # K/2-1 is named only as the lesson's mistake, next to a negation
    assert re.search(r"K/2-1, as the lesson writes, would not keep N", padding.claim("en"))
    assert "ne garderait pas N" in padding.claim("fr")


def test_french_terms_follow_the_house_glossary():
    text = " ".join(s.claim("fr") + " " + s.title("fr") + " " + s.look("fr") for s in lesson.SECTIONS)
    assert "exactitude" in text
    for wrong in ("bourrage", "marge", "précision"):
        assert wrong not in text.lower()
    # a narrow no-break space before the double punctuation: no line can start with ":" or ";"
    assert not re.search(r" [:;?!]", text)


def test_lookup_and_walk():
    assert lesson.index_of("padding") == 6
    assert lesson.next_id("convolution") == "channels"
    assert lesson.previous_id("channels") == "convolution"
    assert lesson.previous_id("convolution") is None
    assert lesson.next_id("augmentation") is None
    with pytest.raises(ValueError, match=r"lesson must be one of convolution channels .* augmentation\. "):
        lesson.section("Padding")
    with pytest.raises(ValueError, match="Received: 3"):
        lesson.section(3)  # type: ignore[arg-type]


def test_listing_is_one_line_per_section():
    lines = lesson.listing().splitlines()
    assert [line.split()[0] for line in lines] == list(lesson.SECTION_IDS)
    assert lines[6].split(None, 1)[1] == "Padding"
    assert lesson.listing("fr").splitlines()[6].split(None, 1)[1] == "Remplissage (padding)"
    assert lesson.listing("de") == lesson.listing("en")  # an unknown language falls back to English
