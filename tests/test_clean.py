import gzip
import itertools
import json

import pytest

from warta.clean import clean, normalize_line
from warta.ingest import article_from_text, read
from warta.pipeline import Pipeline

LEAD = "Pemerintah daerah meresmikan jembatan baru yang menghubungkan dua kecamatan pada Rabu siang."
MORE = "Jembatan sepanjang seratus meter itu dibangun selama dua tahun dengan dana daerah."


def _clean(text: str, **meta) -> object:
    return clean(article_from_text(text, doc="t", meta=meta))


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga",
        "Baca juga:",
        "Baca Juga :",
        "Baca juga: Harga Telur Ayam Naik Menjelang Lebaran",
        "BACA JUGA: Tim Voli Putri Lolos ke Final",
        "SIMAK JUGA-Pelatih Baru Mulai Bertugas Pekan Depan",
        "Lihat juga: Daftar Jalan yang Ditutup Saat Malam Tahun Baru",
        "[Baca juga: Gubernur Tinjau Lokasi Longsor]",
        "(Baca: Polisi Selidiki Kebakaran Gudang)",
        "Baca_Juga",
        "Advertisement",
        "ADVERTISEMENT",
        "Iklan",
        "Scroll to continue with content",
        "Simak video pilihan berikut:",
        "Saksikan Video Pilihan di Bawah Ini:",
        "Tinggalkan Balasan",
        "Leave a Reply",
        "Please log in using one of these methods to post your comment:",
        "You are commenting using your Tumblr account. Logout / Ubah )",
        "Connecting to %s",
        "Logo WordPress.com",
        "Foto Facebook",
        "Gambar Twitter",
        "Bagikan:",
        "Share this:",
        "Klik untuk berbagi pada WhatsApp (Membuka di jendela yang baru)",
        "jembatan baru.jpg",
        "Peta Lokasi Banjir.PNG",
        "Budi Hartono / Kantor Berita / Kolam Foto / AFP",
        "REUTERS/Andi Wijaya",
        "Foto: Dok. Humas Pemkot",
        "Foto : ANTARA/Rina Sari",
        "Courtesy via Instagram",
        "Dok. Istimewa",
        "Penulis : Dewi Anggraini",
        "Editor: Rahmat Hidayat",
        "Reporter: Agus Salim | Editor: Rina",
        "Sumber: Kantor Berita Lokal",
        "Tautan sumber",
        "Artikel terkait lainnya",
        "Berita Terkait",
        "Tags: banjir, jembatan, kecamatan",
        "(ard / ard)",
        "[tyo]",
        "(R021/H015)",
    ],
)
def test_boilerplate_line_is_removed_and_kept_for_audit(line):
    article = _clean(f"{LEAD}\n{line}\n{MORE}")
    assert article.text == f"{LEAD}\n{MORE}"
    assert article.removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Dukungan Warga ke Pemerintah Desa",  # subheading
        "Penulis",  # a bare subheading in a list of professions
        "Plus",
        "Presiden dan menteri luar negeri saat tiba di bandara, Selasa (3/5/2022)",  # caption
        "Iklan rokok dilarang tampil di televisi sebelum pukul sembilan malam, kata pejabat itu.",
        "Simak video itu beredar luas di media sosial. Polisi kemudian menyelidikinya.",
        "Baca juga buku sejarah daerah ini, kata guru itu kepada murid-muridnya.",
        "Sumber dana proyek ini berasal dari anggaran daerah dan pinjaman bank. Nilainya belum diumumkan.",
        "Editor majalah itu ditahan polisi pada Senin malam.",
        "Foto-foto kerusakan beredar di media sosial sejak pagi.",
        "Komentar warga di media sosial beragam.",
        "Jakarta / Bogor",
        "Kerja Sama Perdagangan (RI) dan (AS)",
    ],
)
def test_story_line_is_kept(line):
    article = _clean(f"{LEAD}\n{line}\n{MORE}")
    assert article.text == f"{LEAD}\n{line}\n{MORE}"
    assert article.removed == []


