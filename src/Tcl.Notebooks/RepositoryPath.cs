namespace Tcl.Notebooks;

/// <summary>
/// Files of the repository from a notebook, wherever its process started: the runner runs from the repository root,
/// an editor usually from the notebook's folder. The root is the nearest folder, from the working directory up,
/// that holds <c>Tcl.Notebooks.sln</c>.
/// </summary>
public static class RepositoryPath
{
    /// <summary>The marker file of the repository root.</summary>
    public const string Marker = "Tcl.Notebooks.sln";

    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder from the working directory up holds the marker.</exception>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
            throw new DirectoryNotFoundException($"No '{Marker}' in '{Environment.CurrentDirectory}' or any folder above it: start the notebook inside the repository.");
        }
    }

    /// <summary>A path relative to the repository root, e.g. <c>tests/benchmarks/ablations-full-seed0.csv</c>.</summary>
    public static string Of(string relative) => Path.Combine(Root, relative);
}
