using System.Net;
using System.Net.Sockets;
using System.Text;
using Baimo.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Baimo.Server.Tests;

/// <summary>The real HTTP server on a loopback port: streamed responses keep the connection open for the next request.</summary>
public class KestrelTests
{
    [Fact]
    public async Task AStreamedResponseKeepsTheConnectionAlive()
    {
        var options = new ServeOptions { ModelPath = TestServerHost.ChatModel, Host = "127.0.0.1", Port = 0, Parallel = 1, ContextLength = 256 };
        await using var app = ServerApp.Build(options);
        await app.StartAsync();
        try
        {
            var url = new Uri(app.Urls.Single());
            Assert.True(IPAddress.IsLoopback(IPAddress.Parse(url.Host)));
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, url.Port);
            var stream = tcp.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8);

            foreach (var body in new[]
            {
                """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"stream":true}""",
                """{"prompt":"Once","max_tokens":3,"stream":true}""",
            })
            {
                var path = body.Contains("messages") ? "/v1/chat/completions" : "/v1/completions";
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(bytes);

                var status = await reader.ReadLineAsync();
                Assert.Equal("HTTP/1.1 200 OK", status);
                var headers = new List<string>();
                for (string? line; (line = await reader.ReadLineAsync()) is { Length: > 0 };) headers.Add(line);
                Assert.DoesNotContain(headers, h => h.Equals("Connection: close", StringComparison.OrdinalIgnoreCase));
                Assert.Contains(headers, h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase));
                // Read chunks until the terminating zero-length chunk.
                var payload = new StringBuilder();
                while (true)
                {
                    var size = Convert.ToInt32((await reader.ReadLineAsync())!.Trim(), 16);
                    if (size == 0) { await reader.ReadLineAsync(); break; }
                    var chunk = new char[size];
                    int read = 0;
                    while (read < size) read += await reader.ReadAsync(chunk.AsMemory(read, size - read));
                    payload.Append(chunk);
                    await reader.ReadLineAsync();
                }
                Assert.EndsWith("data: [DONE]\n\n", payload.ToString());
            }
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
