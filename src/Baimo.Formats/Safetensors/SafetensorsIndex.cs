using System.Text.Json;

namespace Baimo.Formats.Safetensors;

/// <summary>
/// Reads <c>model.safetensors.index.json</c>, the map of a sharded checkpoint: <c>weight_map</c> gives the
/// shard file of every tensor. Shard names must be plain file names in the same directory.
/// </summary>
internal static class SafetensorsIndex
{
    public static IReadOnlyDictionary<string, string> ReadWeightMap(string indexPath)
    {
        var bytes = File.ReadAllBytes(indexPath);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var r = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                throw new SafetensorsFormatException("the index must be a JSON object", "index", r.TokenStartIndex, indexPath);
            bool found = false;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                string key = r.GetString()!;
                r.Read();
                if (key != "weight_map") { r.Skip(); continue; }
                found = true;
                if (r.TokenType != JsonTokenType.StartObject)
                    throw new SafetensorsFormatException("weight_map must be an object of tensor name to file name", "weight_map", r.TokenStartIndex, indexPath);
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    string tensor = r.GetString()!;
                    r.Read();
                    long at = r.TokenStartIndex;
                    if (r.TokenType != JsonTokenType.String)
                        throw new SafetensorsFormatException($"the shard of '{tensor}' must be a file name", $"weight_map[{tensor}]", at, indexPath);
                    string file = r.GetString()!;
                    if (file.Length == 0 || file != Path.GetFileName(file) || file is "." or "..")
                        throw new SafetensorsFormatException($"shard '{file}' of '{tensor}' is not a plain file name in the checkpoint directory", $"weight_map[{tensor}]", at, indexPath);
                    if (!map.TryAdd(tensor, file))
                        throw new SafetensorsFormatException($"tensor '{tensor}' is listed twice", $"weight_map[{tensor}]", at, indexPath);
                }
            }
            if (!found) throw new SafetensorsFormatException("the index has no weight_map", "weight_map", 0, indexPath);
        }
        catch (InvalidOperationException)
        {
            throw new SafetensorsFormatException("a string is not valid UTF-8", "index", r.TokenStartIndex, indexPath);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"the index is not valid JSON: {e.Message.Split('\n')[0]}", "index",
                e.LineNumber == 0 ? e.BytePositionInLine ?? 0 : r.BytesConsumed, indexPath);
        }
        return map;
    }
}
