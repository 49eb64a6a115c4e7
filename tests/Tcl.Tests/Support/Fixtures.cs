namespace Tcl.Tests.Support;

/// <summary>
/// Where the parity fixtures are: <c>TCL_FIXTURES_DIR</c> when set (other fixture sets produced the same way, other
/// seeds or sizes), else the copy under <c>fixtures/</c> shipped with the tests.
/// </summary>
public static class Fixtures
{
    public const string EnvironmentVariable = "TCL_FIXTURES_DIR";

    public static string Dir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return string.IsNullOrWhiteSpace(fromEnv) ? System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures") : fromEnv;
        }
    }

    /// <summary>Full path of a fixture file; fails with the folder and the variable to set when it is absent.</summary>
    public static string Path(string name)
    {
        var path = System.IO.Path.Combine(Dir, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Fixture '{name}' not found in '{Dir}' (set {EnvironmentVariable} to a fixture folder).", path);
        return path;
    }

    /// <summary>Spec data shipped with the tests (class lists, goldens, parameter inventory).</summary>
    public static string SpecData(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "spec-data", name);
}
