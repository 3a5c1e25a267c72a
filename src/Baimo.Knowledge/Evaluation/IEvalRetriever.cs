namespace Baimo.Knowledge.Evaluation;

/// <summary>A retrieval system under evaluation: returns passage texts best first.</summary>
public interface IEvalRetriever
{
    /// <summary>The name shown in the report.</summary>
    string Name { get; }

    /// <summary>The texts of the top <paramref name="k"/> hits for a question, best first.</summary>
    Task<IReadOnlyList<string>> RetrieveAsync(string question, int k, CancellationToken cancellationToken);
}
