using System.Xml.Linq;

namespace Baimo.Architecture.Tests;

/// <summary>
/// The project-reference arrows of DESIGN.md are the only allowed ones: a lower layer never learns
/// about a higher one. A new project must be added to <see cref="Allowed"/> before it can build green.
/// </summary>
public class ReferenceArrowTests
{
    /// <summary>Project → the projects it may reference. The CLI sits on top and may use any library.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Baimo.Tensors"] = [],
        ["Baimo.Kernels.Cpu"] = ["Baimo.Tensors"],
        ["Baimo.Formats"] = ["Baimo.Tensors"],
        ["Baimo.Tokenizers"] = [],
        ["Baimo.Models"] = ["Baimo.Tensors", "Baimo.Kernels.Cpu", "Baimo.Formats", "Baimo.Tokenizers"],
        // The Jinja engine for chat templates stands alone: the generation loop and the server's tool-call
        // handling both use it, and it is tested against the reference renderings without a model.
        ["Baimo.Templates"] = [],
        ["Baimo.Generation"] = ["Baimo.Models", "Baimo.Templates"],
        ["Baimo.AI"] = ["Baimo.Generation"],
        ["Baimo.Knowledge"] = [],
        ["Baimo.Hosting"] = ["Baimo.AI", "Baimo.Knowledge", "Baimo.Templates"],
        ["Baimo.Server"] = ["Baimo.Hosting"],
        ["Baimo.Cli"] = ["Baimo.Hosting", "Baimo.Server", "Baimo.Models", "Baimo.Generation", "Baimo.Formats",
                         "Baimo.Tokenizers", "Baimo.Tensors", "Baimo.Kernels.Cpu", "Baimo.AI", "Baimo.Knowledge", "Baimo.Templates"],
    };

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Baimo.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("repository root not found");
    }

    private static IEnumerable<(string Project, string[] References)> Projects(string folder) =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot(), folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(p => (Path.GetFileNameWithoutExtension(p),
                XDocument.Load(p).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToArray()));

    [Fact]
    public void SourceProjectsReferenceOnlyWhatTheDesignAllows()
    {
        var violations = new List<string>();
        var projects = Projects("src").ToList();
        Assert.NotEmpty(projects);
        foreach (var (project, refs) in projects)
        {
            if (!Allowed.TryGetValue(project, out var allowed))
            {
                violations.Add($"{project} is not in the table of allowed references");
                continue;
            }
            violations.AddRange(refs.Where(r => !allowed.Contains(r)).Select(r => $"{project} → {r}"));
        }
        Assert.True(violations.Count == 0, "forbidden references: " + string.Join("; ", violations));
    }

    [Fact]
    public void TheAllowedTableItselfHasNoCycles()
    {
        var state = new Dictionary<string, int>();
        bool Cyclic(string p)
        {
            if (state.TryGetValue(p, out var s)) return s == 1;
            state[p] = 1;
            foreach (var r in Allowed.GetValueOrDefault(p, [])) if (Cyclic(r)) return true;
            state[p] = 2;
            return false;
        }
        Assert.DoesNotContain(Allowed.Keys, Cyclic);
    }

    [Fact]
    public void TestAndBenchmarkProjectsAreNeverReferencedBySource()
    {
        foreach (var (project, refs) in Projects("src"))
            Assert.DoesNotContain(refs, r => r.EndsWith(".Tests") || r.Contains("Bench"));
    }
}
