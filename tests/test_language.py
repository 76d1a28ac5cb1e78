import gzip
import itertools
import json
from itertools import islice

import pytest

from warta.doc import Article
from warta.language import analyze_word, language, lemmatize, split_sentences, tokenize
from warta.pipeline import get_stage


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rapat dimulai pukul 09.00. Semua hadir.", ["Rapat dimulai pukul 09.00.", "Semua hadir."]),
        ("Dr. Sari datang. Prof. Adi pulang.", ["Dr. Sari datang.", "Prof. Adi pulang."]),
        ("Ia tinggal di Jl. Melati No. 4 sejak lama.", ["Ia tinggal di Jl. Melati No. 4 sejak lama."]),
        (
            "Surat itu dari H. Umar, S.H. yang tinggal di kota.",
            ["Surat itu dari H. Umar, S.H. yang tinggal di kota."],
        ),
        ("Nama jalan itu M. Yamin. Jalan itu ramai.", ["Nama jalan itu M. Yamin.", "Jalan itu ramai."]),
        ("Kol. Arif dan Letjen. Bima hadir.", ["Kol. Arif dan Letjen. Bima hadir."]),
        ("Ia membeli beras, gula, dll. di pasar.", ["Ia membeli beras, gula, dll. di pasar."]),
        ("Dana dikirim a.n. Bapak Joko kemarin.", ["Dana dikirim a.n. Bapak Joko kemarin."]),
        (
            "Harga naik 3,5 persen menjadi Rp 1.000 per butir.",
            ["Harga naik 3,5 persen menjadi Rp 1.000 per butir."],
        ),
        (
            "Kejadian itu pada Senin (4/5/2020). Polisi datang.",
            ["Kejadian itu pada Senin (4/5/2020).", "Polisi datang."],
        ),
        ("Ia tiba pada 28/3 pagi. Lalu pergi.", ["Ia tiba pada 28/3 pagi.", "Lalu pergi."]),
        ('"Kami akan datang," kata dia. Mereka pergi.', ['"Kami akan datang," kata dia.', "Mereka pergi."]),
        ('"Semua sudah siap." Ia lalu pulang.', ['"Semua sudah siap."', "Ia lalu pulang."]),
        ('"Mengapa begitu?" tanya dia.', ['"Mengapa begitu?" tanya dia.']),
        ("Ia menunggu... Tidak ada yang datang.", ["Ia menunggu...", "Tidak ada yang datang."]),
        ("Ia berhenti sejenak... lalu berjalan.", ["Ia berhenti sejenak... lalu berjalan."]),
        ("Foto diambil Rabu (1/4/2020).Sumber: warga", ["Foto diambil Rabu (1/4/2020).", "Sumber: warga"]),
        (
            "Judul tanpa titik\nKalimat kedua. Kalimat ketiga.",
            ["Judul tanpa titik", "Kalimat kedua.", "Kalimat ketiga."],
        ),
        ("Benarkah itu? Ya!", ["Benarkah itu?", "Ya!"]),
        (
            "Tahun ini 2.500 orang datang. 300 di antaranya anak.",
            ["Tahun ini 2.500 orang datang.", "300 di antaranya anak."],
        ),
    ],
)
def test_sentence_splits(text, expected):
    assert sentences_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sebanyak 1.000 orang", ["Sebanyak", "1.000", "orang"]),
        ("naik 3,5 persen", ["naik", "3,5", "persen"]),
        ("Senin (4/5/2020) pukul 23.08", ["Senin", "(", "4/5/2020", ")", "pukul", "23.08"]),
        ("obat-obatan dan pesawat IL-76", ["obat-obatan", "dan", "pesawat", "IL-76"]),
        ("kerja sama militer-teknis", ["kerja", "sama", "militer-teknis"]),
        ("TEMPO.CO dan KOMPAS.com melaporkan", ["TEMPO.CO", "dan", "KOMPAS.com", "melaporkan"]),
        ("rumahnya dan mobilnya", ["rumah", "nya", "dan", "mobil", "nya"]),
        ("sebelumnya hanya punya", ["sebelumnya", "hanya", "punya"]),
        ("ia bertanya", ["ia", "bertanya"]),
        ("itulah masalah yang telah ada", ["itu", "lah", "masalah", "yang", "telah", "ada"]),
        ("meskipun begitu", ["meskipun", "begitu"]),
        ("harga Rp5.000,", ["harga", "Rp", "5.000", ","]),
        ('"Ya," katanya.', ['"', "Ya", ",", '"', "kata", "nya", "."]),
        ("Jum'at pagi", ["Jum'at", "pagi"]),
        ("lihat https://contoh.org/a/b.", ["lihat", "https://contoh.org/a/b", "."]),
    ],
)
def test_tokens(text, expected):
    assert [t.text for t in tokenize(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        'Dr. Sari (45) berkata, "Kami siap." Lalu pergi...\n\n  Baris kedua\tdengan tab.  ',
        "KOMPAS.com – Harga naik 3,5% pada 23/3/2019 pukul 23.08 WIB…rumahnya dijual.",
        "",
        "   \n \n",
    ],
)
def test_offsets_cut_back_out(text):
    for token in tokenize(text, 7):
        assert (" " * 7 + text)[token.start : token.end] == token.text
    article = language(Article(doc="t", id="t", raw=text, text=text))
    for sentence in article.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.tokens
        for token in sentence.tokens:
            assert text[token.start : token.end] == token.text


