namespace Baimo.Knowledge.Analysis;

/// <summary>Splits normalised text into words; punctuation and whitespace produce no tokens.</summary>
public interface IWordSegmenter
{
    /// <summary>A stable name stored with an index, so a base knows which segmenter built it.</summary>
    string Name { get; }

    /// <summary>The words of <paramref name="text"/> in order, with offsets into it.</summary>
    IReadOnlyList<Token> Segment(string text);
}
