namespace Baimo.Models.HuggingFace;

/// <summary>
/// Where the two halves of each rotated pair sit in a query/key projection. Hugging Face Llama rotates
/// dimension i with i + headDim/2 of the same head ("rotate half"); llama.cpp's Llama rotates adjacent
/// dimensions (2i, 2i+1). Both compute the same attention when the rows are reordered accordingly, so a
/// checkpoint is either run as stored with half-split (NeoX) rotary, or reordered for a GGUF file.
/// </summary>
public static unsafe class RotaryLayout
{
    /// <summary>
    /// Copies rows from the Hugging Face order into the GGUF order: within each head of
    /// <paramref name="headDim"/> rows, GGUF row 2i+j is Hugging Face row i + j·headDim/2 (j = 0, 1).
    /// Rows are opaque byte strings of <paramref name="rowBytes"/>, so any row-wise type works.
    /// </summary>
    /// <param name="src">[heads·headDim][rowBytes] in the Hugging Face order.</param>
    /// <param name="dst">[heads·headDim][rowBytes] in the GGUF order.</param>
    public static void HuggingFaceToGguf(byte* src, long rows, long rowBytes, int heads, byte* dst)
    {
        if (heads <= 0 || rows % heads != 0 || rows / heads % 2 != 0)
            throw new ArgumentException($"{rows} rows cannot be split into {heads} heads of an even size");
        long headDim = rows / heads, half = headDim / 2;
        for (long h = 0; h < heads; h++)
            for (long i = 0; i < half; i++)
                for (long j = 0; j < 2; j++)
                {
                    long from = h * headDim + j * half + i;
                    long to = h * headDim + 2 * i + j;
                    Buffer.MemoryCopy(src + from * rowBytes, dst + to * rowBytes, rowBytes, rowBytes);
                }
    }
}
