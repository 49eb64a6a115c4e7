using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Tcl.Notebooks;

/// <summary>
/// libtorch for a notebook kernel. An application finds <c>libLibTorchSharp.so</c> and libtorch beside its assemblies;
/// a kernel that restored the packages with <c>#r "nuget: …"</c> has them in the NuGet packages folder, in two packages
/// (TorchSharp's <c>runtimes/linux-x64/native</c> and libtorch's), where TorchSharp 0.107's own fallback (copying them
/// into one folder) fails to load the copy. Loading libtorch and then <c>libLibTorchSharp.so</c> by full path works:
/// the dynamic linker satisfies the second one's <c>libtorch.so</c>/<c>libc10.so</c>/<c>libtorch_cpu.so</c> needs with
/// the libraries already loaded, and TorchSharp's <c>[DllImport("LibTorchSharp")]</c> then finds it loaded.
/// Linux CPU builds only (the package this library is built with, from its <c>LibTorchPackage</c> metadata); elsewhere
/// TorchSharp's own loader applies.
/// </summary>
public static class LibTorchNatives
{
    /// <summary>Loads the native libraries if TorchSharp cannot find them itself; does nothing otherwise.</summary>
    /// <exception cref="DllNotFoundException">They are in the packages folder but cannot be loaded (the message says which).</exception>
    public static void Load()
    {
        var torchSharp = typeof(torch).Assembly;
        if (!OperatingSystem.IsLinux() || NativeLibrary.TryLoad("LibTorchSharp", torchSharp, null, out _)) return;
        if (Package() is not { } package) return;
        // <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var torchSharpVersionDir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(torchSharp.Location)!, "..", ".."));
        var packagesDir = Path.GetFullPath(Path.Combine(torchSharpVersionDir, "..", ".."));
        var libtorch = Path.Combine(packagesDir, package.Id, package.Version, "runtimes", "linux-x64", "native", "libtorch.so");
        var bridge = Path.Combine(torchSharpVersionDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(libtorch) || !File.Exists(bridge)) return; // not a NuGet layout: TorchSharp's loader explains
        LoadFile(libtorch);
        LoadFile(bridge);
    }

    private static void LoadFile(string path)
    {
        try
        {
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new DllNotFoundException($"libtorch for the notebook: '{path}' could not be loaded: {e.Message}", e);
        }
    }

    /// <summary>The libtorch package (id, version) this library was built with, e.g. libtorch-cpu-linux-x64 2.10.0.</summary>
    private static (string Id, string Version)? Package()
    {
        var value = typeof(LibTorchNatives).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchPackage")?.Value;
        return value?.Split('/') is [var id, var version] ? (id, version) : null;
    }
}