@pytest.mark.parametrize(
    ("word", "lemma", "voice", "nominal"),
    [
        ("mengirimkan", "kirim", "active", False),
        ("dikirim", "kirim", "passive", False),
        ("dikirimkan", "kirim", "passive", False),
        ("pengiriman", "kirim", None, True),
        ("kiriman", "kirim", None, True),
        ("mengunjungi", "kunjung", "active", False),
        ("dikunjungi", "kunjung", "passive", False),
        ("kunjungan", "kunjung", None, True),
        ("ditempatkan", "tempat", "passive", False),
        ("pengerahan", "kerah", None, True),
        ("memerangi", "perang", "active", False),
        ("menyerang", "serang", "active", False),
        ("diserang", "serang", "passive", False),
        ("serangan", "serang", None, True),
        ("menandatangani", "tandatangan", "active", False),
        ("mengecam", "kecam", "active", False),
        ("bertemu", "temu", None, False),
        ("pertemuan", "temu", None, True),
        ("menolak", "tolak", "active", False),
        ("ditolak", "tolak", "passive", False),
        ("penolakan", "tolak", None, True),
        ("meminta", "minta", "active", False),
        ("permintaan", "minta", None, True),
        ("menuduh", "tuduh", "active", False),
        ("mengancam", "ancam", "active", False),
        ("ancaman", "ancam", None, True),
        ("menangkap", "tangkap", "active", False),
        ("ditangkap", "tangkap", "passive", False),
        ("penangkapan", "tangkap", None, True),
        ("tertangkap", "tangkap", "passive", False),
        ("Menolak", "tolak", "active", False),
        ("dia", "dia", None, False),
        ("menteri", "menteri", None, False),
    ],
)
def test_lemma_voice_nominal(word, lemma, voice, nominal):
    assert analyze_word(word) == (lemma, voice, nominal)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        # Not in nlp-id's dictionary: the affix rules must find the root.
        ("menyelundupkan", "selundup"),
        ("diperdagangkan", "dagang"),
        ("mengebom", "bom"),
        ("rumahnya", "rumah"),
        ("monyet-monyet", "monyet"),
        ("1.000", "1.000"),
    ],
)
def test_lemmatize(word, lemma):
    assert lemmatize(word) == lemma


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Polisi menangkap dua orang di Bandung kemarin .",
            {"menangkap": "VB", "Polisi": "NN", "Bandung": "NNP"},
        ),
        (
            "Rumah itu tidak dijual oleh pemiliknya .",
            {"tidak": "NEG", "dijual": "VB", "oleh": "IN", "itu": "DT"},
        ),
        (
            "Menteri Luar Negeri Sari Dewi mengumumkan pada 12 Mei .",
            {"mengumumkan": "VB", "12": "NUM", "pada": "IN"},
        ),
        ("Mereka sangat senang dan bangga .", {"Mereka": "PR", "sangat": "ADV", "dan": "CC", ".": "SYM"}),
    ],
)
def test_pos_sanity(text, expected):
    article = language(Article(doc="t", id="t", raw=text, text=text))
    tags = {t.text: t.pos for s in article.sentences for t in s.tokens}
    assert {word: tags[word] for word in expected} == expected


def test_stage_fills_voice_only_on_verbs_and_paragraphs():
    text = "Warga ditangkap polisi. Pelaku tertangkap kamera.\nBangunan tersebut tertinggi di kota."
    article = language(Article(doc="t", id="t", raw=text, text=text))
    assert [s.paragraph for s in article.sentences] == [0, 0, 1]
    tokens = {t.text: t for s in article.sentences for t in s.tokens}
    assert tokens["ditangkap"].voice == "passive"
    assert tokens["ditangkap"].lemma == "tangkap"
    assert tokens["tersebut"].voice is None
    assert get_stage("language").assigns == ("article.sentences",)


