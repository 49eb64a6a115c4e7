namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// One file a user has to fetch by hand to prepare a benchmark. The toolkit never downloads datasets (licences,
/// registrations and sizes differ per dataset), so a manifest only tells where the official files are.
/// </summary>
/// <param name="Name">File or package name as the provider calls it (e.g. <c>VOCtrainval_11-May-2012.tar</c>).</param>
/// <param name="Url">Official address of the file or of the page that serves it.</param>
/// <param name="Note">What the file contains and where it goes.</param>
public sealed record DownloadSource(string Name, string Url, string Note);
