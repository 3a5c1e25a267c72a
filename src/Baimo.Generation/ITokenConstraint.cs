namespace Baimo.Generation;

/// <summary>
/// Restricts which tokens may come next (constrained decoding, e.g. "the output must be JSON matching this
/// schema"). The sampler asks it to mask the logits before every draw and tells it which token was chosen.
/// </summary>
public interface ITokenConstraint
{
    /// <summary>Sets the logits of every token that may not come next to −∞. logits: [vocab].</summary>
    void Mask(Span<float> logits);

    /// <summary>Advances the constraint past the chosen token.</summary>
    void Accept(int tokenId);

    /// <summary>True when the output so far is complete and generation should end.</summary>
    bool IsComplete { get; }
}
