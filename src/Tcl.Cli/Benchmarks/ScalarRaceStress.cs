using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Tcl.Clip;
using Tcl.Data;
using Tcl.Evaluation;
using Tcl.Grounding;
using Tcl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Cli.Benchmarks;

/// <summary>What one stress run saw.</summary>
/// <param name="Iterations">Iterations completed (each one fingerprinted).</param>
/// <param name="Crashes">Iterations that threw (TorchSharp's <c>ExternalException … toFloat at c10/core/Scalar.h</c> when a Scalar was freed mid-call).</param>
/// <param name="WrongResults">Iterations whose fingerprint differs from the first one's: a freed value read without failing.</param>
/// <param name="Collections">Forced full garbage collections (with finalizers run) while the iterations ran.</param>
/// <param name="SecondsToFirstFailure">Wall time until the first crash or wrong result, or null.</param>
/// <param name="FirstFailure">What the first failure was.</param>
/// <param name="Seconds">Wall time of the whole run.</param>
/// <param name="Interrupted">The run was stopped (Ctrl+C, SIGTERM) before its iteration or time limit.</param>
public sealed record ScalarRaceResult(int Iterations, int Crashes, int WrongResults, long Collections,
    double? SecondsToFirstFailure, string? FirstFailure, double Seconds, bool Interrupted = false)
{
    public bool Passed => Crashes == 0 && WrongResults == 0;
}

/// <summary>
/// Reproduces TorchSharp 0.107's finalizer race (upstream PRs #1434, #1496): a <see cref="Scalar"/> that TorchSharp
/// creates for a native call (the <c>1</c> of <c>a + b</c> → <c>add(b, 1)</c>, a <c>double</c> turned into a Scalar)
/// is unreachable once its handle has been read, so a collection on any thread can finalise it while libtorch reads
/// it. One iteration runs the library's tensor code paths on a tiny model — CLIP pre-training step, TCL training steps
/// in both phases (every loss term, gradient clipping, AdamW), sliding-window segmentation with PAMR, TCL and MaskCLIP
/// — from a fixed seed, and fingerprints every number it produced; other threads allocate and force full collections
/// with finalizers the whole time. Every iteration must finish and give the first iteration's fingerprint bit for bit.
/// </summary>
public static class ScalarRaceStress
{
    /// <summary>A 2-layer ViT on 32² images and a 1-layer text tower: milliseconds per iteration.</summary>
    public static ClipConfig TinyClip { get; } = new(16, new VisionConfig(32, 8, 32, 2, 2), new TextConfig(77, 49408, 16, 1, 2));

