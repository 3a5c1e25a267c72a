using System.Text.RegularExpressions;

namespace Baimo.Hosting.Pull;

/// <summary>Picks the repository file a reference means: the exact file, or the one .gguf whose name carries the quantization.</summary>
public static partial class GgufFileChooser
{
    public static HubFile Choose(ModelReference reference, IReadOnlyList<HubFile> files)
    {
        var ggufs = files.Where(f => f.Path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)).ToList();
        if (reference.File is { } wanted)
            return files.FirstOrDefault(f => f.Path == wanted)
                ?? files.FirstOrDefault(f => string.Equals(f.Path, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new PullException($"{reference.DisplayRepository} has no file {wanted}; its .gguf files: {List(ggufs)}");
        if (ggufs.Count == 0) throw new PullException($"{reference.DisplayRepository} holds no .gguf file");

        // Multimodal projector files sit beside the weights and carry quant names too; they are never the model.
        var candidates = ggufs.Where(f => !Path.GetFileName(f.Path).StartsWith("mmproj", StringComparison.OrdinalIgnoreCase)).ToList();
        var quant = reference.Quant;
        if (quant is null)
        {
            if (candidates.Count == 1) return candidates[0];
            quant = ModelReference.DefaultQuant;
        }
        var matches = candidates.Where(f => HasQuant(f.Path, quant)).ToList();
        var whole = matches.Where(f => !SplitPart().IsMatch(f.Path)).ToList();
        if (whole.Count == 1) return whole[0];
        if (whole.Count > 1)
            throw new PullException($"several files of {reference.DisplayRepository} match {quant}: {List(whole)}; name one as {reference.DisplayRepository}/FILE.gguf");
        if (matches.Count > 0)
            throw new PullException($"{reference.DisplayRepository} has {quant} only split into parts ({List(matches)}), which Baimo cannot load; pick another quantization");
        var available = candidates.Select(f => QuantOf(f.Path)).Where(q => q != null).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        throw new PullException($"no .gguf file of {reference.DisplayRepository} matches {quant}"
            + (reference.Quant is null ? " (the default)" : "")
            + $"; available: {(available.Count > 0 ? string.Join(", ", available) : "(none recognised)")} — files: {List(candidates)}");
    }

    /// <summary>The quantization appears in the file name as a whole token: Q4_K must not match Q4_K_M.</summary>
    private static bool HasQuant(string path, string quant)
    {
        var name = Path.GetFileName(path);
        for (int at = name.IndexOf(quant, StringComparison.OrdinalIgnoreCase); at >= 0; at = name.IndexOf(quant, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            bool startOk = at == 0 || !char.IsLetterOrDigit(name[at - 1]);
            int end = at + quant.Length;
            bool endOk = end == name.Length || !(char.IsLetterOrDigit(name[end]) || name[end] == '_');
            if (startOk && endOk) return true;
        }
        return false;
    }

    private static string? QuantOf(string path)
    {
        var m = QuantToken().Match(Path.GetFileName(path));
        return m.Success ? m.Value.ToUpperInvariant() : null;
    }

    private static string List(IEnumerable<HubFile> files) => string.Join(", ", files.Select(f => f.Path));

    [GeneratedRegex(@"(?i)(?<![a-z0-9])(IQ\d_[A-Z]+(_[A-Z]+)?|Q\d_K(_[SML]|_XL)?|Q\d_\d|BF16|F16|F32|FP16|FP32)(?![a-z0-9])")]
    private static partial Regex QuantToken();

    [GeneratedRegex(@"-\d{5}-of-\d{5}\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex SplitPart();
}
