using Baimo.Hosting.Store;

namespace Baimo.Cli;

/// <summary>The store the CLI works on: <c>BAIMO_MODELS</c> or <c>~/.baimo/models</c>, read when a command needs it.</summary>
internal static class CliStore
{
    public static ModelStore Open() => new(StoreLocation.Default());
}
