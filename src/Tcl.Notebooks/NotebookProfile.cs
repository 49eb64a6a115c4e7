namespace Tcl.Notebooks;

/// <summary>
/// The run profile a notebook reads to choose its sizes: <c>smoke</c> (seconds, for CI) or <c>full</c>. The runner
/// passes it as the environment variable <c>TCL_PROFILE</c> and as the C# variable <c>TclProfile</c>; a notebook opened
/// in an editor gets it with <c>var TclProfile = Tcl.Notebooks.NotebookProfile.Current;</c>.
/// </summary>
public static class NotebookProfile
{
    /// <summary>The environment variable that carries the profile.</summary>
    public const string EnvironmentVariable = "TCL_PROFILE";

    /// <summary>Small sizes, for CI and quick checks.</summary>
    public const string Smoke = "smoke";

    /// <summary>The sizes the notebook's prose talks about.</summary>
    public const string Full = "full";

    /// <summary>The profile in effect: <see cref="EnvironmentVariable"/>, or <see cref="Smoke"/> when unset or unknown.</summary>
    public static string Current =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { } p && IsKnown(p) ? p : Smoke;

    /// <summary>Whether <paramref name="profile"/> is <c>smoke</c> or <c>full</c>.</summary>
    public static bool IsKnown(string? profile) => profile is Smoke or Full;
}
