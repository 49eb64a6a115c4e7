namespace Tcl.Demo;

/// <summary>
/// Where a demo run puts its files under one output folder. Each stage owns one sub-folder, cleared when the stage
/// starts, so a re-run never mixes old and new files; nothing else in the output folder is touched.
/// </summary>
public sealed record DemoLayout(string Root)
{
    /// <summary>Everything the world stage writes (shards and benchmarks).</summary>
    public string DataRoot => Path.Combine(Root, "data");

    /// <summary>Training shards (<c>data/train/00000.tar</c> …).</summary>
    public string TrainShards => Path.Combine(Root, "data", "train");

    /// <summary>Data root of the synthetic benchmarks (<c>data/eval/synthetic/&lt;key&gt;/</c>).</summary>
    public string EvalRoot => Path.Combine(Root, "data", "eval");

    /// <summary>CLIP pre-training run (metrics, checkpoint).</summary>
    public string ClipRun => Path.Combine(Root, "clip");

    /// <summary>The exported CLIP weights TCL and the baseline load.</summary>
    public string ClipWeights => Path.Combine(Root, "clip", "clip.safetensors");

    /// <summary>TCL training run (metrics, checkpoint).</summary>
    public string TclRun => Path.Combine(Root, "tcl");

    /// <summary>The report folder: results tables, the HTML page, overlays, predictions.</summary>
    public string Report => Path.Combine(Root, "report");
}
