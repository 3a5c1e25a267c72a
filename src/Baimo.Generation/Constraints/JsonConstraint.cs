using System.Text.Json;
using Baimo.Generation.Constraints;
using Baimo.Tokenizers;

namespace Baimo.Generation;

/// <summary>
/// Token constraints that make generation produce JSON: the OpenAI <c>response_format</c> types
/// <c>json_object</c> and <c>json_schema</c>. Each call returns a fresh constraint for one sequence; the
/// per-vocabulary tables are built on first use and cached per tokenizer instance.
/// </summary>
public static class JsonConstraint
{
    /// <summary>Output must be one JSON object (any keys and values).</summary>
    public static ITokenConstraint ForJsonObject(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new GrammarConstraint(tokenizer, SchemaCompiler.JsonObject);
    }

    /// <summary>
    /// Output must be JSON valid against <paramref name="schema"/>: type (and type arrays), properties,
    /// required, additionalProperties, min/maxProperties, items, prefixItems, minItems, maxItems, minLength, maxLength, enum,
    /// const, anyOf, oneOf, allOf (merged), nullable and local $ref ($defs, definitions). Declared properties
    /// are written in declaration order. minProperties and maxProperties are honoured; of the numeric bounds only a
    /// minimum ≥ 0 (no minus sign) is enforced; format and pattern are not.
    /// </summary>
    /// <exception cref="ArgumentException">The schema is malformed, unsatisfiable or uses an unsupported $ref.</exception>
    public static ITokenConstraint ForSchema(Tokenizer tokenizer, JsonElement schema)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new GrammarConstraint(tokenizer, SchemaCompiler.Compile(schema));
    }
}
