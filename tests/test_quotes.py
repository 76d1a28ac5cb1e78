"""Tests for the quotes stage: direct quotes, indirect speech and their speakers."""

from __future__ import annotations

import pytest

from warta.ingest import article_from_text
from warta.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline():
    try:
        return Pipeline(["clean", "language", "entities", "quotes"])
    except Exception as error:  # a stage this one needs is not there
        pytest.skip(str(error))


def _quotes(pipeline, text: str):
    article = pipeline(article_from_text(text, doc="q", meta={}))
    if article.errors:
        pytest.skip(f"pipeline not ready: {article.errors}")
    return article.quotes


def test_direct_quote_with_speaker_after(pipeline):
    quotes = _quotes(pipeline, '"Kami akan terus membantu rakyat Palestina," kata Presiden Indonesia.')
    assert quotes and quotes[0].direct and quotes[0].speaker_code and quotes[0].speaker_code.startswith("IDN")


def test_indirect_speech_takes_the_subject_as_speaker(pipeline):
    quotes = _quotes(
        pipeline, "Pemerintah Jepang mengatakan bahwa Tiongkok telah melanggar wilayah udaranya."
    )
    assert quotes and not quotes[0].direct and quotes[0].speaker_code.startswith("JPN")
    assert "Tiongkok" in quotes[0].text


def test_less_common_verbs_of_saying_name_the_speaker(pipeline):
    quotes = _quotes(
        pipeline, '"Kami siap membantu proses perdamaian di sana," urai Menteri Luar Negeri Norwegia.'
    )
    assert quotes and quotes[0].speaker_code and quotes[0].speaker_code.startswith("NOR")


def test_sentences_without_a_named_speaker_give_no_reported_clause(pipeline):
    assert _quotes(pipeline, "Harga beras mengatakan banyak hal tentang musim ini.") == []


def test_according_to(pipeline):
    quotes = _quotes(pipeline, "Menurut Rusia, pasukan Ukraina telah mundur dari kota itu.")
    assert quotes and quotes[0].speaker_code == "RUS" and quotes[0].text.startswith("pasukan")


def test_offsets_cut_back_the_text(pipeline):
    text = 'Menteri Luar Negeri Malaysia menegaskan, "Kami menolak tuduhan itu sepenuhnya."'
    article = pipeline(article_from_text(text, doc="q", meta={}))
    for quote in article.quotes:
        assert article.text[quote.start : quote.end] == quote.text


def test_scare_quotes_are_not_quotes(pipeline):
    assert not [q for q in _quotes(pipeline, 'Rusia menyebut operasi itu "pembebasan".') if q.direct]


def test_speaker_before_a_relative_clause(pipeline):
    text = "Tiongkok, yang merupakan sekutu Korea Utara, mengatakan bahwa mereka menolak sanksi baru itu."
    quotes = _quotes(pipeline, text)
    assert quotes and quotes[0].speaker_code == "CHN"
