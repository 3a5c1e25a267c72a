using System.Text;
using Microsoft.Extensions.AI;

namespace Baimo.Knowledge.Answers;

/// <summary>
/// The chat messages for a grounded answer: a system message with the rules, and a user message with the
/// numbered sources followed by the question. The sources go in the user turn because several chat templates
/// (Gemma, early Mistral) fold or drop a long system message.
/// </summary>
public static class PromptBuilder
{
    public static string SourceHeader(int number, string label) => $"[{number}] {label}";

    public static string SystemPrompt(AnswerLanguage language) =>
        "You answer questions using only the numbered sources in the user's message. " +
        "Cite the sources that support each statement by their numbers in square brackets, like [1] or [2][3], " +
        "and cite only numbers that appear in the list. " +
        "If the sources do not contain the answer, say that you do not know; do not use outside knowledge and do not guess. " +
        QuestionLanguage.ReplyIn(language);

    public static List<ChatMessage> Build(string question, IReadOnlyList<AnswerSource> sources, AnswerLanguage language)
    {
        var user = new StringBuilder("Sources:\n\n");
        for (int i = 0; i < sources.Count; i++)
        {
            if (i > 0) user.Append("\n\n");
            user.Append(SourceHeader(sources[i].Number, sources[i].Label)).Append('\n').Append(sources[i].PromptText);
        }
        user.Append("\n\nQuestion: ").Append(question.Trim());
        return [new ChatMessage(ChatRole.System, SystemPrompt(language)), new ChatMessage(ChatRole.User, user.ToString())];
    }
}
