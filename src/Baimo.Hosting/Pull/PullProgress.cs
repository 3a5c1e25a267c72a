namespace Baimo.Hosting.Pull;

/// <summary>What a pull is doing now, for a progress line.</summary>
public enum PullPhase { Resolving, Waiting, Downloading, Verifying, Done }

/// <summary>A progress report: the phase, bytes so far of the total, and the recent speed (bytes per second).</summary>
public sealed record PullProgress(PullPhase Phase, string File, long Done, long Total, double BytesPerSecond, string? Message = null)
{
    /// <summary>Seconds left at the current speed; null while unknown.</summary>
    public double? EtaSeconds => BytesPerSecond > 0 && Total > Done ? (Total - Done) / BytesPerSecond : null;
}
