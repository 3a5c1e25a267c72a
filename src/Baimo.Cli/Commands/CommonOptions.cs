using System.CommandLine;
using Baimo.Generation;

namespace Baimo.Cli.Commands;

/// <summary>Options shared by the commands that run a model.</summary>
internal static class CommonOptions
{
    public static Option<string> Model() =>
        new("--model", "-m") { Description = "GGUF model file, Hugging Face model directory (config.json + safetensors), or the name of a pulled model", Required = true };

    public static Option<int> Threads() =>
        new("--threads", "-t") { Description = "CPU threads (default: one per core)", DefaultValueFactory = _ => 0 };

    public static Option<int> Context(int defaultValue) =>
        new("--ctx", "-c") { Description = $"Context length in tokens (default: {(defaultValue > 0 ? defaultValue.ToString() : "the model's, at most 4096")})", DefaultValueFactory = _ => defaultValue };

    /// <summary>The sampling options, added to a command; <see cref="Read"/> turns a parse result into <see cref="SamplingOptions"/>.</summary>
    public sealed class Sampling
    {
        public readonly Option<float> Temp = new("--temp") { Description = "Temperature; 0 = greedy (default 0.8)", DefaultValueFactory = _ => 0.8f };
        public readonly Option<int> TopK = new("--top-k") { Description = "Keep the k most likely tokens; 0 = off (default 40)", DefaultValueFactory = _ => 40 };
        public readonly Option<float> TopP = new("--top-p") { Description = "Nucleus sampling threshold; 1 = off (default 0.95)", DefaultValueFactory = _ => 0.95f };
        public readonly Option<float> MinP = new("--min-p") { Description = "Drop tokens below min-p × the top probability; 0 = off (default 0.05)", DefaultValueFactory = _ => 0.05f };
        public readonly Option<float> Repeat = new("--repeat-penalty") { Description = "Penalty for recently seen tokens; 1 = off (default 1)", DefaultValueFactory = _ => 1.0f };
        public readonly Option<float> Frequency = new("--frequency-penalty") { Description = "Subtract count × this from seen tokens (default 0)" };
        public readonly Option<float> Presence = new("--presence-penalty") { Description = "Subtract this from seen tokens (default 0)" };
        public readonly Option<int?> Seed = new("--seed") { Description = "Random seed; the same seed gives the same text (default: random)" };

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Temp, TopK, TopP, MinP, Repeat, Frequency, Presence, Seed }) c.Options.Add(o);
        }

        public SamplingOptions Read(ParseResult pr)
        {
            var s = new SamplingOptions
            {
                Temperature = pr.GetValue(Temp),
                TopK = pr.GetValue(TopK),
                TopP = pr.GetValue(TopP),
                MinP = pr.GetValue(MinP),
                RepeatPenalty = pr.GetValue(Repeat),
                FrequencyPenalty = pr.GetValue(Frequency),
                PresencePenalty = pr.GetValue(Presence),
                Seed = pr.GetValue(Seed),
            };
            try { s.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            return s;
        }
    }
}
