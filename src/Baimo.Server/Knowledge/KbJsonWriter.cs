using System.Text.Json;
using Baimo.Knowledge.Answers;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Server.Knowledge;

/// <summary>Hits and answer sources in the snake_case shape <c>baimo kb search --json</c> prints.</summary>
public static class KbJsonWriter
{
    public static void Hit(Utf8JsonWriter w, SearchHit h)
    {
        w.WriteStartObject();
        w.WriteNumber("rank", h.Rank);
        w.WriteNumber("score", h.Score);
        Nullable(w, "fulltext_score", h.FullTextScore);
        Nullable(w, "vector_score", h.VectorScore);
        w.WriteString("source", h.Source);
        if (h.Location is null) w.WriteNull("location"); else w.WriteString("location", h.Location);
        Strings(w, "headings", h.HeadingPath);
        w.WriteNumber("start", h.Start);
        w.WriteNumber("length", h.Length);
        w.WriteNumber("chunk_id", h.ChunkId);
        w.WriteString("text", h.Text);
        w.WriteEndObject();
    }

    /// <summary>A numbered source; <paramref name="withCited"/> false before the answer exists (the first streamed event).</summary>
    public static void Source(Utf8JsonWriter w, AnswerSource s, bool withCited)
    {
        w.WriteStartObject();
        w.WriteNumber("number", s.Number);
        w.WriteString("source", s.Source);
        if (s.Location is null) w.WriteNull("location"); else w.WriteString("location", s.Location);
        Strings(w, "headings", s.HeadingPath);
        w.WriteString("excerpt", s.Excerpt);
        w.WriteNumber("score", s.Hit.Score);
        w.WriteNumber("chunk_id", s.Hit.ChunkId);
        if (withCited) w.WriteBoolean("cited", s.Cited);
        w.WriteEndObject();
    }

    public static void Sources(Utf8JsonWriter w, IEnumerable<AnswerSource> sources, bool withCited)
    {
        w.WriteStartArray("sources");
        foreach (var s in sources) Source(w, s, withCited);
        w.WriteEndArray();
    }

    public static void Numbers(Utf8JsonWriter w, string name, IEnumerable<int> numbers)
    {
        w.WriteStartArray(name);
        foreach (var n in numbers) w.WriteNumberValue(n);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }
}
