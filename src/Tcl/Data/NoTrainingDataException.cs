namespace Tcl.Data;

/// <summary>
/// The training data yields no usable sample at all (every shard unreadable or empty, every image undecodable), or
/// no longer has the records a resume cursor points into: an endless stream over it would never produce a batch.
/// The message names the dataset and what was skipped.
/// </summary>
public sealed class NoTrainingDataException(string message) : IOException(message);