@pytest.mark.parametrize(
    ("line", "kept", "removed"),
    [
        (
            "Warga menonton pawai budaya di jalan utama kota, Minggu (2/4/2023).Courtesy via Instagram "
            "Warga menonton pawai budaya di jalan utama kota, Minggu (2/4/2023).",
            "Warga menonton pawai budaya di jalan utama kota, Minggu (2/4/2023).",
            ["Courtesy via Instagram Warga menonton pawai budaya di jalan utama kota, Minggu (2/4/2023)."],
        ),
        (
            "Warga menonton pawai budaya di jalan utama kota. Courtesy via Twitter",
            "Warga menonton pawai budaya di jalan utama kota.",
            ["Courtesy via Twitter"],
        ),
        (
            "Gubernur meninjau longsor. (Baca juga: Jalan Provinsi Putus Total) Ia meminta warga siaga.",
            "Gubernur meninjau longsor. Ia meminta warga siaga.",
            ["(Baca juga: Jalan Provinsi Putus Total)"],
        ),
        (
            "Rapat dilanjutkan pekan depan, kata ketua panitia. (AB/cde)",
            "Rapat dilanjutkan pekan depan, kata ketua panitia.",
            ["(AB/cde)"],
        ),
        (
            "Kedua tim akan bertemu lagi di final. [xyz]",
            "Kedua tim akan bertemu lagi di final.",
            ["[xyz]"],
        ),
    ],
)
def test_parts_of_lines_removed(line, kept, removed):
    article = _clean(f"{LEAD}\n{line}")
    assert article.text == f"{LEAD}\n{kept}"
    assert article.removed == removed


def test_unbracketed_inline_related_link_stays():
    line = "Gubernur meninjau lokasi longsor. Baca juga: Jalan Provinsi Putus Total. Ia meminta warga siaga."
    assert _clean(f"{LEAD}\n{line}").text == f"{LEAD}\n{line}"


@pytest.mark.parametrize(
    ("raw", "clean_line"),
    [
        ("Kata\u00a0dia\t\tpada   Senin.", "Kata dia pada Senin."),
        ("\u201cKami siap,\u201d ujarnya.", '"Kami siap," ujarnya.'),
        ("Isi \u2018surat\u2019 itu.", "Isi 'surat' itu."),
        ("Tanpa\u200b spasi\u00ad lebar\ufeff.", "Tanpa spasi lebar."),
        ("  di tepi  ", "di tepi"),
    ],
)
def test_normalize_line(raw, clean_line):
    assert normalize_line(raw) == clean_line


def test_paragraph_offsets_and_blank_lines():
    raw = f"Judul Berita Pendek\r\n\r\n\r\n{LEAD}\nIklan\n{MORE}\n\nBaca juga: Apa Saja\n\n{LEAD}\n"
    article = _clean(raw)
    assert article.text == f"Judul Berita Pendek\n\n{LEAD}\n{MORE}\n\n{LEAD}"
    assert [article.text[s:e] for s, e in article.paragraphs] == ["Judul Berita Pendek", LEAD, MORE, LEAD]


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Jembatan Baru Hubungkan Dua Kecamatan", "Jembatan Baru Hubungkan Dua Kecamatan"),
        ("Kapan Jembatan Itu Dibuka?", "Kapan Jembatan Itu Dibuka?"),
        ("Wali Kota: Jembatan \u201cAman\u201d Dilalui", "Wali Kota: Jembatan \u201cAman\u201d Dilalui"),
        ("Jembatan\u00a0Baru  Dibuka", "Jembatan Baru Dibuka"),
        (LEAD, None),  # the first line is already a story sentence
        ("Rabu, 4 Mei 2022 | 10:15 WIB", None),  # a date line
        ("MEDAN, CONTOH.com - Jembatan baru dibuka", None),  # a dateline
        ("Berikut daftarnya:", None),
    ],
)
def test_title(first, title):
    assert _clean(f"{first}\n\n{LEAD}").title == title


def test_title_needs_more_text_after_it():
    assert _clean("Jembatan Baru Hubungkan Dua Kecamatan").title is None


