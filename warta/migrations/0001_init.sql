-- The first schema: one table per record of warta/doc.py, keyed on (article_id, idx), where idx is the
-- record's position in its Article list, so mentions.entity and events.actor1_entity keep pointing at
-- entities.idx of the same article. Offsets (char_start, char_end) are into articles.text.

CREATE TABLE articles (
    id VARCHAR PRIMARY KEY,          -- Article.id, the content hash of the raw input
    doc VARCHAR NOT NULL,
    title VARCHAR,
    source VARCHAR,
    url VARCHAR,
    published VARCHAR,               -- ISO date or datetime, as the article gives it
    published_source VARCHAR,
    dateline VARCHAR,
    text VARCHAR,
    removed VARCHAR[],
    paragraphs INTEGER[][],
    errors VARCHAR[],
    meta JSON,
    versions JSON,                   -- the stage versions that produced the rows below
    added_at TIMESTAMP NOT NULL      -- UTC
);

CREATE TABLE sentences (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    paragraph INTEGER
);

CREATE TABLE entities (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    type VARCHAR,
    code VARCHAR,
    aliases VARCHAR[],
    qid VARCHAR,
    mention_count INTEGER NOT NULL
);

CREATE TABLE mentions (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    entity INTEGER,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence INTEGER,
    type VARCHAR,
    code VARCHAR,
    role_text VARCHAR,
    rule VARCHAR
);

CREATE TABLE timexes (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence INTEGER,
    value VARCHAR,
    granularity VARCHAR,
    anchor VARCHAR,
    rule VARCHAR
);

CREATE TABLE quotes (
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence INTEGER,
    speaker VARCHAR,
    speaker_code VARCHAR,
    direct BOOLEAN
);

CREATE TABLE events (
    event_id BIGINT NOT NULL,        -- stable: derived from article_id and idx
    article_id VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    actor1_name VARCHAR,
    actor1_code VARCHAR,
    actor1_country VARCHAR,          -- the first three letters of actor1_code
    actor1_entity INTEGER,
    actor2_name VARCHAR,
    actor2_code VARCHAR,
    actor2_country VARCHAR,
    actor2_entity INTEGER,
    cameo VARCHAR NOT NULL,
    root VARCHAR,
    plover VARCHAR,
    goldstein DOUBLE,
    quad_class INTEGER,
    date VARCHAR,                    -- the event's own date, TIMEX3-style; see date_precision
    date_precision VARCHAR,
    modality VARCHAR,
    negated BOOLEAN,
    evidence_sentence INTEGER,
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence_text VARCHAR,
    rule VARCHAR,
    attribution VARCHAR,
    place VARCHAR,
    mentions INTEGER
);

-- Inputs ingest could not read, so nothing is lost silently.
CREATE TABLE rejects (
    doc VARCHAR,
    source VARCHAR,
    reason VARCHAR NOT NULL,
    seen_at TIMESTAMP NOT NULL       -- UTC
);

CREATE INDEX events_article ON events (article_id);
CREATE INDEX mentions_article ON mentions (article_id);

-- Events with their article, the date to file them under and where that date comes from:
-- when_date is the event's own date (YYYY, YYYY-MM or YYYY-MM-DD; the start of an interval, the day of a
-- datetime) where the text fixes a year, else the publication day; when_source says which. is_root marks events found in the article's first paragraph.
CREATE VIEW event_rows AS
SELECT
    e.*,
    a.doc,
    a.title,
    a.source,
    a.url,
    a.published,
    a.added_at,
    CASE
        WHEN e.date_precision <> 'publication' AND regexp_matches(e.date, '^\d{4}')
            THEN regexp_extract(e.date, '^\d{4}(-\d{2}(-\d{2})?)?')
        ELSE left(a.published, 10)
    END AS when_date,
    CASE
        WHEN e.date_precision <> 'publication' AND regexp_matches(e.date, '^\d{4}') THEN 'event'
        WHEN a.published IS NOT NULL THEN 'publication'
    END AS when_source,
    coalesce(s.paragraph = (SELECT min(paragraph) FROM sentences f WHERE f.article_id = e.article_id), false)
        AS is_root
FROM events e
JOIN articles a ON a.id = e.article_id
LEFT JOIN sentences s ON s.article_id = e.article_id AND s.idx = e.evidence_sentence;
