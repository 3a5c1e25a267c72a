namespace Baimo.Kernels.Cpu;

/// <summary>
/// Per-session state of the matrix products: the thread pool they run on and the scratch buffer their
/// converted activations go to (grown on demand, reused). One context serves one caller at a time.
/// </summary>
public sealed class MatMulContext : IDisposable
{
    public MatMulContext(CpuThreadPool pool)
    {
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
    }

    /// <summary>The threads the products run on (not owned: disposing the context leaves it running).</summary>
    public CpuThreadPool Pool { get; }

    internal ActivationBuffer Activations { get; } = new();

    public void Dispose() => Activations.Dispose();
}
