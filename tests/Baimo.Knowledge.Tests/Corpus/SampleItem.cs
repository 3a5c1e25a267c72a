namespace Baimo.Knowledge.Tests.Corpus;

/// <summary>Format-neutral content that the writers below turn into real files of each format.</summary>
public abstract record SampleItem;

public sealed record SampleHeading(int Level, string Text) : SampleItem;

public sealed record SampleParagraph(string Text) : SampleItem;

public sealed record SampleListItem(string Text, int Level = 0, bool Numbered = false) : SampleItem;

public sealed record SampleTable(string[] Header, string[][] Rows) : SampleItem;

public sealed record SampleCode(string Text) : SampleItem;