def test_paragraphs_from_clean_stage():
    text = "Satu. Dua.\nTiga.\n\nEmpat."
    article = Article(doc="t", id="t", raw=text, text=text, paragraphs=[(0, 16), (18, 24)])
    language(article)
    assert [(s.text, s.paragraph) for s in article.sentences] == [
        ("Satu.", 0),
        ("Dua.", 0),
        ("Tiga.", 0),
        ("Empat.", 1),
    ]


def test_indosum_offsets_and_sentences(shared):
    path = shared / "datasets" / "indosum" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 50)]
    for text in texts:
        article = language(Article(doc="t", id="t", raw=text, text=text))
        assert article.sentences
        for sentence in article.sentences:
            assert "\n" not in sentence.text
            for token in sentence.tokens:
                assert text[token.start : token.end] == token.text
                assert token.pos


def test_lemma_accuracy_on_ud_csui(shared):
    right = total = 0
    with (shared / "datasets" / "ud-id-csui" / "id_csui-ud-test.conllu").open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.split("\t")
            if len(cells) == 10 and cells[0].isdigit() and cells[3] in ("VERB", "NOUN"):
                total += 1
                right += lemmatize(cells[1]) == cells[2].lower()
    # Measured 93.9% (benchmarks/bench_language.py); most misses are derived nouns UD leaves whole.
    assert right / total > 0.92


def test_pos_decoder_gives_crfsuites_tags():
    """The per-word-type decoder must tag exactly as python-crfsuite does with the same model."""
    from warta.language import _pos_tagger, _tagger, nlp_id_data, sentence_features

    sentences, current = [], []
    with nlp_id_data("dataset_postag.txt").open(encoding="utf-8") as handle:
        for line in islice(handle, 60_000):
            if line.strip():
                current.append(line.split("\t")[0])
            elif current:
                sentences.append(current)
                current = []
    sentences += [["Ya"], ["Polisi", "datang", "."], ["12", "Mei", "2020"]]  # one word; edges; numbers
    expected = [tag for words in sentences for tag in _tagger().tag(sentence_features(words))]
    tagged = []
    for at in range(0, len(sentences), 17):  # several sentences per call, as the stage tags an article
        words = [word for sentence in sentences[at : at + 17] for word in sentence]
        stops = list(itertools.accumulate(len(sentence) for sentence in sentences[at : at + 17]))
        tagged += _pos_tagger().tag(words, stops)
    assert len(sentences) > 2000
    assert tagged == expected
    assert _pos_tagger().tag([], []) == []


def _pattern_tokens(text: str) -> list[tuple[str, int, int]]:
    """Tokens as the token pattern gives them run over the whole text, then the clitic rule: the oracle
    for ``tokenize``, which cuts the text at spaces and skips the pattern for most chunks."""
    from warta.language import _CLITICS, _clitic_split, _token_re

    groups = _token_re().groupindex
    tokens = []
    for match in _token_re().finditer(text):
        start, end = match.span()
        piece = match.group()
        cut = len(piece)
        if piece[-3:].lower() in _CLITICS and match.lastindex in (groups["plain"], groups["word"]):
            cut = _clitic_split(piece)
        tokens.append((piece[:cut], start, start + cut))
        if cut < len(piece):
            tokens.append((piece[cut:], start + cut, end))
    return tokens


TRICKY_CHUNKS = (
    "Kata, itu. dia? ya! lalu… tunggu... kata- a_b dia@ ujar' mengatakannya. rumahnya, Rp5.000 Rp5 "
    "www.contoh.id www. http: https://contoh.id/a?b=1. surat@contoh.co.id, 23/3/2019). IL-62, S.H. "
    "(4/5/2020).Polisi dia.Kemudian obat-obatan, tahulah. adakah? 3,5% 09.00. “Ya,” ’90 ½ x² ٣ 12-an."
)


@pytest.mark.parametrize("text", [TRICKY_CHUNKS, "  awal\n\ntengah \t akhir  ", "", "   ", "a", ".", "a."])
def test_tokens_match_the_pattern_over_the_whole_text(text):
    assert [(t.text, t.start, t.end) for t in tokenize(text)] == _pattern_tokens(text)


def test_tokens_match_the_pattern_on_indosum(shared):
    path = shared / "datasets" / "indosum" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 300)]
    for text in texts:
        assert [(t.text, t.start, t.end) for t in tokenize(text, 5)] == [
            (word, start + 5, end + 5) for word, start, end in _pattern_tokens(text)
        ]
