using System.CommandLine;
using Baimo.Hosting.Pull;

namespace Baimo.Cli.Commands;

/// <summary><c>baimo pull NAME</c>: downloads a GGUF model into the store (see docs/models.md for the name forms).</summary>
public static class PullCommand
{
    public static Command Build()
    {
        var name = new Argument<string>("NAME")
        {
            Description = "hf.co/OWNER/REPO:QUANT, hf.co/OWNER/REPO/FILE.gguf, modelscope.cn/OWNER/REPO:QUANT, or an alias such as qwen2.5:0.5b",
        };
        var cmd = new Command("pull", "Download a model into the local store") { name };
        cmd.SetAction(async (pr, ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var store = CliStore.Open();
            using var http = PullHttp.Create();
            var printer = new PullProgressPrinter(output, PullProgressPrinter.IsTerminal(output));
            PullResult result;
            try
            {
                result = await new ModelPuller(store, http, PullSettings.FromEnvironment()).PullAsync(pr.GetValue(name)!, printer, ct);
            }
            finally { printer.Finish(); }
            var m = result.Manifest;
            output.WriteLine(result.Downloaded
                ? $"pulled {m.Name}: {m.File} ({InspectCommand.FormatBytes(m.Size)}, {m.Architecture} {m.WeightType}), sha256 {m.Sha256} verified"
                : $"{m.Name} is up to date: {m.File} ({InspectCommand.FormatBytes(m.Size)}, {m.Architecture} {m.WeightType})");
            return Cli.Ok;
        });
        return cmd;
    }
}

/// <summary>The HTTP client for hub traffic: no overall timeout (a download may take hours; stalls are caught per read).</summary>
internal static class PullHttp
{
    public static HttpClient Create()
    {
        var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), AllowAutoRedirect = true })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("baimo/0.1");
        return http;
    }
}
