using Baimo.Formats;
using Baimo.Formats.Gguf;
using Baimo.Kernels.Cpu;
using Baimo.Tensors;

namespace Baimo.Models;

/// <summary>
/// Resolves an architecture's tensors from a GGUF file or checkpoint directory, checking names and shapes. Architectures first
/// declare what they need (<see cref="Require"/> / <see cref="Optional"/>), then <see cref="ThrowIfMissing"/>
/// reports every missing or mis-shaped tensor in one error, then they take the tensors.
/// Matrices stay in the memory-mapped file; vectors (norm weights, biases) are dequantized to float arrays.
/// </summary>
public sealed unsafe class WeightSet(ITensorFile file)
{
    private readonly List<string> _problems = [];

    public ITensorFile File { get; } = file;

    /// <summary>Declares a required tensor of the given shape (innermost dimension first, as GGUF lists it).</summary>
    public void Require(string name, params long[] shape) => Check(name, shape, required: true);

    /// <summary>Declares an optional tensor; if present, its shape must match.</summary>
    public bool Optional(string name, params long[] shape) => Check(name, shape, required: false);

    private bool Check(string name, long[] shape, bool required)
    {
        var t = File.FindTensor(name);
        if (t is null)
        {
            if (required) _problems.Add($"missing tensor '{name}'");
            return false;
        }
        var actual = t.Shape.Reverse().SkipWhile(d => d == 1).Reverse().ToArray();
        var expected = shape.Reverse().SkipWhile(d => d == 1).Reverse().ToArray();
        if (!actual.SequenceEqual(expected))
            _problems.Add($"tensor '{name}' has shape [{string.Join(", ", t.Shape)}], expected [{string.Join(", ", shape)}]");
        else if (!WeightCodecs.IsSupported(t.Type))
            _problems.Add($"tensor '{name}' has weight type {t.TypeName}, which Baimo cannot compute with");
        return true;
    }

    /// <summary>Throws one <see cref="ModelLoadException"/> listing every problem found by the declarations.</summary>
    public void ThrowIfMissing(string architecture)
    {
        if (_problems.Count == 0) return;
        throw new ModelLoadException($"{Path.GetFileName(File.Path)} is not a usable '{architecture}' model: {string.Join("; ", _problems)}");
    }

    public bool Has(string name) => File.FindTensor(name) is not null;

    /// <summary>A matrix [out][in] over the mapped data.</summary>
    public WeightMatrix Matrix(string name)
    {
        var t = File.GetTensor(name);
        return WeightMatrix.Create(name, t.Type, File.GetTensorPointer(t), checked((int)t.RowCount), checked((int)t.RowLength));
    }

    /// <summary>A vector dequantized to floats: [n].</summary>
    public float[] Vector(string name)
    {
        var t = File.GetTensor(name);
        var result = new float[t.ElementCount];
        WeightCodecs.Get(t.Type, name).Dequantize(File.GetTensorData(t), result);
        return result;
    }

    public float[]? OptionalVector(string name) => Has(name) ? Vector(name) : null;
}
