using Tcl.Clip.Weights;
using Tcl.Training;

namespace Tcl.Cli.Commands;

/// <summary>
/// The exit codes of the long-running commands (<c>demo</c>, <c>ablate</c>, <c>train</c>): the body's code, 130 when
/// cancelled (Ctrl+C), 3 when another run holds the output folder (waiting may help), 1 with the message on stderr
/// for the expected errors of the user's files and setup (each message names the file and what was expected).
/// </summary>
internal static class CommandErrors
{
    /// <summary>Another run is writing into the output folder (<see cref="OutputFolderException.InUse"/>).</summary>
    public const int FolderInUse = 3;

    public static int Run(string command, TextWriter stderr, Func<int> body, string cancelled = "cancelled.")
    {
        try
        {
            return body();
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine($"tcl {command}: {cancelled}");
            return 130;
        }
        catch (Exception e) when (IsUserError(e))
        {
            stderr.WriteLine($"tcl {command}: {e.Message}");
            return ExitCode(e);
        }
    }

    /// <summary>
    /// Errors that come from the user's files or setup, not from a bug: unreadable or wrong files (a shard, weights, a
    /// checkpoint, a config), an output folder in use or holding another run, a changed recipe on resume.
    /// </summary>
    public static bool IsUserError(Exception e) =>
        e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or WeightLoadException
            or RunConfigChangedException;

    /// <summary>The exit code of a user error: <see cref="FolderInUse"/> or 1.</summary>
    public static int ExitCode(Exception e) => e is OutputFolderException { InUse: true } ? FolderInUse : 1;
}
