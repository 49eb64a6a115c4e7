namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// Everything the toolkit knows about one evaluation benchmark, read from <c>data-manifests/&lt;key&gt;.json</c>: where
/// a user gets it, how to prepare it, where the files sit, how many there are, the class names in label order and the
/// label handling. One record per dataset key so that VOC and VOC20 (or Context and Context59), which share files but
/// not classes, are separate benchmarks as in the paper's table.
/// </summary>
/// <param name="Key">Catalog key (<c>voc</c>, <c>context</c>, <c>coco_object</c>, <c>voc20</c>, <c>context59</c>, <c>coco_stuff</c>, <c>cityscapes</c>, <c>ade20k</c>).</param>
/// <param name="DisplayName">Human name of the data (e.g. <c>PASCAL VOC 2012</c>), used in messages.</param>
/// <param name="PaperName">Name of the benchmark in the paper's table.</param>
/// <param name="MmsegType">The mmsegmentation dataset class the official evaluation uses.</param>
/// <param name="Downloads">Files to fetch by hand.</param>
/// <param name="Recipes">Addresses of the preparation recipes (mmsegmentation, TCL).</param>
/// <param name="Preparation">Conversion steps, in order, as text for the user.</param>
/// <param name="Layout">Where images and labels sit relative to the data root.</param>
/// <param name="ExpectedImages">Number of evaluation (val) images of the prepared dataset.</param>
/// <param name="ExpectedLabels">Number of label maps that go with them.</param>
/// <param name="ClassesFile">The class-name file inside <c>data-manifests/</c> (e.g. <c>classes/classes_voc21.txt</c>).</param>
/// <param name="ClassNames">Class names in label order (line k = label k − 1), verbatim as prompted.</param>
/// <param name="LabelEncoding">What the values of the label PNGs mean.</param>
/// <param name="LabelMapping">Relabelling the preparation applies (COCO-Object only), else <see langword="null"/>.</param>
/// <param name="Evaluation">Background, zero-label reduction and ignore index.</param>
/// <param name="Conventions">Conventions worth knowing (class order, verbatim names …).</param>
public sealed record BenchmarkManifest(
    string Key,
    string DisplayName,
    string PaperName,
    string MmsegType,
    IReadOnlyList<DownloadSource> Downloads,
    IReadOnlyList<string> Recipes,
    IReadOnlyList<string> Preparation,
    DatasetLayout Layout,
    int ExpectedImages,
    int ExpectedLabels,
    string ClassesFile,
    IReadOnlyList<string> ClassNames,
    string LabelEncoding,
    LabelMapping? LabelMapping,
    BenchmarkEvaluationSettings Evaluation,
    IReadOnlyList<string> Conventions)
{
    /// <summary>The manifest's path in the repository, as error messages cite it (e.g. <c>data-manifests/voc.json</c>).</summary>
    public string ManifestFile => $"{BenchmarkCatalog.ManifestFolder}/{Key}.json";

    /// <summary>Number of classes of the metric (including the background where there is one).</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>
    /// The names that become text prompts: all classes, or all but class 0 for datasets with background, whose score
    /// is the protocol's constant threshold instead.
    /// </summary>
    public IReadOnlyList<string> PromptedClassNames => Evaluation.WithBackground ? ClassNames.Skip(1).ToArray() : ClassNames;

    /// <summary>The sentence every data error ends with: where to read how to get and prepare the dataset.</summary>
    public string HowToPrepareHint => $"See {ManifestFile} for how to get and prepare {DisplayName}.";

    /// <summary>The key.</summary>
    public override string ToString() => Key;
}
