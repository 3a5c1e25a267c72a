namespace Baimo.Hosting.Pull;

/// <summary>
/// An exclusive lock held by opening a file with no sharing: the OS refuses a second open (on Unix .NET
/// takes an advisory lock), in this process or any other, and frees it even if the holder crashes.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, waiting while another holds it; <paramref name="waiting"/> is told once when it must wait.</summary>
    public static async Task<FileLock> AcquireAsync(string path, Action? waiting, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        bool told = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told) { waiting?.Invoke(); told = true; }
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException) when (OperatingSystem.IsWindows())
            {
                // Windows reports a file being deleted by its holder this way; it is gone a moment later.
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
