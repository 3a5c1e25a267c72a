using System.Text.Json;

namespace Baimo.Knowledge.Evaluation;

/// <summary>A passage of a SQuAD-format file.</summary>
public sealed record SquadPassage(string Id, string Title, string Context);

/// <summary>A question with its gold answer texts and the passage they come from.</summary>
public sealed record SquadQuestion(string Id, string Question, IReadOnlyList<string> Answers, string PassageId);

/// <summary>The passages and questions of a SQuAD-format JSON file (SQuAD 1.1, CMRC 2018, DRCD…).</summary>
public sealed record SquadDataset(IReadOnlyList<SquadPassage> Passages, IReadOnlyList<SquadQuestion> Questions)
{
    /// <summary>Reads <c>data[].paragraphs[].{context, qas[].{id, question, answers[].text}}</c>; questions without answers are skipped.</summary>
    public static SquadDataset Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var json = JsonDocument.Parse(stream);
        var passages = new List<SquadPassage>();
        var questions = new List<SquadQuestion>();
        foreach (var article in json.RootElement.GetProperty("data").EnumerateArray())
        {
            string title = article.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            int p = 0;
            foreach (var para in article.GetProperty("paragraphs").EnumerateArray())
            {
                string pid = para.TryGetProperty("id", out var id) ? id.GetString() ?? "" : $"{title}#{p}";
                if (pid.Length == 0) pid = $"{title}#{p}";
                p++;
                passages.Add(new SquadPassage(pid, title, para.GetProperty("context").GetString() ?? ""));
                foreach (var qa in para.GetProperty("qas").EnumerateArray())
                {
                    var answers = qa.GetProperty("answers").EnumerateArray()
                        .Select(a => a.GetProperty("text").GetString() ?? "")
                        .Where(a => a.Length > 0).Distinct().ToArray();
                    if (answers.Length == 0) continue;
                    questions.Add(new SquadQuestion(qa.GetProperty("id").GetString() ?? "",
                        qa.GetProperty("question").GetString() ?? "", answers, pid));
                }
            }
        }
        return new SquadDataset(passages, questions);
    }

    /// <summary>The first <paramref name="count"/> questions, with all passages (the distractors stay in the index).</summary>
    public SquadDataset Take(int count) => this with { Questions = Questions.Take(count).ToArray() };
}
