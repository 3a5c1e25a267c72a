using System.CommandLine;
using Baimo.Generation;
using Baimo.Models;

namespace Baimo.Cli.Commands;

/// <summary>
/// <c>baimo chat -m MODEL [--system TEXT]</c>: a multi-turn conversation in the terminal using the model's
/// chat template. Ctrl-C stops the reply being written (a second Ctrl-C at the prompt leaves);
/// <c>/bye</c> leaves; <c>/clear</c> starts over. Each turn reuses the cached prefix of the conversation.
/// </summary>
public static class ChatCommand
{
    public static Command Build()
    {
        var model = CommonOptions.Model();
        var system = new Option<string?>("--system", "-s") { Description = "System prompt" };
        var n = new Option<int>("--n-predict", "-n") { Description = "Most tokens per reply (default 1024)", DefaultValueFactory = _ => 1024 };
        var threads = CommonOptions.Threads();
        var ctx = CommonOptions.Context(0);
        var sampling = new CommonOptions.Sampling();
        var cmd = new Command("chat", "Talk with a model in the terminal (/bye to leave, Ctrl-C to stop a reply)") { model, system, n, threads, ctx };
        sampling.AddTo(cmd);
        cmd.SetAction(pr =>
        {
            var samplingOptions = sampling.Read(pr);
            using var m = ModelRegistry.LoadDecoder(ModelPaths.Resolve(pr.GetValue(model)!));
            using var session = m.CreateSession(pr.GetValue(ctx), pr.GetValue(threads));
            var generator = new TextGenerator(session);
            var formatter = new ChatFormatter(m.Tokenizer, m.ChatTemplate);
            var o = pr.InvocationConfiguration.Output;
            var messages = new List<ChatMessage>();
            if (pr.GetValue(system) is { Length: > 0 } sys) messages.Add(ChatMessage.System(sys));
            int baseCount = messages.Count;
            var options = new GenerationOptions { MaxTokens = pr.GetValue(n), Sampling = samplingOptions };

            CancellationTokenSource? reply = null;
            bool quit = false;
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                var r = reply;
                if (r is { IsCancellationRequested: false }) { e.Cancel = true; r.Cancel(); }
                else quit = true;
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                o.WriteLine($"Chatting with {Path.GetFileName(m.Path)}{(formatter.HasOwnTemplate ? "" : " (no chat template in the file: using ChatML)")}. /bye to leave, /clear to start over, Ctrl-C stops a reply.");
                while (!quit)
                {
                    o.Write(">>> ");
                    o.Flush();
                    var line = Console.In.ReadLine();
                    if (line is null || quit) break;
                    line = line.Trim();
                    if (line.Length == 0) continue;
                    if (line is "/bye" or "/exit" or "/quit") break;
                    if (line == "/clear")
                    {
                        messages.RemoveRange(baseCount, messages.Count - baseCount);
                        generator.Reset();
                        o.WriteLine("(conversation cleared)");
                        continue;
                    }
                    messages.Add(ChatMessage.User(line));
                    int[] prompt;
                    try
                    {
                        prompt = formatter.Tokenize(formatter.Render(messages));
                    }
                    catch (Baimo.Templates.TemplateException e)
                    {
                        messages.RemoveAt(messages.Count - 1);
                        o.WriteLine($"(the model's chat template refused this conversation: {e.Message})");
                        continue;
                    }
                    if (prompt.Length >= session.ContextLength)
                    {
                        messages.RemoveAt(messages.Count - 1);
                        o.WriteLine($"(the conversation no longer fits in the {session.ContextLength}-token context; /clear to start over)");
                        continue;
                    }
                    reply = new CancellationTokenSource();
                    var result = generator.Generate(prompt, options, chunk => { o.Write(chunk.Text); o.Flush(); }, reply.Token);
                    o.WriteLine();
                    if (result.FinishReason == FinishReason.Cancelled) o.WriteLine("(stopped)");
                    else if (result.FinishReason == FinishReason.ContextFull) o.WriteLine("(the context is full; /clear to start over)");
                    messages.Add(ChatMessage.Assistant(result.Text));
                    reply.Dispose();
                    reply = null;
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            return Cli.Ok;
        });
        return cmd;
    }
}
