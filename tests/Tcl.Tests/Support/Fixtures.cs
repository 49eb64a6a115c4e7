namespace Tcl.Tests.Support;

/// <summary>
/// Where the parity fixtures are: <c>TCL_FIXTURES_DIR</c> when set (other fixture sets produced the same way, other
/// seeds or sizes), else the copy under <c>fixtures/</c> shipped with the tests.
/// </summary>
public static class Fixtures
{
    public const string EnvironmentVariable = "TCL_FIXTURES_DIR";

    /// <summary>
    /// Trait name of every test class that reads the fixture set (directly, through helpers or through its class
    /// fixture); the value is <see cref="TraitValue"/>. CI runs those classes a second time against
    /// <c>fixtures-alt</c> with <c>--filter FixtureSet=reads</c>. <c>FixtureSetTraitTests</c> keeps the marks exact.
    /// </summary>
    public const string TraitName = "FixtureSet";

    /// <summary>Value of <see cref="TraitName"/>.</summary>
    public const string TraitValue = "reads";

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
