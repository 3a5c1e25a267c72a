namespace Baimo.Tokenizers.Internal;

/// <summary>The order of a <see cref="BinaryHeap{T, TOrder}"/>: true when <paramref name="a"/> must come out before <paramref name="b"/>.</summary>
internal interface IHeapOrder<T>
{
    static abstract bool Before(in T a, in T b);
}

/// <summary>
/// An array-backed binary heap of structs, reused across calls (Clear keeps the storage): the merge loops
/// of the SentencePiece and BPE tokenizers pop their best pair from one of these for every merge.
/// </summary>
internal sealed class BinaryHeap<T, TOrder> where T : struct where TOrder : IHeapOrder<T>
{
    private T[] _items = new T[64];

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    public void Push(T item)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        var h = _items;
        int i = Count++;
        while (i > 0)
        {
            int p = (i - 1) >> 1;
            if (!TOrder.Before(item, h[p])) break;
            h[i] = h[p];
            i = p;
        }
        h[i] = item;
    }

    public T Pop()
    {
        var h = _items;
        T top = h[0];
        T last = h[--Count];
        int n = Count;
        int i = 0;
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && TOrder.Before(h[c + 1], h[c])) c++;
            if (!TOrder.Before(h[c], last)) break;
            h[i] = h[c];
            i = c;
        }
        if (n > 0) h[i] = last;
        return top;
    }
}
