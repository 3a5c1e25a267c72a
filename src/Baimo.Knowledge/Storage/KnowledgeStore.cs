using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Baimo.Knowledge.Retrieval;
using Microsoft.Data.Sqlite;

namespace Baimo.Knowledge.Storage;

/// <summary>
/// The SQLite file of one knowledge base. Not thread-safe: <see cref="KnowledgeBase"/> serialises access.
/// Every change to a document (its row, chunks, terms and vectors) happens in one transaction, so a process killed
/// mid-write leaves either the old or the new version, never a mixture, and the hash on the document row says which.
/// </summary>
internal sealed class KnowledgeStore : IDisposable
{
    private readonly SqliteConnection _db;

    private KnowledgeStore(SqliteConnection db) => _db = db;

    public string Path { get; private init; } = "";

    /// <summary>Test hook: called after each chunk is written inside the replace transaction.</summary>
    internal Action<int>? AfterChunkWritten { get; set; }

    /// <summary>Opens (and with <paramref name="create"/> creates) the file and ensures the schema.</summary>
    public static KnowledgeStore Open(string path, bool create)
    {
        if (!create && !File.Exists(path)) throw new FileNotFoundException($"No knowledge base at '{path}'.", path);
        var csb = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            // Pooling would keep the file open after Dispose; a base is opened rarely and must be deletable after.
            Pooling = false,
        };
        var db = new SqliteConnection(csb.ToString());
        try
        {
            db.Open();
            // WAL lets readers run beside a writer; NORMAL sync in WAL mode still never corrupts on a crash (the last
            // commits may be lost on power failure, which a rerun of ingestion repairs via the hashes).
            Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
            using (var tx = db.BeginTransaction())
            {
                Exec(db, Schema.Create, tx);
                tx.Commit();
            }
            var store = new KnowledgeStore(db) { Path = path };
            var version = store.GetConfig(ConfigKeys.SchemaVersion);
            if (version is null) store.SetConfig(ConfigKeys.SchemaVersion, Schema.Version.ToString(CultureInfo.InvariantCulture));
            else if (version != Schema.Version.ToString(CultureInfo.InvariantCulture))
                throw new InvalidDataException($"'{path}' has knowledge-base schema {version}; this build reads {Schema.Version}.");
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public string? GetConfig(string key)
    {
        using var cmd = Command("SELECT value FROM config WHERE key = $k");
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    public void SetConfig(string key, string value)
    {
        using var cmd = Command("INSERT INTO config(key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The stored hash of <paramref name="source"/>, or null when the source is not in the base.</summary>
    public string? GetContentHash(string source)
    {
        using var cmd = Command("SELECT content_hash FROM documents WHERE source = $s");
        cmd.Parameters.AddWithValue("$s", source);
        return cmd.ExecuteScalar() as string;
    }

    /// <summary>Replaces (or adds) a document with its chunks, terms and vectors in one transaction.</summary>
    public void ReplaceDocument(DocumentInfo doc, IReadOnlyList<ChunkRow> chunks)
    {
        using var tx = _db.BeginTransaction();
        DeleteDocument(doc.Source, tx);
        long docId;
        using (var cmd = Command("""
            INSERT INTO documents(source, extension, content_hash, size, mtime_ms, reader, pages, title, chunk_count, added_ms)
            VALUES ($source, $ext, $hash, $size, $mtime, $reader, $pages, $title, $count, $added) RETURNING id
            """, tx))
        {
            cmd.Parameters.AddWithValue("$source", doc.Source);
            cmd.Parameters.AddWithValue("$ext", SearchFilter.ExtensionOf(doc.Source));
            cmd.Parameters.AddWithValue("$hash", doc.ContentHash);
            cmd.Parameters.AddWithValue("$size", doc.Size);
            cmd.Parameters.AddWithValue("$mtime", (object?)doc.Modified?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$reader", (object?)doc.Reader ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$pages", doc.Pages);
            cmd.Parameters.AddWithValue("$title", (object?)doc.Title ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$count", chunks.Count);
            cmd.Parameters.AddWithValue("$added", doc.Added.ToUnixTimeMilliseconds());
            docId = (long)cmd.ExecuteScalar()!;
        }

        using var insChunk = Command("""
            INSERT INTO chunks(document_id, ordinal, text, start, length, location, heading_path)
            VALUES ($doc, $ord, $text, $start, $len, $loc, $path) RETURNING id
            """, tx);
        using var insTerms = Command("INSERT INTO chunk_terms(rowid, head, body) VALUES ($id, $head, $body)", tx);
        using var insVector = Command("INSERT INTO vectors(chunk_id, vector) VALUES ($id, $v)", tx);
        for (int i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            insChunk.Parameters.Clear();
            insChunk.Parameters.AddWithValue("$doc", docId);
            insChunk.Parameters.AddWithValue("$ord", c.Ordinal);
            insChunk.Parameters.AddWithValue("$text", c.Text);
            insChunk.Parameters.AddWithValue("$start", c.Start);
            insChunk.Parameters.AddWithValue("$len", c.Length);
            insChunk.Parameters.AddWithValue("$loc", (object?)c.Location ?? DBNull.Value);
            insChunk.Parameters.AddWithValue("$path", JsonSerializer.Serialize(c.HeadingPath, StoreJson.Default.IReadOnlyListString));
            long chunkId = (long)insChunk.ExecuteScalar()!;

            insTerms.Parameters.Clear();
            insTerms.Parameters.AddWithValue("$id", chunkId);
            insTerms.Parameters.AddWithValue("$head", c.HeadTerms);
            insTerms.Parameters.AddWithValue("$body", c.BodyTerms);
            insTerms.ExecuteNonQuery();

            if (c.Vector is { } v)
            {
                insVector.Parameters.Clear();
                insVector.Parameters.AddWithValue("$id", chunkId);
                insVector.Parameters.AddWithValue("$v", MemoryMarshal.AsBytes(v.AsSpan()).ToArray());
                insVector.ExecuteNonQuery();
            }
            AfterChunkWritten?.Invoke(i);
        }
        tx.Commit();
    }

    /// <summary>Removes a document and everything derived from it; false when it was not there.</summary>
    public bool RemoveDocument(string source)
    {
        using var tx = _db.BeginTransaction();
        bool removed = DeleteDocument(source, tx);
        tx.Commit();
        return removed;
    }

    private bool DeleteDocument(string source, SqliteTransaction tx)
    {
        // The contentless term table has no foreign key, so its rows go first, by the chunk ids about to be cascaded.
        using (var terms = Command("""
            DELETE FROM chunk_terms WHERE rowid IN
              (SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.source = $s)
            """, tx))
        {
            terms.Parameters.AddWithValue("$s", source);
            terms.ExecuteNonQuery();
        }
        using var del = Command("DELETE FROM documents WHERE source = $s", tx);
        del.Parameters.AddWithValue("$s", source);
        return del.ExecuteNonQuery() > 0;
    }

    public List<DocumentInfo> ListDocuments()
    {
        using var cmd = Command("""
            SELECT source, content_hash, size, mtime_ms, reader, pages, title, chunk_count, added_ms
            FROM documents ORDER BY source
            """);
        using var r = cmd.ExecuteReader();
        var list = new List<DocumentInfo>();
        while (r.Read())
        {
            list.Add(new DocumentInfo(
                r.GetString(0), r.GetString(1), r.GetInt64(2),
                r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.GetInt32(7),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8))));
        }
        return list;
    }

    /// <summary>
    /// BM25 over the term table: <paramref name="match"/> is an FTS5 query, the result is (chunk id, score) best
    /// first with the score made positive (FTS5 reports lower-is-better).
    /// </summary>
    public List<(long Id, double Score)> FullTextSearch(string match, int k, SearchFilter filter, double headWeight, double bodyWeight)
    {
        var sql = new System.Text.StringBuilder("""
            SELECT chunk_terms.rowid, bm25(chunk_terms, $wh, $wb) AS score FROM chunk_terms
            """);
        bool filtered = !filter.IsEmpty;
        if (filtered) sql.Append(" JOIN chunks c ON c.id = chunk_terms.rowid JOIN documents d ON d.id = c.document_id");
        sql.Append(" WHERE chunk_terms MATCH $q");
        using var cmd = Command("");
        AppendFilter(sql, cmd, filter);
        sql.Append(" ORDER BY score LIMIT $k");
        cmd.CommandText = sql.ToString();
        cmd.Parameters.AddWithValue("$q", match);
        cmd.Parameters.AddWithValue("$k", k);
        cmd.Parameters.AddWithValue("$wh", headWeight);
        cmd.Parameters.AddWithValue("$wb", bodyWeight);
        using var r = cmd.ExecuteReader();
        var hits = new List<(long, double)>();
        while (r.Read()) hits.Add((r.GetInt64(0), -r.GetDouble(1)));
        return hits;
    }

    private static void AppendFilter(System.Text.StringBuilder sql, SqliteCommand cmd, SearchFilter filter)
    {
        if (!string.IsNullOrEmpty(filter.SourcePrefix))
        {
            sql.Append(" AND substr(d.source, 1, length($prefix)) = $prefix");
            cmd.Parameters.AddWithValue("$prefix", filter.SourcePrefix);
        }
        if (filter.Extensions is { Count: > 0 } exts)
        {
            var names = exts.Select((_, i) => "$ext" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
            sql.Append(" AND d.extension IN (").Append(string.Join(", ", names)).Append(')');
            int i = 0;
            foreach (var e in exts) cmd.Parameters.AddWithValue(names[i++], e.ToLowerInvariant());
        }
    }

    /// <summary>Chunks by id, with their document's source; ids that no longer exist are skipped.</summary>
    public Dictionary<long, StoredChunk> GetChunks(IEnumerable<long> ids)
    {
        var result = new Dictionary<long, StoredChunk>();
        using var cmd = Command("""
            SELECT c.id, d.source, c.location, c.heading_path, c.text, c.start, c.length
            FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = $id
            """);
        var p = cmd.Parameters.Add("$id", SqliteType.Integer);
        foreach (var id in ids.Distinct())
        {
            p.Value = id;
            using var r = cmd.ExecuteReader();
            if (!r.Read()) continue;
            var path = JsonSerializer.Deserialize(r.GetString(3), StoreJson.Default.IReadOnlyListString) ?? [];
            result[id] = new StoredChunk(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), path,
                r.GetString(4), r.GetInt32(5), r.GetInt32(6));
        }
        return result;
    }

    /// <summary>Every stored vector with its chunk id, document source and extension, for the in-memory index.</summary>
    public IEnumerable<(long ChunkId, string Source, string Extension, byte[] Vector)> ReadVectors()
    {
        using var cmd = Command("""
            SELECT v.chunk_id, d.source, d.extension, v.vector
            FROM vectors v JOIN chunks c ON c.id = v.chunk_id JOIN documents d ON d.id = c.document_id
            ORDER BY v.chunk_id
            """);
        using var r = cmd.ExecuteReader();
        while (r.Read()) yield return (r.GetInt64(0), r.GetString(1), r.GetString(2), (byte[])r.GetValue(3));
    }

    /// <summary>Runs a statement outside any transaction (tests use it to shrink the page cache).</summary>
    internal void Execute(string sql) => Exec(_db, sql);

    /// <summary>Counts rows of a table (diagnostics and tests).</summary>
    internal long Count(string table)
    {
        using var cmd = Command($"SELECT count(*) FROM {table}");
        return (long)cmd.ExecuteScalar()!;
    }

    public void Dispose() => _db.Dispose();

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Exec(SqliteConnection db, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.ExecuteNonQuery();
    }
}
