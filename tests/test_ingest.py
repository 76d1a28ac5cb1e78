import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from warta.doc import Article
from warta.ingest import Rejected, article_from_text, content_id, decode, read

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
STORY = "Warga desa bergotong royong memperbaiki jembatan yang rusak diterjang banjir pekan lalu.\n"


def _only(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def test_article_from_text_ids_are_stable_across_line_endings():
    unix = article_from_text("Satu.\nDua.\n", doc="a")
    windows = article_from_text("Satu.\r\nDua.\r\n", doc="b")
    assert unix.id == windows.id == content_id("Satu.\nDua.\n")
    assert len(unix.id) == 16
    assert windows.raw == "Satu.\nDua.\n"
    assert article_from_text("Satu.\nTiga.\n", doc="a").id != unix.id


def test_article_from_text_keeps_meta_and_drops_empty_values():
    meta = {"title": "Judul", "url": "https://a.id/1", "source": ""}
    article = article_from_text(STORY, doc="x", meta=meta)
    assert article.meta == {"title": "Judul", "url": "https://a.id/1"}
    assert article.url == "https://a.id/1"


def test_read_plain_text_file_uses_stem_and_is_idempotent():
    first = _only(read(FIXTURES / "berita.txt"))
    again = _only(read(FIXTURES / "berita.txt"))
    assert isinstance(first, Article)
    assert first.doc == "berita"
    assert "Baca juga:" in first.raw  # boilerplate is clean's job, ingest keeps the text as found
    assert first.id == again.id


def test_read_html_takes_main_text_and_markup_metadata():
    article = _only(read(FIXTURES / "halaman.html"))
    assert isinstance(article, Article)
    assert article.raw.startswith("Banjir Rendam Ratusan Rumah di Tepi Sungai\n")
    assert "Petugas pemadam kebakaran" in article.raw
    assert "Beranda" not in article.raw and "Kebijakan privasi" not in article.raw
    assert article.meta["title"] == "Banjir Rendam Ratusan Rumah di Tepi Sungai"
    assert article.meta["source"] == "contohnews.id"
    assert article.meta["url"] == "https://www.contohnews.id/daerah/banjir-rendam-rumah"
    assert article.meta["published"] == "2021-02-08"


def test_read_jsonl_rejects_bad_lines_and_goes_on():
    results = list(read(FIXTURES / "rekaman.jsonl"))
    outcome = [(type(r).__name__, r.doc) for r in results]
    assert outcome == [
        ("Article", "rek-1"),
        ("Rejected", "rek-2"),
        ("Rejected", "rekaman:3"),
        ("Article", "rek-4"),
        ("Rejected", "rekaman:5"),
        ("Article", "rekaman:7"),
    ]
    first = results[0]
    assert first.meta == {"title": "Harga Cabai Turun", "source": "contoh.com", "url": "https://contoh.com/a/1",
                          "published": "2022-03-01"}
    assert "malformed JSON" in results[2].reason
    assert "Wali kota" in results[3].raw  # the html record went through the HTML extractor


def test_read_gzipped_jsonl(tmp_path):
    path = tmp_path / "korpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "g1", "text": STORY}) + "\n")
    article = _only(read(path))
    assert (article.doc, article.raw) == ("g1", STORY)


@pytest.mark.parametrize(
    ("name", "titles", "published"),
    [
        ("umpan.rss", ["Gempa Kecil Guncang Pesisir Selatan", "Nelayan Kembali Melaut"],
         ["2021-03-09T14:20:00+07:00", "2021-03-10T06:00:00+07:00"]),
        ("umpan.atom", ["Sekolah Dibuka Kembali"], ["2021-04-01T07:45:00+07:00"]),
    ],
)
def test_read_feed_entries(name, titles, published):
    articles = list(read(FIXTURES / name))
    assert all(isinstance(a, Article) for a in articles)
    assert [a.meta["title"] for a in articles] == titles
    assert [a.meta["published"] for a in articles] == published
    for article in articles:
        assert article.doc.startswith("umpan:")
        assert article.raw.startswith(article.meta["title"] + "\n\n")
        assert article.meta["url"].startswith("https://")
    assert len({a.doc for a in articles}) == len(articles)
    assert [a.doc for a in read(FIXTURES / name)] == [a.doc for a in articles]  # stable names


def test_feed_entry_paragraphs_become_lines():
    article = next(iter(read(FIXTURES / "umpan.rss")))
    assert article.raw.endswith("pada Selasa siang.\nTidak ada laporan kerusakan bangunan.")


def test_malformed_feed_is_rejected_with_reason():
    rejected = _only(read(FIXTURES / "rusak.rss"))
    assert isinstance(rejected, Rejected)
    assert "malformed feed" in rejected.reason


def _warc(path: Path) -> None:
    page = (
        b"<html><head><title>Pasar Malam Kembali Digelar</title></head><body><article>"
        b"<p>Pasar malam kembali digelar di alun-alun kota setelah dua tahun berhenti karena pandemi.</p>"
        b"<p>Pedagang makanan dan mainan anak memenuhi lapangan sejak sore, kata panitia penyelenggara.</p>"
        b"</article></body></html>"
    )
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, status, content_type, body in [
            ("https://kota.contoh.id/pasar-malam", "200 OK", "text/html; charset=utf-8", page),
            ("https://kota.contoh.id/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            ("https://kota.contoh.id/hilang", "404 Not Found", "text/html", b"<html>tidak ada</html>"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_read_warc_takes_html_responses_only(tmp_path):
    path = tmp_path / "arsip.warc.gz"
    _warc(path)
    article = _only(read(path))
    assert isinstance(article, Article)
    assert article.doc.startswith("arsip:")
    assert article.meta["url"] == "https://kota.contoh.id/pasar-malam"
    assert article.meta["title"] == "Pasar Malam Kembali Digelar"
    assert "alun-alun kota" in article.raw


def test_broken_warc_is_rejected(tmp_path):
    path = tmp_path / "rusak.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\nterpotong")
    assert all(isinstance(r, Rejected) for r in read(path))
    assert list(read(path))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"teks \x01\x02\x03\x04\x05\x06\x07\x08 dengan kontrol \x0e\x0f\x10\x11\x12", "binary"),
        (bytes(range(0xC0, 0xFF)) * 4, "not valid UTF-8"),
    ],
)
def test_bad_files_are_rejected(tmp_path, data, reason):
    path = tmp_path / "buruk.txt"
    path.write_bytes(data)
    rejected = _only(read(path))
    assert isinstance(rejected, Rejected)
    assert rejected.doc == "buruk"
    assert reason in rejected.reason


