namespace Baimo.Knowledge.Answers;

/// <summary>The language an answer is given in; the knowledge base serves Chinese and English users.</summary>
public enum AnswerLanguage
{
    English,
    Chinese,
}

public static class QuestionLanguage
{
    /// <summary>
    /// Chinese when the question has at least as many Han characters as Latin words: "如何配置 Baimo server" is a
    /// Chinese question about an English-named product, "What does 知识库 mean?" an English one.
    /// </summary>
    public static AnswerLanguage Detect(string question)
    {
        int han = 0, latinWords = 0;
        bool inWord = false;
        foreach (var c in question)
        {
            if (c is >= '\u3400' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF') han++;
            bool latin = char.IsAsciiLetter(c);
            if (latin && !inWord) latinWords++;
            inWord = latin;
        }
        return han > 0 && han >= latinWords ? AnswerLanguage.Chinese : AnswerLanguage.English;
    }

    /// <summary>What is said, without calling a model, when nothing relevant was retrieved.</summary>
    public static string DontKnow(AnswerLanguage language) => language == AnswerLanguage.Chinese
        ? "我不知道。知识库中没有找到与这个问题相关的内容。"
        : "I don't know. The knowledge base has nothing relevant to this question.";

    /// <summary>The instruction naming the reply language, for the system message.</summary>
    public static string ReplyIn(AnswerLanguage language) => language == AnswerLanguage.Chinese
        ? "Reply in Simplified Chinese (简体中文), the language of the question."
        : "Reply in English, the language of the question.";
}
