using System.Runtime.InteropServices;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Knowledge.Storage;

/// <summary>
/// Exact cosine search over every chunk vector, held in one contiguous array of unit vectors. Exact search scans
/// n × dim floats per query (50k chunks × 768 dims ≈ 150 MB/s of a core, a few tens of milliseconds), which is
/// fine for personal and team bases; an approximate index can replace it behind the same call.
/// </summary>
internal sealed class VectorIndex
{
    private readonly float[] _data;        // [count, Dimension], rows unit length
    private readonly long[] _ids;          // [count] chunk id of each row
    private readonly int[] _doc;           // [count] index into _docs
    private readonly (string Source, string Extension)[] _docs;

    private VectorIndex(int dimension, float[] data, long[] ids, int[] doc, (string, string)[] docs)
    {
        Dimension = dimension;
        _data = data;
        _ids = ids;
        _doc = doc;
        _docs = docs;
    }

    public int Dimension { get; }

    public int Count => _ids.Length;

    /// <summary>Loads every vector of the store; rows whose length disagrees with <paramref name="dimension"/> are a corrupt base.</summary>
    public static VectorIndex Load(KnowledgeStore store, int dimension)
    {
        var data = new List<float>();
        var ids = new List<long>();
        var doc = new List<int>();
        var docs = new List<(string, string)>();
        var docIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, source, ext, blob) in store.ReadVectors())
        {
            var v = MemoryMarshal.Cast<byte, float>(blob);
            if (v.Length != dimension)
                throw new InvalidDataException($"Chunk {id} of '{source}' has a {v.Length}-dimensional vector; the base uses {dimension}.");
            if (!docIndex.TryGetValue(source, out int d))
            {
                d = docs.Count;
                docIndex[source] = d;
                docs.Add((source, ext));
            }
            ids.Add(id);
            doc.Add(d);
            foreach (var x in v) data.Add(x);
        }
        return new VectorIndex(dimension, data.ToArray(), ids.ToArray(), doc.ToArray(), docs.ToArray());
    }

    /// <summary>The <paramref name="k"/> most similar chunks passing <paramref name="filter"/>, best first.</summary>
    public List<(long Id, double Score)> Search(ReadOnlySpan<float> unitQuery, int k, SearchFilter filter)
    {
        if (unitQuery.Length != Dimension)
            throw new ArgumentException($"Query vector has {unitQuery.Length} dimensions; the base uses {Dimension}.");
        bool[]? allowed = null;
        if (!filter.IsEmpty)
        {
            allowed = new bool[_docs.Length];
            for (int d = 0; d < _docs.Length; d++) allowed[d] = filter.Matches(_docs[d].Source, _docs[d].Extension);
        }
        // A min-heap of the best k so far: the root is the weakest kept hit, replaced when a better one appears.
        var heap = new PriorityQueue<int, float>(k + 1);
        for (int row = 0; row < _ids.Length; row++)
        {
            if (allowed is not null && !allowed[_doc[row]]) continue;
            float s = VectorMath.Dot(unitQuery, _data.AsSpan(row * Dimension, Dimension));
            if (heap.Count < k) heap.Enqueue(row, s);
            else if (heap.TryPeek(out _, out float worst) && s > worst) heap.DequeueEnqueue(row, s);
        }
        var result = new List<(long, double)>(heap.Count);
        while (heap.TryDequeue(out int row, out float score)) result.Add((_ids[row], score));
        result.Reverse();
        return result;
    }
}