def test_huge_file_is_rejected(tmp_path):
    path = tmp_path / "besar.txt"
    path.write_text(STORY * 20, encoding="utf-8")
    rejected = _only(read(path, max_bytes=1000))
    assert isinstance(rejected, Rejected) and "too large" in rejected.reason
    assert isinstance(_only(read(path)), Article)


def test_cp1252_text_is_read_with_a_note(tmp_path):
    path = tmp_path / "lama.txt"
    path.write_bytes("Caf\u00e9 di pojok jalan itu dibuka kembali \u201ckemarin\u201d.".encode("cp1252"))
    article = _only(read(path))
    assert isinstance(article, Article)
    assert article.raw == "Caf\u00e9 di pojok jalan itu dibuka kembali \u201ckemarin\u201d."
    assert any("cp1252" in error for error in article.errors)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xef\xbb\xbfBerita dengan BOM.", "Berita dengan BOM."),
        ("Berita UTF-16.".encode("utf-16"), "Berita UTF-16."),
        ("Kota Bogor \u2013 hujan.".encode(), "Kota Bogor \u2013 hujan."),
    ],
)
def test_decode_accepts_unicode_encodings(data, text):
    assert decode(data) == (text, None)


def test_directory_is_read_recursively_sorted_and_bad_files_do_not_stop_it(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "dua.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Pasar buka seperti biasa hari ini.", encoding="utf-8")
    (tmp_path / "a0.txt").write_bytes(b"")
    (tmp_path / ".tersembunyi.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "catatan").write_text("Berkas tanpa ekstensi dibaca sebagai teks.", encoding="utf-8")
    results = list(read(tmp_path))
    assert [(type(r).__name__, r.doc) for r in results] == [
        ("Article", "a"), ("Rejected", "a0"), ("Article", "dua"), ("Article", "catatan"),
    ]


def test_missing_path_is_rejected(tmp_path):
    rejected = _only(read([tmp_path / "tidak-ada.txt"]))
    assert isinstance(rejected, Rejected) and "no such file" in rejected.reason


@pytest.mark.parametrize(
    ("data", "docs"),
    [
        (STORY.encode(), ["stdin"]),
        (b'{"id": "s1", "text": "Satu."}\n{"id": "s2", "text": "Dua."}\n', ["s1", "s2"]),
    ],
)
def test_read_stdin(monkeypatch, data, docs):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert [r.doc for r in read("-")] == docs


def test_truncated_gzip_ends_in_a_rejection_after_what_was_read(tmp_path):
    path = tmp_path / "putus.jsonl.gz"
    lines = "".join(json.dumps({"id": f"p{i}", "text": STORY * 5}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode())
    path.write_bytes(data[: len(data) // 2])
    results = list(read(path))
    assert isinstance(results[0], Article)
    assert isinstance(results[-1], Rejected) and "cannot read further" in results[-1].reason


def test_unreadable_file_is_rejected(tmp_path):
    path = tmp_path / "terkunci.txt"
    path.write_text(STORY, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with rights that read any file")
        rejected = _only(read(path))
        assert isinstance(rejected, Rejected) and "cannot read" in rejected.reason
    finally:
        path.chmod(0o644)
