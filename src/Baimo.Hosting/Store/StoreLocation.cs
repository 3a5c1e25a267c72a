namespace Baimo.Hosting.Store;

/// <summary>Where the store lives by default: <c>BAIMO_MODELS</c> when set, else <c>~/.baimo/models</c>.</summary>
public static class StoreLocation
{
    public const string EnvironmentVariable = "BAIMO_MODELS";

    public static string Default()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return env;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".baimo", "models");
    }
}
