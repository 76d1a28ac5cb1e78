-- Stories, copies and resolved events (warta/stories.py, docs/stories.md). The story index lives here,
-- not in memory, so `warta ingest` can run over a feed of any length in bounded memory: each new article
-- looks up its LSH band keys and its (month, term) posting lists through the indexes below.

-- One row per article the index has seen: its story, its duplicate group and what clustering needs.
CREATE TABLE story_articles (
    article_id VARCHAR NOT NULL,
    seq BIGINT NOT NULL,             -- arrival order in the index
    story_id VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,       -- duplicate group: the id of its first-seen member
    published VARCHAR,
    day INTEGER,                     -- proleptic ordinal of the publication date
    length INTEGER NOT NULL,         -- characters of the body (canonical copy: the longest)
    source VARCHAR,
    title VARCHAR,
    terms JSON,                      -- salient term -> frequency; NULL for a copy
    sentences VARCHAR[],             -- candidates for the story summary
    countries VARCHAR[],
    signature UINTEGER[]             -- the MinHash signature (NUM_PERM values)
);
CREATE INDEX story_articles_article ON story_articles (article_id);
CREATE INDEX story_articles_story ON story_articles (story_id);
CREATE INDEX story_articles_group ON story_articles (group_id);

CREATE TABLE stories (
    id VARCHAR NOT NULL,             -- the id of the story's first article
    first_day INTEGER,
    last_day INTEGER,
    centroid JSON,                   -- term -> summed frequency over the originals (top STORY_TERMS)
    countries JSON,                  -- country code -> originals naming it
    originals INTEGER NOT NULL,
    articles INTEGER NOT NULL
);
CREATE INDEX stories_id ON stories (id);

-- LSH band keys: a band of the MinHash signature hashed to one integer; equal keys make candidates.
CREATE TABLE story_bands (
    band_key BIGINT NOT NULL,
    article_id VARCHAR NOT NULL
);
CREATE INDEX story_bands_key ON story_bands (band_key);

-- Candidate lookup lists: "month|term" -> stories, the most recent MAX_POSTING kept.
CREATE TABLE story_postings (
    posting VARCHAR NOT NULL,
    story_id VARCHAR NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX story_postings_posting ON story_postings (posting);

-- Document frequency of terms over the original articles seen (added to the background corpus's).
CREATE TABLE story_terms (
    term VARCHAR PRIMARY KEY,
    df INTEGER NOT NULL
);

CREATE TABLE story_state (
    name VARCHAR PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO story_state VALUES ('documents', 0), ('seq', 0);

-- Events that are one happening across the articles of a story (stories.resolve). event_id is the id of
-- the first report, the GDELT GlobalEventID; the other columns follow events where the name is the same.
CREATE TABLE resolved_events (
    event_id BIGINT NOT NULL,
    story_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,     -- the representative report: earliest published, then first seen
    actor1_name VARCHAR,
    actor1_code VARCHAR,
    actor1_country VARCHAR,
    actor2_name VARCHAR,
    actor2_code VARCHAR,
    actor2_country VARCHAR,
    cameo VARCHAR NOT NULL,
    root VARCHAR,
    roots VARCHAR[],                 -- every root the reports used
    plover VARCHAR,
    goldstein DOUBLE,
    quad_class INTEGER,
    date VARCHAR,                    -- the most precise date the reports agree on
    date_precision VARCHAR,
    modality VARCHAR,
    negated BOOLEAN,
    intended BOOLEAN,
    span_start INTEGER,              -- the days every dated report allows (intersection), for matching
    span_end INTEGER,
    num_mentions INTEGER,
    num_articles INTEGER,
    num_sources INTEGER,             -- duplicate groups: copies of one wire story count once
    first_seen VARCHAR,
    last_seen VARCHAR,
    confidence DOUBLE,
    evidence_sentence INTEGER,       -- the representative report's evidence
    evidence_start INTEGER,
    evidence_end INTEGER,
    evidence_text VARCHAR,
    place VARCHAR,
    attribution VARCHAR
);
CREATE INDEX resolved_events_story ON resolved_events (story_id);
CREATE INDEX resolved_events_id ON resolved_events (event_id);

-- Which stored event reports which resolved event, with what the confidence needs of its article.
CREATE TABLE event_links (
    event_id BIGINT NOT NULL,
    article_id VARCHAR NOT NULL,
    resolved_id BIGINT NOT NULL,
    group_id VARCHAR NOT NULL,
    published VARCHAR
);
CREATE INDEX event_links_article ON event_links (article_id);
CREATE INDEX event_links_resolved ON event_links (resolved_id);

-- Resolved events with their representative article and the date to file them under (as event_rows).
CREATE VIEW resolved_event_rows AS
SELECT
    r.*,
    a.doc,
    a.title,
    a.source,
    a.url,
    a.published,
    a.added_at,
    CASE
        WHEN r.date_precision <> 'publication' AND regexp_matches(r.date, '^\d{4}')
            THEN regexp_extract(r.date, '^\d{4}(-\d{2}(-\d{2})?)?')
        ELSE left(a.published, 10)
    END AS when_date,
    CASE
        WHEN r.date_precision <> 'publication' AND regexp_matches(r.date, '^\d{4}') THEN 'event'
        WHEN a.published IS NOT NULL THEN 'publication'
    END AS when_source,
    coalesce(s.paragraph = (SELECT min(paragraph) FROM sentences f WHERE f.article_id = r.article_id), false)
        AS is_root
FROM resolved_events r
JOIN articles a ON a.id = r.article_id
LEFT JOIN sentences s ON s.article_id = r.article_id AND s.idx = r.evidence_sentence;