    /// <param name="iterations">Iterations to run (the run also stops at <paramref name="maxSeconds"/>).</param>
    /// <param name="maxSeconds">Wall-time limit; null = none.</param>
    /// <param name="collectorThreads">Threads that allocate and force full collections meanwhile.</param>
    /// <param name="stopAtFirstFailure">Stop as soon as an iteration fails (time-to-failure measurements).</param>
    /// <param name="interrupt">Ends the run after the current iteration; what was done so far is the result.</param>
    /// <param name="progress">Called with the result so far every <paramref name="progressEvery"/> iterations.</param>
    /// <param name="progressEvery">Iterations between progress reports.</param>
    public static ScalarRaceResult Run(int iterations, double? maxSeconds = null, int collectorThreads = 1, bool stopAtFirstFailure = false,
        CancellationToken interrupt = default, Action<ScalarRaceResult>? progress = null, int progressEvery = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(progressEvery);
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        long collections = 0;
        var collectors = Enumerable.Range(0, collectorThreads).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // Garbage of mixed sizes, then a blocking full collection and the finalizers it queued.
                var junk = new object[256];
                for (int i = 0; i < junk.Length; i++) junk[i] = new byte[64 + 97 * i];
                GC.KeepAlive(junk);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true, Name = "gc-pressure" }).ToList();

        string? expected = null, firstFailure = null;
        double? firstFailureAt = null;
        int done = 0, crashes = 0, wrong = 0;
        collectors.ForEach(t => t.Start());
        try
        {
            for (; done < iterations && (maxSeconds is null || clock.Elapsed.TotalSeconds < maxSeconds) && !interrupt.IsCancellationRequested; done++)
            {
                string? failure = null;
                try
                {
                    var fingerprint = Iteration(seed: 1234);
                    expected ??= fingerprint;
                    if (fingerprint != expected) { wrong++; failure = $"iteration {done}: fingerprint {fingerprint[..16]} ≠ {expected[..16]}"; }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    crashes++;
                    failure = $"iteration {done}: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
                }
                if (failure is not null && firstFailure is null) { firstFailure = failure; firstFailureAt = clock.Elapsed.TotalSeconds; }
                if ((done + 1) % progressEvery == 0)
                    progress?.Invoke(new ScalarRaceResult(done + 1, crashes, wrong, Interlocked.Read(ref collections), firstFailureAt, firstFailure, clock.Elapsed.TotalSeconds));
                if (failure is not null && stopAtFirstFailure) { done++; break; }
            }
        }
        finally
        {
            stop.Cancel();
            collectors.ForEach(t => t.Join());
        }
        return new ScalarRaceResult(done, crashes, wrong, Interlocked.Read(ref collections), firstFailureAt, firstFailure, clock.Elapsed.TotalSeconds,
            Interrupted: interrupt.IsCancellationRequested && done < iterations);
    }

    /// <summary>One deterministic pass over the library's tensor code; returns a hash of every number it produced.</summary>
    private static string Iteration(long seed)
    {
        using var scope = NewDisposeScope();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(Tensor t) => hash.AppendData(MemoryMarshal.AsBytes(t.detach().to(ScalarType.Float32).contiguous().data<float>().ToArray().AsSpan()));

        manual_seed(seed);
        var generator = new Generator((ulong)seed);
        var images = randn(new long[] { 4, 3, 32, 32 }, generator: generator);                 // [B, 3, 32, 32]
        string[] captions = ["a red circle on grass", "two blue squares", "a star above water", "sky"];
        var tokens = ClipTokenizer.Default.Tokenize(captions);                                  // [B, 77]
        var batch = new ImageTextBatch(images, tokens, captions, ["0", "1", "2", "3"]);

        // CLIP pre-training: one optimiser step of the symmetric contrastive loss.
        using (var clip = new ClipModel(TinyClip))
            Train(new ClipPretrainingObjective(clip), batch, steps: 1, Add);

        // TCL: a decoder-only step, then a full step (grounder block unfrozen), every loss term on.
        using var tcl = new TclModel(TinyClip);
        tcl.CopyGrounderFromClip();
        Train(new TclObjective(tcl, decoderOnlySteps: 1, seed), batch, steps: 2, Add);

        // Inference: sliding windows, PAMR, kp blend, background; TCL and MaskCLIP.
        tcl.eval();
        using (no_grad())
        {
            var protocol = EvaluationProtocol.Synthetic with { ShortSide = 40, CropSize = 32, Stride = 16 };
            var classifier = TextClassifier.Build(tcl.clip_text_encoder, ClipTokenizer.Default, ["red circle", "blue square", "sky"],
                PromptTemplates.Get(protocol.Templates));                                       // [3, E]
            var image = images[0].unsqueeze(0);                                                 // [1, 3, 32, 32]
            var input = nn.functional.interpolate(image, size: [40, 48], mode: InterpolationMode.Bilinear, align_corners: false);
            foreach (IWindowScorer scorer in new IWindowScorer[] { new TclWindowScorer(tcl, protocol), new MaskClipWindowScorer(tcl) })
            {
                using var result = new SlidingWindowSegmenter(scorer, protocol).Segment(input, classifier, withBackground: true, 40, 48);
                Add(result.Labels);
                if (result.Probabilities is not null) Add(result.Probabilities);
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static void Train(ITrainingObjective objective, ImageTextBatch batch, int steps, Action<Tensor> add)
    {
        using var optimizer = new AdamW(objective.OptimizedParameters, new AdamWConfig());
        var parameters = objective.OptimizedParameters.Select(p => p.Parameter).ToList();
        for (long step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            objective.BeginStep(step);
            optimizer.ZeroGrad();
            var loss = objective.ComputeLoss(batch);
            foreach (var term in loss.Terms.Values) add(term);
            loss.Total.backward();
            GradientClipping.ClipByGlobalNorm(parameters, 5.0);
            optimizer.Step(1e-3);
        }
        foreach (var (_, parameter) in objective.OptimizedParameters) add(parameter);
    }
}
