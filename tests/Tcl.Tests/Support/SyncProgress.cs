namespace Tcl.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread (<see cref="Progress{T}"/> posts asynchronously).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
