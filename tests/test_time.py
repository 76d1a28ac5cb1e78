"""Tests of the time stage: recognition and normalisation, publication date, event dates."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from warta.doc import Article, Sentence
from warta.pipeline import Pipeline, get_stage
from warta.time import _speech_dated, event_date, reporting_date
from warta.time import time as time_stage

FIXTURE = Path(__file__).parent / "fixtures" / "timexes.tsv"


def _rows() -> list[dict[str, str]]:
    with FIXTURE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _article(text: str, published: str | None = None, *, sentences: bool = False) -> Article:
    """An article whose text is ``text``; with ``sentences``, split naively at '. ' and newlines."""
    meta = {"published": published} if published else {}
    article = Article(doc="t", id="t", raw=text, text=text, meta=meta)
    if sentences:
        for paragraph, m in enumerate(re.finditer(r"[^\n]+", text)):
            for s in re.finditer(r".+?(?:[.!?](?=\s|$)|$)", m.group()):
                start = m.start() + s.start() + len(s.group()) - len(s.group().lstrip())
                end = m.start() + s.end()
                if end > start:
                    article.sentences.append(Sentence(len(article.sentences), start, end, text[start:end],
                                                      paragraph=paragraph))
    return time_stage(article)


ROWS = _rows()


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}:{r['text']}" for i, r in enumerate(ROWS)])
def test_fixture_expression(row: dict[str, str]) -> None:
    text = row["sentence"].replace("\\n", "\n")
    article = _article(text, None if row["anchor"] == "-" else row["anchor"])
    for t in article.timexes:
        assert article.text[t.start:t.end] == t.text
    if row["value"] == "NONE":
        start = text.index(row["text"])
        end = start + len(row["text"])
        overlapping = [t.text for t in article.timexes if t.start < end and start < t.end]
        assert not overlapping, f"{row['text']!r} read as {overlapping}"
        return
    found = {t.text: t.value for t in article.timexes}
    assert row["text"] in found, f"{row['text']!r} not found; found {found}"
    expected = None if row["value"] == "None" else row["value"]
    assert found[row["text"]] == expected


def test_fixture_is_large_and_varied() -> None:
    assert len(ROWS) >= 150
    assert len({r["sentence"] for r in ROWS}) == len(ROWS)


def test_stage_is_registered() -> None:
    st = get_stage("time")
    assert st.requires == ("article.text",)
    assert "article.published_source" in st.assigns


def test_input_published_wins() -> None:
    article = _article("Jakarta, 2 Mei 2019 - Harga naik pada hari Jumat.", "2019-05-06")
    assert (article.published, article.published_source) == ("2019-05-06", "input")
    assert [t.value for t in article.timexes if t.text == "hari Jumat"] == ["2019-05-03"]


def test_input_published_not_iso_goes_through_dateparser() -> None:
    article = _article("Harga naik kemarin.", "Mon, 25 Mar 2019 10:00:00 +0700")
    assert article.published.startswith("2019-03-25")
    assert article.timexes[0].value == "2019-03-24"


def test_published_from_header_date_line_with_zone() -> None:
    text = "Banjir Rendam Ibu Kota\n\nSelasa, 2 April 2019 | 06:40 WITA\n\nBanjir merendam rumah kemarin."
    article = _article(text)
    assert (article.published, article.published_source) == ("2019-04-02T06:40:00+08:00", "dateline")
    assert [t.value for t in article.timexes if t.text == "kemarin"] == ["2019-04-01"]


def test_published_from_dateline_with_place() -> None:
    article = _article("Kabarkota.id – Makassar, 14 Juni 2020.\n\nWali kota membuka pasar pada hari Sabtu.")
    assert (article.published, article.published_source) == ("2020-06-14", "dateline")
    assert [t.value for t in article.timexes if t.text == "hari Sabtu"] == ["2020-06-13"]


def test_published_from_cited_report_date() -> None:
    text = ("Kapal itu tenggelam pada Sabtu 8 Juni 2019 di perairan Maluku. "
            "Tim penyelamat tiba pada hari Minggu, seperti dikutip dari kantor berita Antara "
            "pada Selasa (11/6/2019).")
    article = _article(text)
    assert (article.published, article.published_source) == ("2019-06-11", "cited")
    assert [t.value for t in article.timexes if t.text == "hari Minggu"] == ["2019-06-09"]


def test_published_latest_date_guess_and_nothing() -> None:
    article = _article("Undang-undang itu disahkan 3 Juli 2017 dan direvisi 9 Oktober 2018. Isinya dibahas.")
    assert (article.published, article.published_source) == ("2018-10-09", "latest-date")
    article = _article("Rapat digelar pada hari Jumat dan dilanjutkan pada bulan Mei.")
    assert (article.published, article.published_source) == (None, None)
    assert {t.text: t.value for t in article.timexes} == {"hari Jumat": "XXXX-WXX-5", "bulan Mei": "XXXX-05"}


def test_minggu_is_week_or_sunday() -> None:
    text = "Minggu ini dia sibuk. Pada hari Minggu dia libur. Dua minggu lalu dia sakit."
    article = _article(text, "2019-03-27")
    found = {t.text: (t.value, t.granularity) for t in article.timexes}
    assert found["Minggu ini"] == ("2019-03-25/2019-03-31", "week")
    assert found["hari Minggu"] == ("2019-03-24", "day")
    assert found["Dua minggu lalu"] == ("2019-03-11/2019-03-17", "week")


def test_event_date_takes_the_clause_timex() -> None:
    text = ("Pasukan itu tiba di perbatasan pada hari Jumat, demikian dikutip dari sebuah surat kabar "
            "pada Senin (1/4/2019). Sebelumnya pada Januari lalu, kedua negara menggelar latihan bersama.")
    article = _article(text, "2019-04-01", sentences=True)
    start = text.index("tiba")
    assert event_date(article, 0, start, start + 4) == ("2019-03-29", "day")
    start = text.index("menggelar")
    assert event_date(article, 1, start, start + 9) == ("2019-01", "month")


def test_event_date_inherits_within_paragraph_then_publication() -> None:
    text = ("Menteri itu tiba di Tokyo pada Selasa (2/4/2019). Ia bertemu mitranya di istana.\n"
            "Pemerintah juga menyetujui anggaran baru.")
    article = _article(text, "2019-04-04", sentences=True)
    start = text.index("bertemu")
    assert event_date(article, 1, start, start + 7) == ("2019-04-02", "day")
    start = text.index("menyetujui")
    assert event_date(article, 2, start, start + 10) == ("2019-04-04", "publication")
    bare = _article("Pemerintah menyetujui anggaran baru.", sentences=True)
    assert event_date(bare, 0, 11, 21) == (None, "unknown")


def test_event_date_counts_back_from_another_event() -> None:
    text = "Kunjungan itu berlangsung pada Sabtu (23/3/2019), empat bulan setelah kedua negara berunding."
    article = _article(text, "2019-03-25", sentences=True)
    start = text.index("berunding")
    assert event_date(article, 0, start, start + 9) == ("2018-11", "month")
    start = text.index("Kunjungan")
    assert event_date(article, 0, start, start + 9) == ("2019-03-23", "day")


def test_event_date_week_becomes_interval() -> None:
    text = "Pekan lalu, tentara menembak sebuah drone."
    article = _article(text, "2019-03-27", sentences=True)
    start = text.index("menembak")
    assert event_date(article, 0, start, start + 8) == ("2019-03-18/2019-03-24", "interval")


def _overlap(a: dict, b_text: str, text: str) -> bool:
    return a["text"] in b_text or b_text in a["text"]


def test_seed_gold(shared: Path) -> None:
    """Timex accuracy and publication dates against the hand-annotated seeds."""
    from warta.ingest import article_from_text  # noqa: PLC0415 - the ingest stage may not exist yet

    try:
        pipeline = Pipeline(["clean", "time"])
    except Exception:  # clean not written yet: run on the raw text
        pipeline = None
    matched = total = 0
    for line in (shared / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        raw = (shared / "corpus" / "seeds" / f"{gold['doc']}.txt").read_text(encoding="utf-8")
        if pipeline:
            article = pipeline(article_from_text(raw, doc=gold["doc"]))
        else:
            article = time_stage(Article(doc=gold["doc"], id=gold["doc"], raw=raw, text=raw))
        assert (article.published or "")[:10] == (gold["published"] or "")[:10], gold["doc"]
        if gold["published"] and "T" in gold["published"]:
            assert article.published == gold["published"]
        for g in gold["timexes"]:
            total += 1
            candidates = [t for t in article.timexes if g["text"] in t.text or t.text in g["text"]]
            if g["value"] is None:
                matched += any(t.value is None or "X" in t.value for t in candidates)
            else:
                matched += any(t.value == g["value"] for t in candidates)
    assert matched / total >= 0.9, f"seed timex accuracy {matched}/{total}"


def test_bare_weekday_repeats_a_dated_weekday() -> None:
    text = "Menteri tiba di Bandung, Rabu (4/1/2017). Pada Rabu, ia meresmikan pasar. Kamis ia pulang."
    article = _article(text, "2017-01-04")
    found = [(t.text, t.value) for t in article.timexes]
    assert found == [("Rabu (4/1/2017)", "2017-01-04"), ("Rabu", "2017-01-04"), ("Kamis", "2016-12-29")]


def test_count_later_runs_from_the_last_date_given() -> None:
    text = "Korban melapor pada Jumat (4/8/2017). Tiga hari kemudian, pelaku ditangkap di rumahnya."
    article = _article(text, "2017-08-09", sentences=True)
    assert {t.text: t.value for t in article.timexes}["Tiga hari kemudian"] == "2017-08-07"
    alone = _article("Tiga hari kemudian, pelaku ditangkap.", "2017-08-09")
    assert [t.value for t in alone.timexes] == ["P3D"]


def test_clock_alone_takes_the_day_just_given() -> None:
    text = "Kapal itu tenggelam pada Minggu (31/12). Kapal karam sekitar pukul 15.10 waktu setempat."
    article = _article(text, "2018-01-01", sentences=True)
    assert {t.text: t.value for t in article.timexes}["pukul 15.10"] == "2017-12-31T15:10"
    alone = _article("Rapat dimulai pukul 09.00 WIB.", "2018-01-01", sentences=True)
    assert [t.value for t in alone.timexes] == ["2018-01-01T09:00"]


def test_dated_url_before_input_date_anchors_relative_dates() -> None:
    def article(url: str) -> Article:
        text = "Polisi memeriksa saksi hari ini."
        meta = {"published": "2017-11-15", "url": url}
        return time_stage(Article(doc="t", id="t", raw=text, text=text, meta=meta))

    late = article("http://example.com/2017/11/14/polisi-memeriksa-saksi/")
    assert (late.published, late.timexes[0].value) == ("2017-11-15", "2017-11-14")
    assert article("https://example.com/berita/20171114093000-12-3456/saksi").timexes[0].value == "2017-11-14"
    assert article("http://example.com/2017/11/02/lama/").timexes[0].value == "2017-11-15"
    assert article("http://example.com/nasional/saksi").timexes[0].value == "2017-11-15"


def test_event_date_skips_a_timex_in_a_relative_clause() -> None:
    text = "Presiden, yang berkampanye untuk referendum April nanti, menuduh pemerintah tetangga."
    article = _article(text, "2017-03-14", sentences=True)
    start = text.index("menuduh")
    assert event_date(article, 0, start, start + 7) == ("2017-03-14", "publication")
    assert event_date(article, 0, text.index("berkampanye"), start - 2) == ("2017-04", "month")


def test_event_date_takes_a_timex_later_in_the_clause() -> None:
    text = "Pemerintah menyetujui anggaran itu dalam rapat kabinet pada hari Kamis."
    article = _article(text, "2019-03-25", sentences=True)
    start = text.index("menyetujui")
    assert event_date(article, 0, start, start + 10) == ("2019-03-21", "day")


# --------------------------------------------------------------------------- reporting date, event dates
def _analysed(text: str, published: str | None, url: str | None = None) -> Article:
    """``text`` through clean, language and time, with input metadata; a newline starts a paragraph."""
    from warta.ingest import article_from_text  # noqa: PLC0415

    meta = {k: v for k, v in (("published", published), ("url", url)) if v}
    return Pipeline(["clean", "language", "time"])(article_from_text(text, doc="t", meta=meta))


def _date_of(article: Article, words: str) -> tuple[str | None, str]:
    """event_date for the event whose evidence is ``words`` (its first occurrence)."""
    start = article.text.index(words)
    sentence = article.sentence_at(start)
    assert sentence is not None
    return event_date(article, sentence.index, start, start + len(words))


def test_reporting_date_from_a_statement_date() -> None:
    # A crawl date two days after the story: the day of the statement is the reporting date.
    text = ("Polisi telah menangkap dua tersangka perampokan toko emas.\n"
            '"Keduanya kami tahan," kata Kapolres di Medan, Senin (13/11/2017).')
    article = _analysed(text, "2017-11-15")
    assert reporting_date(article) == ("2017-11-13", "speech")
    # The arrest has no day of its own: it takes the reporting day, flagged as such.
    assert _date_of(article, "Polisi telah menangkap") == ("2017-11-13", "publication")
    # The statement's date is no date of what it reports.
    assert _date_of(article, "Keduanya kami tahan") == ("2017-11-13", "publication")
    # Two statement days: the latest is the reporting day; a sentence keeps its own statement's day.
    later = _analysed(text + '\n"Berkasnya lengkap," ujar jaksa di Medan, Selasa (14/11/2017).', "2017-11-15")
    assert reporting_date(later) == ("2017-11-14", "speech")
    assert _date_of(later, "Polisi telah menangkap") == ("2017-11-14", "publication")
    assert _date_of(later, "Keduanya kami tahan") == ("2017-11-13", "publication")


def test_reporting_date_order_and_window() -> None:
    text = "Petugas memadamkan kebakaran di pasar itu."
    url = "http://x.id/2017/11/{}/pasar/"
    assert reporting_date(_analysed(text, "2017-11-15", url.format(14))) == ("2017-11-14", "url")
    assert reporting_date(_analysed(text, "2017-11-15", url.format("09"))) == ("2017-11-15", "published")
    assert reporting_date(_analysed(text, "2017-11-15")) == ("2017-11-15", "published")
    assert reporting_date(_analysed(text, None)) is None
    # A statement dated a week before the publication date is an old quote, not the reporting day.
    old = _analysed('"Kami siaga," ujar kepala dinas di Bogor, Rabu (8/11/2017).', "2017-11-15",
                    "http://x.id/2017/11/14/siaga/")
    assert reporting_date(old) == ("2017-11-14", "url")
    # The day of a statement wins over the URL's day: gold and reporters date what was said.
    both = _analysed('"Kami siaga," ujar kepala dinas di Bogor, Senin (13/11/2017).', "2017-11-15",
                     "http://x.id/2017/11/14/siaga/")
    assert reporting_date(both) == ("2017-11-13", "speech")
    header = _analysed("Jakarta, 13 November 2017\n\n" + text, "2017-11-15")
    assert reporting_date(header) == ("2017-11-13", "dateline")


def test_statement_dates_are_told_apart() -> None:
    def said(text: str, expression: str) -> bool:
        article = _analysed(text, "2017-11-15")
        timex = next(t for t in article.timexes if t.text == expression)
        return timex.start in _speech_dated(article)

    assert said("Menurut juru bicaranya pada Senin, menteri itu batal berangkat.", "Senin")
    assert said("Kepala dinas di Bogor, Selasa, mengatakan stok beras aman.", "Selasa")
    assert said("Hal itu disampaikan ketua panitia kemarin, Selasa (14/11).", "Selasa (14/11)")
    assert said('"Stok aman," ujarnya saat dihubungi, Selasa (14/11) malam.', "Selasa (14/11)")
    # The date of what is reported, after the speech verb and its comma, or after an opening source.
    assert not said("Kepala dinas mengatakan, pasar itu terbakar Senin (13/11).", "Senin (13/11)")
    assert not said("Diberitakan kantor berita itu, tiga orang ditangkap di pelabuhan pada Senin (13/11).",
                    "Senin (13/11)")
    assert not said("Petugas menangkap pelaku di rumahnya, Senin (13/11).", "Senin (13/11)")


def test_unrealised_events_get_no_date_but_their_own() -> None:
    text = ("Menteri itu tidak akan menghadiri sidang umum di New York, menurut kantornya pada Selasa.\n"
            "Polisi belum juga menangkap pelaku pembakaran itu sejak Senin (13/11).\n"
            "KPK menjadwalkan pemeriksaan tiga pejabat pajak.\n"
            "Tim siber terus memantau kampanye hitam di media sosial.\n"
            "Dewan akan bersidang lagi pada Kamis (16/11).\n"
            "Polisi tidak hanya menangkap pelaku tetapi juga menyita senjatanya.\n"
            "Petani dari Jawa Tengah mendatangi kantor gubernur.")
    article = _analysed(text, "2017-11-15")
    assert _date_of(article, "tidak akan menghadiri") == (None, "unknown")
    assert _date_of(article, "Polisi belum juga menangkap pelaku") == (None, "unknown")
    assert _date_of(article, "KPK menjadwalkan pemeriksaan") == (None, "unknown")
    assert _date_of(article, "Tim siber terus memantau") == (None, "unknown")
    assert _date_of(article, "Dewan akan bersidang") == ("2017-11-16", "day")
    assert _date_of(article, "Polisi tidak hanya menangkap pelaku") == ("2017-11-14", "publication")
    # "Tengah" in a place name is no aspect marker ("tengah memeriksa").
    assert _date_of(article, "Petani dari Jawa Tengah mendatangi") == ("2017-11-14", "publication")


def test_a_happening_date_carries_within_its_paragraph_only() -> None:
    text = ("Pasukan itu dikirim ke perbatasan untuk membantu warga. "
            "Para prajurit tersebut tiba di bandara pada Senin (13/11/2017).\n"
            "Bupati meminta bantuan logistik. Warga mengungsi ke gedung sekolah pada Senin (13/11/2017).\n"
            "Banjir itu terjadi pada Minggu (12/11/2017). Relawan mengevakuasi warga. Mereka akan membangun "
            "dapur umum.\n"
            '"Kami kirim dua truk," kata kepala dinas di Padang, Senin (13/11/2017). '
            "Tim SAR menyisir sungai.\n"
            "Gedung baru itu akan diresmikan pada Jumat (17/11/2017). Panitia memasang tenda.")
    article = _analysed(text, "2017-11-14")
    assert reporting_date(article) == ("2017-11-13", "speech")
    # Forward, to a sentence the next one refers back to ("Para prajurit tersebut ...").
    assert _date_of(article, "Pasukan itu dikirim") == ("2017-11-13", "day")
    # No forward carry without that reference.
    assert _date_of(article, "Bupati meminta bantuan") == ("2017-11-13", "publication")
    # Backward, while the narrative goes on; never to a planned event.
    assert _date_of(article, "Relawan mengevakuasi warga") == ("2017-11-12", "day")
    assert _date_of(article, "Mereka akan membangun") == (None, "unknown")
    # A statement's date is not carried; nor is a future date.
    assert _date_of(article, "Tim SAR menyisir") == ("2017-11-13", "publication")
    assert _date_of(article, "Panitia memasang tenda") == ("2017-11-13", "publication")


def test_weekday_naming_the_writing_day_before_the_statements_is_a_week_back() -> None:
    text = ("Pusat latihan itu diresmikan pada hari Jumat. Pesawat kargo mendarat pada hari Sabtu.\n"
            '"Kami memantau," kata menteri kepada wartawan, Jumat.')
    article = _analysed(text, "2019-03-30")  # a Saturday
    found = {t.text: t.value for t in article.timexes}
    assert found == {"hari Jumat": "2019-03-29", "hari Sabtu": "2019-03-23", "Jumat": "2019-03-29"}
    alone = _analysed("Pesawat kargo mendarat pada hari Sabtu.", "2019-03-30")
    assert [t.value for t in alone.timexes] == ["2019-03-30"]


def test_event_date_before_another_event_with_its_own_date() -> None:
    text = ("Pengacara itu mengklaim ada percakapan telepon sehari sebelum menteri bertemu gubernur, "
            "7 Oktober 2016 di Bandung.")
    article = _analysed(text, "2017-02-03")
    assert _date_of(article, "menteri bertemu gubernur") == ("2016-10-07", "day")
