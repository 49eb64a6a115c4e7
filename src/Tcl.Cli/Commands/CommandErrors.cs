namespace Tcl.Cli.Commands;

/// <summary>
/// The exit codes of the long-running commands (<c>demo</c>, <c>ablate</c>): the body's code, 130 when cancelled
/// (Ctrl+C), 1 with <c>tcl NAME: message</c> on stderr for the expected file and data errors.
/// </summary>
internal static class CommandErrors
{
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
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            stderr.WriteLine($"tcl {command}: {e.Message}");
            return 1;
        }
    }
}
