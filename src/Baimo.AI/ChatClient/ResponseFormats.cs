using Baimo.Generation;
using Baimo.Tokenizers;
using MEAI = Microsoft.Extensions.AI;

namespace Baimo.AI;

/// <summary>Turns a requested response format into a token constraint that enforces it by constrained decoding.</summary>
public static class ResponseFormats
{
    /// <summary>Null for text; for JSON, a fresh constraint (one per request): any JSON object, or JSON valid against the schema.</summary>
    /// <exception cref="ArgumentException">The schema is malformed, unsatisfiable or uses what the constraint cannot enforce.</exception>
    public static ITokenConstraint? ConstraintFor(MEAI.ChatResponseFormat? format, Tokenizer tokenizer) => format switch
    {
        null or MEAI.ChatResponseFormatText => null,
        MEAI.ChatResponseFormatJson { Schema: { } schema } => JsonConstraint.ForSchema(tokenizer, schema),
        MEAI.ChatResponseFormatJson => JsonConstraint.ForJsonObject(tokenizer),
        _ => throw new NotSupportedException($"response_format {format.GetType().Name} is not supported"),
    };
}
