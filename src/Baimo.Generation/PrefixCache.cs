namespace Baimo.Generation;

/// <summary>Reuse of a cached prompt prefix: how many leading tokens of a new prompt need no evaluation.</summary>
public static class PrefixCache
{
    /// <summary>
    /// The length of the common prefix of the cached tokens and the prompt, at most prompt length − 1:
    /// the last prompt token is always evaluated again, because its logits are needed.
    /// </summary>
    public static int CommonPrefix(IReadOnlyList<int> cached, IReadOnlyList<int> prompt)
    {
        int common = 0;
        while (common < cached.Count && common < prompt.Count && cached[common] == prompt[common]) common++;
        return Math.Min(common, prompt.Count - 1);
    }
}
