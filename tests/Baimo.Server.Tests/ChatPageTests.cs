using System.Text.Json;
using Baimo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Baimo.Server.Tests;

/// <summary>
/// The chat page at <c>/</c>: served without a key even when one is configured, and driven end to end in
/// headless Chromium (Debian's <c>/usr/bin/chromium</c> through Playwright) against a real Kestrel server.
/// </summary>
public class ChatPageTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Key = "page-test-key";

    [Fact]
    public async Task ThePageIsOpenButEverythingElseStillNeedsTheKey()
    {
        await using var server = await TestServerHost.StartAsync(o => o with { ApiKey = Key });
        using var page = await server.Client.GetAsync("/");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Baimo chat</title>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);

        using var post = await server.Client.PostAsync("/", Http.Json("{}"));
        Assert.Equal(401, (int)post.StatusCode);
        Assert.Equal(401, (await Http.GetAsync(server.Client, "/v1/models")).Status);
        Assert.Equal(401, (await Http.GetAsync(server.Client, "/index.html")).Status);
        Assert.Equal(200, (await Http.GetAsync(server.Client, "/v1/models", Key)).Status);
    }

    [Fact]
    public async Task ChatsInHeadlessChromium()
    {
        if (!File.Exists(Chromium))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
                Assert.Fail($"{Chromium} is missing: CI must install Debian's chromium package (apt-get install chromium) for the chat page test.");
            output.WriteLine($"SKIPPED: {Chromium} is not installed (apt-get install chromium); the chat page was not tested in a browser.");
            return;
        }

        var options = new ServeOptions { ModelPath = TestServerHost.ChatModel, Host = "127.0.0.1", Port = 0, Parallel = 2, ContextLength = 1024, ApiKey = Key };
        await using var app = ServerApp.Build(options);
        await app.StartAsync();
        var baseUrl = app.Urls.Single();
        var profile = Directory.CreateTempSubdirectory("baimo-chromium-");
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync"],
                ViewportSize = new ViewportSize { Width = 1100, Height = 760 },
            });
            browser.SetDefaultTimeout(30_000);
            // Records every length the last assistant reply passes through, to see it grow while streaming.
            await browser.AddInitScriptAsync("""
                window.__replyLengths = [];
                new MutationObserver(() => {
                  const all = document.querySelectorAll('.msg.assistant .content');
                  if (!all.length) return;
                  const n = all[all.length - 1].textContent.length;
                  const l = window.__replyLengths;
                  if (l.length === 0 || l[l.length - 1] !== n) l.push(n);
                }).observe(document, { childList: true, subtree: true, characterData: true });
                """);
            var page = browser.Pages.Count > 0 ? browser.Pages[0] : await browser.NewPageAsync();
            var consoleErrors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };

            // The page loads without the key; its API calls are refused until the key is entered.
            var response = await page.GotoAsync(baseUrl + "/");
            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("401");
            Assert.Equal(0, await page.Locator("#model option").CountAsync());

            await page.FillAsync("#apikey", Key);
            await page.DispatchEventAsync("#apikey", "change");
            await Assertions.Expect(page.Locator("#model option")).Not.ToHaveCountAsync(0);
            var models = await page.Locator("#model option").AllTextContentsAsync();
            Assert.Contains("stories260K", models);
            await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
            Assert.Equal(Key, await page.EvaluateAsync<string>("localStorage.getItem('baimo.apiKey')"));

            // Shift+Enter is a newline, not a send.
            await page.FocusAsync("#input");
            await page.Keyboard.TypeAsync("line one");
            await page.Keyboard.PressAsync("Shift+Enter");
            await page.Keyboard.TypeAsync("line two");
            Assert.Equal("line one\nline two", await page.InputValueAsync("#input"));
            Assert.Equal(0, await page.Locator(".msg").CountAsync());

            // Enter sends; the reply streams in and grows.
            await page.FillAsync("#input", "");
            await page.FillAsync("#maxtokens", "64");
            await page.FocusAsync("#input");
            await page.Keyboard.TypeAsync("Once upon a time");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator(".msg.user")).ToHaveTextAsync("userOnce upon a time");
            await Assertions.Expect(page.Locator(".msg.assistant .content")).Not.ToBeEmptyAsync();
            await Assertions.Expect(page.Locator("#send")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#stop")).ToBeDisabledAsync();
            var lengths = await page.EvaluateAsync<int[]>("window.__replyLengths");
            output.WriteLine("reply lengths while streaming: " + string.Join(",", lengths));
            var grown = lengths.Where(n => n > 0).ToArray();
            Assert.True(grown.Length >= 2, "the reply should grow over several streamed chunks: " + string.Join(",", lengths));
            Assert.True(grown.Zip(grown.Skip(1)).All(p => p.Second > p.First), "the reply only grows: " + string.Join(",", lengths));
            var reply = await page.Locator(".msg.assistant .content").InnerTextAsync();
            output.WriteLine("reply: " + reply);
            Assert.False(string.IsNullOrWhiteSpace(reply));
            await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();

            // Stop aborts a request in flight (held back here so that it cannot finish first) and re-enables Send.
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await page.RouteAsync("**/v1/chat/completions", async route =>
            {
                held.TrySetResult();
                await release.Task;
                try { await route.AbortAsync(); } catch (PlaywrightException) { /* the page already gave up */ }
            });
            await page.FillAsync("#maxtokens", "1000");
            await page.FillAsync("#input", "Tell me a long story");
            await page.ClickAsync("#send");
            await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await Assertions.Expect(page.Locator("#send")).ToBeDisabledAsync();
            await Assertions.Expect(page.Locator("#stop")).ToBeEnabledAsync();
            await page.ClickAsync("#stop");
            await Assertions.Expect(page.Locator("#send")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#stop")).ToBeDisabledAsync();
            await Assertions.Expect(page.Locator(".msg.assistant .note").Last).ToHaveTextAsync("(stopped)");
            await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
            release.TrySetResult();
            await page.UnrouteAllAsync(new PageUnrouteAllOptions { Behavior = UnrouteBehavior.IgnoreErrors });

            // Stop on a real stream: a long reply (no token limit) either is cut short or has already ended.
            await page.FillAsync("#maxtokens", "");
            await page.FillAsync("#input", "Once upon a time there was a dragon");
            await page.ClickAsync("#send");
            await page.Locator("#stop").ClickAsync(new LocatorClickOptions { Force = true });
            await Assertions.Expect(page.Locator("#send")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();

            // The markdown renderer escapes HTML before formatting.
            var html = await page.EvaluateAsync<string>("md => window.baimoRenderMarkdown(md)",
                "<img src=x onerror=alert(1)> **bold** *it* `a<b`\n\n- one\n- two\n\n```js\n<script>x</script>\n```");
            output.WriteLine("markdown: " + html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<script>", html);
            Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
            Assert.Contains("<strong>bold</strong>", html);
            Assert.Contains("<em>it</em>", html);
            Assert.Contains("<code>a&lt;b</code>", html);
            Assert.Contains("<ul><li>one</li><li>two</li></ul>", html);
            Assert.Contains("<pre><code class=\"language-js\">&lt;script&gt;x&lt;/script&gt;</code></pre>", html);

            var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "chat-page.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
            output.WriteLine("screenshot: " + shot);
            Assert.True(new FileInfo(shot).Length > 0);
            foreach (var e in consoleErrors) output.WriteLine("console error: " + e);
            Assert.DoesNotContain(consoleErrors, e => !e.Contains("401", StringComparison.Ordinal));
        }
        finally
        {
            await app.StopAsync();
            try { profile.Delete(recursive: true); } catch (IOException) { /* a browser file still closing */ }
        }
    }
}
