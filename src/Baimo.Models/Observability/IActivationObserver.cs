namespace Baimo.Models;

/// <summary>
/// Receives named intermediate activations during a forward pass (e.g. <c>attn_norm</c> of layer 3), so a
/// run can be dumped and compared tensor by tensor with a reference when outputs disagree. Called only
/// when an observer is attached; the data span is valid during the call only.
/// </summary>
public interface IActivationObserver
{
    /// <param name="name">Activation name, e.g. <c>attn_norm</c>, <c>ffn_out</c>, <c>logits</c>.</param>
    /// <param name="layer">Block index, or -1 outside the blocks.</param>
    /// <param name="data">Row-major <c>[rows][cols]</c> floats: one row per token of the batch.</param>
    void Observe(string name, int layer, ReadOnlySpan<float> data, int rows, int cols);
}
