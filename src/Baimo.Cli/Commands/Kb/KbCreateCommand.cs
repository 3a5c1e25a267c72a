using System.CommandLine;
using Baimo.Knowledge;
using Baimo.Knowledge.Chunking;
using Baimo.Knowledge.Retrieval;

namespace Baimo.Cli.Commands.Kb;

/// <summary><c>baimo kb create NAME [--embed-model M] [--chunk-size N] [--overlap N]</c></summary>
internal static class KbCreateCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME") { Description = "Name of the new knowledge base" };
        var embed = new Option<string?>("--embed-model") { Description = "Embedding model (GGUF path or store name) for vector and hybrid search; without one the base is full-text only" };
        var size = new Option<int>("--chunk-size") { Description = "Chunk budget in tokens (default 240)", DefaultValueFactory = _ => new ChunkingOptions().ChunkTokens };
        var overlap = new Option<int>("--overlap") { Description = "Tokens repeated between neighbouring chunks (default 40)", DefaultValueFactory = _ => new ChunkingOptions().OverlapTokens };
        var hybrid = new Option<bool>("--hybrid") { Description = "Make hybrid (full text + vectors) the default search; needs --embed-model" };
        var cmd = new Command("create", "Create an empty knowledge base") { name, embed, size, overlap, hybrid };
        cmd.SetAction(pr =>
        {
            var n = pr.GetValue(name)!;
            var path = KbBases.PathOf(n);
            if (File.Exists(path)) throw new UsageException($"knowledge base '{n}' already exists ({path})");
            var chunking = new ChunkingOptions { ChunkTokens = pr.GetValue(size), OverlapTokens = pr.GetValue(overlap) };
            try { chunking.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var model = pr.GetValue(embed);
            if (pr.GetValue(hybrid) && model == null) throw new UsageException("--hybrid needs --embed-model");
            // A file path is recorded absolute so the base works from any directory; a store name stays a name.
            if (model != null && File.Exists(model)) model = Path.GetFullPath(model);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var embedder = model == null ? null : KbBases.LoadEmbedder(model);
            try
            {
                using var kb = KnowledgeBase.Create(path, new KnowledgeBaseOptions
                {
                    Chunking = chunking,
                    Embeddings = embedder,
                    EmbeddingModel = model,
                    DefaultSearchMode = pr.GetValue(hybrid) ? SearchMode.Hybrid : SearchMode.FullText,
                });
            }
            finally { embedder?.Model.Dispose(); }
            var o = pr.InvocationConfiguration.Output;
            o.WriteLine($"created knowledge base '{n}' at {path}");
            o.WriteLine($"  chunks of {chunking.ChunkTokens} tokens, {chunking.OverlapTokens} overlapping; " +
                        (model == null ? "full-text search only" : $"embeddings from {model}"));
            return Cli.Ok;
        });
        return cmd;
    }
}
