namespace Baimo.Models;

/// <summary>
/// GGUF tensor names by role ("tensor names are data"). Per-layer names take the block index.
/// Which roles an architecture requires, and which it may omit, is declared by that architecture.
/// </summary>
public static class TensorNames
{
    public const string TokenEmbedding = "token_embd.weight";
    public const string TokenTypes = "token_types.weight";
    public const string PositionEmbedding = "position_embd.weight";
    public const string TokenEmbeddingNorm = "token_embd_norm.weight";
    public const string TokenEmbeddingNormBias = "token_embd_norm.bias";
    public const string OutputNorm = "output_norm.weight";
    public const string Output = "output.weight";

    public static string AttnNorm(int l) => $"blk.{l}.attn_norm.weight";
    public static string AttnQ(int l) => $"blk.{l}.attn_q.weight";
    public static string AttnK(int l) => $"blk.{l}.attn_k.weight";
    public static string AttnV(int l) => $"blk.{l}.attn_v.weight";
    public static string AttnQBias(int l) => $"blk.{l}.attn_q.bias";
    public static string AttnKBias(int l) => $"blk.{l}.attn_k.bias";
    public static string AttnVBias(int l) => $"blk.{l}.attn_v.bias";
    public static string AttnOutput(int l) => $"blk.{l}.attn_output.weight";
    public static string AttnOutputBias(int l) => $"blk.{l}.attn_output.bias";
    public static string AttnOutputNorm(int l) => $"blk.{l}.attn_output_norm.weight";
    public static string AttnOutputNormBias(int l) => $"blk.{l}.attn_output_norm.bias";
    public static string FfnNorm(int l) => $"blk.{l}.ffn_norm.weight";
    public static string FfnGate(int l) => $"blk.{l}.ffn_gate.weight";
    public static string FfnUp(int l) => $"blk.{l}.ffn_up.weight";
    public static string FfnUpBias(int l) => $"blk.{l}.ffn_up.bias";
    public static string FfnDown(int l) => $"blk.{l}.ffn_down.weight";
    public static string FfnDownBias(int l) => $"blk.{l}.ffn_down.bias";
    public static string LayerOutputNorm(int l) => $"blk.{l}.layer_output_norm.weight";
    public static string LayerOutputNormBias(int l) => $"blk.{l}.layer_output_norm.bias";
}
