namespace Tcl.Notebooks;

/// <summary>Where and why a notebook run stopped: the notebook, the 1-based cell number and the cell's error.</summary>
/// <param name="NotebookPath">The notebook that was run.</param>
/// <param name="CellNumber">1-based position of the failing cell among all the notebook's cells (markdown included),
/// as an editor numbers them.</param>
/// <param name="Message">The error: the exception text or the compiler diagnostics.</param>
public sealed record NotebookCellFailure(string NotebookPath, int CellNumber, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{NotebookPath}: cell {CellNumber} failed: {Message}";
}

/// <summary>A notebook cell failed (thrown by <see cref="NotebookRunResult.EnsureSuccess"/>).</summary>
public sealed class NotebookCellException(NotebookCellFailure failure) : Exception(failure.ToString())
{
    /// <summary>The failure this exception reports.</summary>
    public NotebookCellFailure Failure { get; } = failure;

    /// <summary>The notebook that was run.</summary>
    public string NotebookPath => Failure.NotebookPath;

    /// <summary>1-based number of the failing cell.</summary>
    public int CellNumber => Failure.CellNumber;
}

/// <summary>The outcome of one notebook run.</summary>
/// <param name="NotebookPath">The notebook that was run.</param>
/// <param name="OutputPath">Where the executed notebook (with outputs; partial after a failure) was written.</param>
/// <param name="CellsRun">Code cells executed (the failing one included).</param>
/// <param name="Elapsed">Wall time of the run, kernel start included.</param>
/// <param name="Failure">The first failing cell, or null when every cell ran.</param>
public sealed record NotebookRunResult(string NotebookPath, string OutputPath, int CellsRun, TimeSpan Elapsed, NotebookCellFailure? Failure)
{
    /// <summary>Whether every code cell ran without error.</summary>
    public bool Ok => Failure is null;

    /// <summary>Throws <see cref="NotebookCellException"/> when a cell failed; returns this result otherwise.</summary>
    public NotebookRunResult EnsureSuccess() => Failure is null ? this : throw new NotebookCellException(Failure);
}
