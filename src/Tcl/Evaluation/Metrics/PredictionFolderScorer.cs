using Tcl.IO;

namespace Tcl.Evaluation.Metrics;

/// <summary>
/// Scores saved predictions: a folder of label PNGs named <c>{sample id}.png</c>, written by this toolkit or any other
/// method, against the ground-truth PNGs of a dataset, with the same <see cref="MeanIoU"/> as live evaluation — so
/// published methods' outputs and ours are measured by one piece of code. Both sides are read as stored values
/// (<see cref="LabelPng"/>); each prediction must have its ground truth's size (mmseg scores at the original
/// resolution).
/// </summary>
public static class PredictionFolderScorer
{
    /// <summary>Scores every sample; images are read and counted in parallel (the result does not depend on the order).
    /// Files holding ids outside the class range are listed in <see cref="SegmentationScores.OutOfRangeFiles"/>.</summary>
    /// <param name="predictionDir">Folder holding <c>{id}.png</c> for every sample.</param>
    /// <param name="samples">Sample ids with the path of their ground-truth PNG.</param>
    /// <param name="config">Number of classes, reduce_zero_label, ignore index, label map and class names.</param>
    /// <param name="progress">Receives the number of images scored so far.</param>
    /// <param name="maxParallelism">Images scored at once; 0 = one per processor.</param>
    /// <param name="cancellationToken">Stops between images.</param>
    /// <exception cref="FileNotFoundException">A prediction or ground-truth file is missing; the message names it (and how many others are).</exception>
    /// <exception cref="ArgumentException">Sample ids repeat, or there are no samples.</exception>
    /// <exception cref="InvalidDataException">A PNG is unreadable, or a prediction's size differs from its ground truth's; the message names the files.</exception>
    public static SegmentationScores Score(
        string predictionDir,
        IEnumerable<(string Id, string GroundTruthPath)> samples,
        SegmentationMetricConfig config,
        IProgress<int>? progress = null,
        int maxParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        var list = samples.ToList();
        if (list.Count == 0) throw new ArgumentException("No samples to score.", nameof(samples));
        var repeated = list.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new ArgumentException($"Sample id '{repeated.Key}' appears {repeated.Count()} times.", nameof(samples));

        var jobs = list.Select(s => (s.Id, Prediction: Path.Combine(predictionDir, s.Id + ".png"), s.GroundTruthPath)).ToList();
        CheckExist(jobs.Select(j => j.Prediction).ToList(), "prediction", $"in '{predictionDir}' (file name = sample id + .png)");
        CheckExist(jobs.Select(j => j.GroundTruthPath).ToList(), "ground-truth", "");

        var metric = new MeanIoU(config);
        var outOfRange = new System.Collections.Concurrent.ConcurrentBag<OutOfRangeFile>();
        int done = 0;
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount,
        };
        try
        {
            Parallel.ForEach(jobs, options, job => ScoreOne(metric, outOfRange, job.Prediction, job.GroundTruthPath, progress, ref done));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // Surface the first failure itself (it names the file), not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.Flatten().InnerExceptions[0]).Throw();
        }
        return metric.Scores() with { OutOfRangeFiles = outOfRange.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Side).ToList() };
    }

    private static void ScoreOne(MeanIoU metric, System.Collections.Concurrent.ConcurrentBag<OutOfRangeFile> outOfRange, string prediction, string groundTruth, IProgress<int>? progress, ref int done)
    {
        var gt = LabelPng.Read(groundTruth);
        var pred = LabelPng.Read(prediction);
        if (pred.Width != gt.Width || pred.Height != gt.Height)
            throw new InvalidDataException(
                $"Prediction '{prediction}' is {pred.Width}×{pred.Height} but its ground truth '{groundTruth}' is {gt.Width}×{gt.Height}; predictions must be at the ground truth's original resolution.");
        var areas = metric.Add(pred.Pixels, gt.Pixels, gt.Width, gt.Height);
        foreach (var file in OutOfRangeFile.Of(areas, groundTruth, prediction)) outOfRange.Add(file);
        progress?.Report(Interlocked.Increment(ref done));
    }

    private static void CheckExist(List<string> paths, string what, string where)
    {
        var missing = paths.Where(p => !File.Exists(p)).ToList();
        if (missing.Count == 0) return;
        string others = missing.Count > 1 ? $" ({missing.Count - 1} more {what} files are missing, e.g. '{missing[1]}')" : "";
        throw new FileNotFoundException($"Missing {what} file '{missing[0]}' {where}{others}.".Replace("  ", " ").Replace(" .", "."), missing[0]);
    }
}
