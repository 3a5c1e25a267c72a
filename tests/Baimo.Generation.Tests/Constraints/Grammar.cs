using System.Text;
using System.Text.Json;
using Baimo.Generation.Constraints;

namespace Baimo.Generation.Tests.Constraints;

/// <summary>Runs the byte-level automaton over whole texts, without a tokenizer.</summary>
internal static class Grammar
{
    public static RootNode Schema(string json) => SchemaCompiler.Compile(JsonDocument.Parse(json).RootElement);

    /// <summary>How far <paramref name="text"/> gets: "complete" (a whole value that may end here), "prefix"
    /// (valid so far), or "rejected at N".</summary>
    public static string Run(RootNode root, string text)
    {
        var current = new CursorList();
        current.Add(JsonAutomaton.Initial(root));
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length; i++)
        {
            var next = new CursorList();
            for (int k = 0; k < current.Count; k++) JsonAutomaton.Step(current.Items[k], bytes[i], next);
            if (next.Count == 0) return $"rejected at {i}";
            next.Dedup();
            current = next;
        }
        for (int k = 0; k < current.Count; k++)
            if (JsonAutomaton.CanEnd(current.Items[k])) return "complete";
        return "prefix";
    }
}
