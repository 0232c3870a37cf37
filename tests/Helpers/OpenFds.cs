namespace WarpDrive.Tests.Helpers;

/// <summary>Tests that count this process's open fds: they must not run beside tests that open files.</summary>
[CollectionDefinition(nameof(FdLeakCollection), DisableParallelization = true)]
public sealed class FdLeakCollection;

/// <summary>The fds of this process, from <c>/proc/self/fd</c>.</summary>
internal static class OpenFds
{
    public static int Count() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>How many open fds point at <paramref name="path"/>.</summary>
    public static int To(string path) =>
        Directory.GetFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == path;
            }
            catch (IOException)
            {
                return false; // closed between listing and reading
            }
        });

    /// <summary>True when a mapping of <paramref name="path"/> is still in <c>/proc/self/maps</c>.</summary>
    public static bool Mapped(string path) => File.ReadAllText("/proc/self/maps").Contains(path, StringComparison.Ordinal);
}