@pytest.mark.parametrize(
    ("opening", "dateline", "source"),
    [
        ("MEDAN, CONTOH.com - ", "Medan", "contoh.com"),
        ("Contoh6.com, Surabaya - ", "Surabaya", "contoh6.com"),
        ("Beritaku.co.id \u2013 Makassar, 12 Juni 2021. ", "Makassar", "beritaku.co.id"),
        ("KABARKU.ID \u2013 ", None, "kabarku.id"),
        ("Jakarta, CNN Indonesia -- ", "Jakarta", "cnnindonesia.com"),
        ("Padang, Sumatera Barat (ANTARA News) - ", "Padang", "antaranews.com"),
        ("KEBAYORAN BARU (Pos Kota) \u2013 ", "Kebayoran Baru", "poskotanews.com"),
        ("Suara.com - ", None, "suara.com"),
        ("Rimanews-", None, "rimanews.com"),
        ("PALU - ", "Palu", None),
        ("OPINI - ", None, None),  # a rubric label, not a place
        ("", None, None),
        ("Presiden - ", None, None),  # not a known outlet, not a place in capitals
        ("Wali kota, yang baru dilantik - ", None, None),
    ],
)
def test_dateline_and_source(opening, dateline, source):
    article = _clean(f"Jembatan Baru Dibuka\n\n{opening}{LEAD}\n\n{MORE}")
    assert (article.dateline, article.source) == (dateline, source)


def test_dateline_after_date_and_caption_lines():
    text = (f"Jembatan Baru Dibuka\n\nRabu, 4 Mei 2022 | 10:15 WIB\n\nWarga melintas di atas jembatan.\n\n"
            f"MEDAN, CONTOH.com - {LEAD}")
    found = _clean(text)
    assert (found.title, found.dateline, found.source) == ("Jembatan Baru Dibuka", "Medan", "contoh.com")


def test_input_metadata_wins():
    text = f"Jembatan Baru Dibuka\n\nMEDAN, CONTOH.com - {LEAD}"
    article = _clean(text, title="Judul Asli", source="lain.id")
    assert (article.title, article.source, article.dateline) == ("Judul Asli", "lain.id", "Medan")


def test_empty_raw_gives_empty_text():
    article = _clean("")
    assert (article.text, article.paragraphs, article.title) == ("", [], None)


def test_registered_as_pipeline_stage():
    article = Pipeline(["clean"])(article_from_text(f"{LEAD}\nIklan", doc="p"))
    assert article.text == LEAD and article.errors == []


def test_seed_gold(shared):
    """Boilerplate recall >= 0.9, no story line removed, title/source/dateline as annotated."""
    gold = {g["doc"]: g for g in map(json.loads, (shared / "gold" / "seeds.jsonl").read_text().splitlines())}

    def collapse(line: str) -> str:
        return " ".join(line.split())

    found = expected = 0
    for article in map(clean, read(shared / "corpus" / "seeds")):
        annotation = gold[article.doc]
        boilerplate = {collapse(b) for b in annotation["boilerplate"]}
        raw_lines = {collapse(line) for line in article.raw.splitlines()}
        removed = {collapse(r) for r in article.removed}
        found += len(boilerplate & removed)
        expected += len(boilerplate)
        assert not (removed - boilerplate) & raw_lines, article.doc  # no whole non-boilerplate line
        for key in ("title", "source", "dateline"):
            assert getattr(article, key) == annotation[key], (article.doc, key)
    print(f"seed boilerplate recall {found}/{expected} = {found / expected:.3f}")  # shown with pytest -s
    assert found / expected >= 0.9


def test_indosum_keeps_the_story(shared):
    """On real articles every removed piece is one short item, never a run of story sentences."""
    path = shared / "datasets" / "indosum" / "articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in itertools.islice(handle, 300)]
    removed = 0
    for record in records:
        article = clean(article_from_text(record["text"], doc=record["id"]))
        for item in article.removed:
            assert len(item) <= 200, item
            assert ". " not in item.rstrip(".") or item.startswith(("(", "[")), item
        removed += len(article.removed)
        assert len(article.text) >= 0.9 * len(" ".join(record["text"].split()))
    print(f"indosum: {removed} items removed from {len(records)} articles")  # shown with pytest -s
    assert removed > 0
