namespace Baimo.Knowledge.Storage;

/// <summary>The tables of a knowledge-base file. One file per base; version bumps when the layout changes.</summary>
internal static class Schema
{
    public const int Version = 1;

    // Chunk ids use AUTOINCREMENT so a deleted chunk's id is never handed to a different chunk later: ids appear in
    // search results and citations that may outlive the chunk.
    // chunk_terms holds pre-segmented, space-separated terms; it is contentless because the text lives in chunks.
    // tokenchars keeps "3.14" and "snake_case" single terms, matching what the segmenters emit.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS config (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS documents (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            source       TEXT NOT NULL UNIQUE,
            extension    TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            size         INTEGER NOT NULL,
            mtime_ms     INTEGER,
            reader       TEXT,
            pages        INTEGER NOT NULL,
            title        TEXT,
            chunk_count  INTEGER NOT NULL,
            added_ms     INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS chunks (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal      INTEGER NOT NULL,
            text         TEXT NOT NULL,
            start        INTEGER NOT NULL,
            length       INTEGER NOT NULL,
            location     TEXT,
            heading_path TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id, ordinal);
        CREATE TABLE IF NOT EXISTS vectors (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            vector   BLOB NOT NULL);
        CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
            head, body, content='', contentless_delete=1,
            tokenize="unicode61 remove_diacritics 0 tokenchars '._'");
        """;
}
