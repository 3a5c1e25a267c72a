namespace Baimo.Knowledge.Tests.Evaluation;

/// <summary>Where the CMRC 2018 development set is: $BAIMO_CMRC2018, else the shared data folder.</summary>
internal static class CmrcData
{
    public static string? Path
    {
        get
        {
            var p = Environment.GetEnvironmentVariable("BAIMO_CMRC2018");
            if (!string.IsNullOrEmpty(p) && System.IO.File.Exists(p)) return p;
            const string shared = "/work/shared/data/cmrc2018/cmrc2018_dev.json";
            return System.IO.File.Exists(shared) ? shared : null;
        }
    }
}

/// <summary>A fact that is skipped when the CMRC 2018 file is not on this machine.</summary>
public sealed class CmrcFactAttribute : FactAttribute
{
    public CmrcFactAttribute()
    {
        if (CmrcData.Path is null) Skip = "CMRC 2018 dev set not found (set BAIMO_CMRC2018)";
    }
}

/// <summary>A fact that runs only with BAIMO_EVAL_FULL=1: the full 3,219-question evaluation takes minutes.</summary>
public sealed class FullEvalFactAttribute : FactAttribute
{
    public FullEvalFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BAIMO_EVAL_FULL") != "1") Skip = "set BAIMO_EVAL_FULL=1 to run the full evaluation";
        else if (CmrcData.Path is null) Skip = "CMRC 2018 dev set not found (set BAIMO_CMRC2018)";
    }
}
