namespace Baimo.Hosting.Pull;

/// <summary>Where the hubs are and how patient a download is.</summary>
public sealed record PullSettings
{
    public string HuggingFaceEndpoint { get; init; } = HuggingFaceHub.DefaultEndpoint;
    public string ModelScopeEndpoint { get; init; } = ModelScopeHub.DefaultEndpoint;
    public string? HuggingFaceToken { get; init; }
    public string? ModelScopeToken { get; init; }
    /// <summary>Tries per download; each retry resumes from the bytes already on disk.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Pause before the first retry, doubled for each later one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>A connection that sends nothing for this long is dropped and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public const string HuggingFaceEndpointVariable = "BAIMO_HF_ENDPOINT";
    public const string ModelScopeEndpointVariable = "BAIMO_MODELSCOPE_ENDPOINT";

    /// <summary>
    /// Settings from the environment: <c>BAIMO_HF_ENDPOINT</c> (also the <c>HF_ENDPOINT</c> the Hugging Face
    /// tools use), <c>BAIMO_MODELSCOPE_ENDPOINT</c>, and the tokens <c>HF_TOKEN</c> / <c>MODELSCOPE_API_TOKEN</c>.
    /// </summary>
    public static PullSettings FromEnvironment()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        return new PullSettings
        {
            HuggingFaceEndpoint = Env(HuggingFaceEndpointVariable) ?? Env("HF_ENDPOINT") ?? HuggingFaceHub.DefaultEndpoint,
            ModelScopeEndpoint = Env(ModelScopeEndpointVariable) ?? ModelScopeHub.DefaultEndpoint,
            HuggingFaceToken = Env("HF_TOKEN"),
            ModelScopeToken = Env("MODELSCOPE_API_TOKEN"),
        };
    }
}
