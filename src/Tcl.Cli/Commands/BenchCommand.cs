using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tcl.Cli.Benchmarks;
using Tcl.Clip;
using TorchSharp;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl bench clip [--sizes 224,448] [--threads 2] [--runs 5] [--prompts FILE] [--out FILE]</c>: times the
/// ViT-B/16 image tower at each size (batch 1, fp32, no grad) and the tokenizer, prints a table and writes the
/// numbers with the machine's description as JSON (atomically). Peak memory is the process's resident peak.
/// <c>tcl bench train [--batch 8] [--size 224] [--runs 3] [--threads 2] [--decoder-only] [--recompute] [--out FILE]</c>:
/// times ViT-B/16 TCL training steps and reports the peak resident memory (VmHWM).
/// <c>tcl bench race [--iterations 2000] [--seconds S] [--gc-threads 1] [--threads 2] [--stop-at-first-failure] [--out FILE]</c>:
/// the TorchSharp Scalar finalizer-race stress test (<see cref="ScalarRaceStress"/>); exit 1 when any iteration failed.
/// <c>tcl bench segment [--width 500] [--height 375] [--runs 3] [--threads 2] [--exact-conv] [--fast-conv-tile 2|4] [--out FILE]</c>:
/// seconds per VOC-sized image, with the decoder's default Winograd F4 convolutions, F2, or conv2d (<c>--exact-conv</c>).
/// </summary>
/// <remarks>
/// The resident peak includes memory glibc's malloc keeps after libtorch frees it (ViT-B/16 training step, batch 8:
/// ~3.8–4.0 GB peak, of which ~0.6 GB is such retained memory). <c>MALLOC_MMAP_THRESHOLD_=65536</c> in the environment
/// makes every tensor an mmap that is returned on free (peak ~3.3 GB) but costs ~2 s per step in page faults; the
/// numbers in RESULTS.md are taken without it.
/// </remarks>
public static class BenchCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "comma-separated square image sides", DefaultValueFactory = _ => "224,448" };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
        var runs = new Option<int>("--runs") { Description = "measured runs per item (after one warm-up)", DefaultValueFactory = _ => 5 };
        var prompts = new Option<string?>("--prompts")
        {
            Description = "prompt file for the tokenizer (JSON lines with a 'prompt' field, or one prompt per line); " +
                          "default: the 5,202 evaluation prompts in tests/Tcl.Tests/spec-data/golden_prompt_tokens.jsonl when run from the repository",
        };
        var output = new Option<string>("--out") { Description = "where to write the JSON results", DefaultValueFactory = _ => "bench-clip.json" };
        var clip = new Command("clip", "Time the ViT-B/16 image tower and the CLIP tokenizer on this machine.") { sizes, threads, runs, prompts, output };
        clip.SetAction(parse => RunClip(
            parse.GetValue(sizes)!, parse.GetValue(threads), parse.GetValue(runs), parse.GetValue(prompts), parse.GetValue(output)!,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        var batch = new Option<int>("--batch") { Description = "images per training step", DefaultValueFactory = _ => 8 };
        var side = new Option<int>("--size") { Description = "training image side", DefaultValueFactory = _ => 224 };
        var trainRuns = new Option<int>("--runs") { Description = "measured steps (after one warm-up step)", DefaultValueFactory = _ => 3 };
        var trainThreads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
        var decoderOnly = new Option<bool>("--decoder-only") { Description = "freeze the grounder block (the first training phase)" };
        var recompute = new Option<bool>("--recompute")
        {
            Description = "recompute the image-level TCL pass through frozen CLIP during backward (TclModel.RecomputeMaskedImagePass)",
        };
        var trainOut = new Option<string>("--out") { Description = "where to write the JSON results", DefaultValueFactory = _ => "bench-train.json" };
        var train = new Command("train", "Time one ViT-B/16 TCL training step (forward, backward, clipping, AdamW) and the peak memory.")
        {
            batch, side, trainRuns, trainThreads, decoderOnly, recompute, trainOut,
        };
        train.SetAction(parse => RunTrain(parse.GetValue(batch), parse.GetValue(side), parse.GetValue(trainRuns), parse.GetValue(trainThreads),
            parse.GetValue(decoderOnly), parse.GetValue(recompute), parse.GetValue(trainOut)!, parse.InvocationConfiguration.Output));
        var segWidth = new Option<int>("--width") { Description = "original image width (VOC-sized: 500)", DefaultValueFactory = _ => 500 };
        var segHeight = new Option<int>("--height") { Description = "original image height (VOC-sized: 375)", DefaultValueFactory = _ => 375 };
        var segRuns = new Option<int>("--runs") { Description = "measured runs (after one warm-up)", DefaultValueFactory = _ => 3 };
        var segThreads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
        var segOut = new Option<string>("--out") { Description = "where to write the JSON results", DefaultValueFactory = _ => "bench-segment.json" };
        var exactConv = new Option<bool>("--exact-conv")
        {
            Description = "run the decoder's 3x3 convolutions as conv2d instead of the default Winograd fast path (TclModel.FastDecoderInference = null)",
        };
        var fastTile = new Option<int>("--fast-conv-tile") { Description = "Winograd output tile of the fast path: 2 = F(2x2,3x3), 4 = F(4x4,3x3) (default)", DefaultValueFactory = _ => 4 };
        var segment = new Command("segment", "Seconds per image of the evaluation protocol (ViT-B/16 TCL, with and without PAMR) and the VOC text classifier.")
        {
            segWidth, segHeight, segRuns, segThreads, exactConv, fastTile, segOut,
        };
        segment.SetAction(parse => RunSegment(parse.GetValue(segWidth), parse.GetValue(segHeight), parse.GetValue(segRuns),
            parse.GetValue(segThreads), parse.GetValue(exactConv) ? null : TileOf(parse.GetValue(fastTile)), parse.GetValue(segOut)!,
            parse.InvocationConfiguration.Output));
        var raceIterations = new Option<int>("--iterations") { Description = "iterations to run", DefaultValueFactory = _ => 2000 };
        var raceSeconds = new Option<double?>("--seconds") { Description = "stop after this many seconds even if iterations remain" };
        var raceCollectors = new Option<int>("--gc-threads") { Description = "threads forcing full garbage collections meanwhile", DefaultValueFactory = _ => 1 };
        var raceThreads = new Option<int>("--threads") { Description = "libtorch intra-op threads", DefaultValueFactory = _ => 2 };
        var raceStop = new Option<bool>("--stop-at-first-failure") { Description = "stop at the first crash or wrong result (time to failure)" };
        var raceOut = new Option<string>("--out") { Description = "where to write the JSON results", DefaultValueFactory = _ => "bench-race.json" };
        var race = new Command("race", "Stress the TorchSharp Scalar finalizer race: the library's tensor paths on a tiny model while other threads force collections.")
        {
            raceIterations, raceSeconds, raceCollectors, raceThreads, raceStop, raceOut,
        };
        race.SetAction(parse => RunRace(parse.GetValue(raceIterations), parse.GetValue(raceSeconds), parse.GetValue(raceCollectors),
            parse.GetValue(raceThreads), parse.GetValue(raceStop), parse.GetValue(raceOut)!, parse.InvocationConfiguration.Output));
        return new Command("bench", "Benchmarks whose numbers go into tests/benchmarks/RESULTS.md.") { clip, train, segment, race };
    }

    private static Tcl.Grounding.WinogradTile TileOf(int tile) => tile switch
    {
        2 => Tcl.Grounding.WinogradTile.F2,
        4 => Tcl.Grounding.WinogradTile.F4,
        _ => throw new ArgumentException($"--fast-conv-tile must be 2 or 4, got {tile}."),
    };

    private static int RunSegment(int width, int height, int runs, int threads, Tcl.Grounding.WinogradTile? fastConv, string outPath, TextWriter output)
    {
        torch.set_num_threads(threads);
        string conv = fastConv is { } t ? $"Winograd {t} decoder convs" : "conv2d decoder convs";
        output.WriteLine($"ViT-B/16 TCL segmentation, {width}x{height} image, official protocol, fp32, {threads} threads, {conv}, median of {runs} after 1 warm-up");
        var r = SegmentBenchmark.Run(ClipConfig.ViTB16, width, height, warmup: 1, runs, fastConv);
        long peak = BenchmarkClock.PeakResidentBytes();
        output.WriteLine($"  text classifier ({r.Prompts} prompts): {r.Classifier.Median:F2} s");
        output.WriteLine($"  image with PAMR:    {r.WithPamr.Median:F2} s (min {r.WithPamr.Min:F2}), {r.Windows} windows");
        output.WriteLine($"  image without PAMR: {r.WithoutPamr.Median:F2} s (min {r.WithoutPamr.Min:F2})");
        output.WriteLine($"  split (with PAMR): CLIP {r.Clip.Median:F2} s, grounder {r.Grounder.Median:F2} s, PAMR {r.Pamr.Median:F2} s, rest {r.RestSeconds:F2} s");
        output.WriteLine($"  peak resident memory: {peak / (1024.0 * 1024):F0} MiB");
        WriteJson(outPath, new
        {
            benchmark = "segment",
            machine = Machine(threads),
            image = new { width, height }, windows = r.Windows,
            decoder_conv = fastConv is { } tile ? $"winograd_{tile}" : "conv2d",
            classifier = new { prompts = r.Prompts, median_s = r.Classifier.Median },
            with_pamr = new { median_s = r.WithPamr.Median, min_s = r.WithPamr.Min, runs_s = r.WithPamr.Seconds },
            without_pamr = new { median_s = r.WithoutPamr.Median, min_s = r.WithoutPamr.Min, runs_s = r.WithoutPamr.Seconds },
            split_with_pamr = new { clip_s = r.Clip.Median, grounder_s = r.Grounder.Median, pamr_s = r.Pamr.Median, rest_s = r.RestSeconds },
            peak_resident_bytes = peak,
        });
        output.WriteLine($"wrote {outPath}");
        return 0;
    }

    private static int RunRace(int iterations, double? seconds, int collectors, int threads, bool stopAtFirst, string outPath, TextWriter output)
    {
        torch.set_num_threads(threads);
        output.WriteLine($"Scalar finalizer race stress: up to {iterations} iterations{(seconds is { } s ? $" or {s:F0} s" : "")}, " +
                         $"{collectors} collector thread(s), {threads} libtorch threads");
        // A long stress run is stopped by hand as often as it ends: Ctrl+C or SIGTERM finishes the current iteration and
        // writes what was measured, marked interrupted.
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var r = ScalarRaceStress.Run(iterations, seconds, collectors, stopAtFirst, interrupt.Token,
            p => output.WriteLine($"  … {p.Iterations} iterations, {p.Seconds:F0} s, {p.Collections} forced collections, {p.Crashes} crashes, {p.WrongResults} wrong"));
        output.WriteLine($"  {r.Iterations} iterations in {r.Seconds:F1} s ({r.Iterations / r.Seconds:F2}/s), {r.Collections} forced collections" +
                         (r.Interrupted ? " (interrupted)" : ""));
        output.WriteLine($"  crashes: {r.Crashes}, wrong results: {r.WrongResults}");
        if (r.FirstFailure is not null) output.WriteLine($"  first failure after {r.SecondsToFirstFailure:F1} s: {r.FirstFailure}");
        WriteJson(outPath, new
        {
            benchmark = "race",
            machine = Machine(threads),
            collector_threads = collectors,
            iterations = r.Iterations, seconds = r.Seconds, collections = r.Collections,
            crashes = r.Crashes, wrong_results = r.WrongResults,
            seconds_to_first_failure = r.SecondsToFirstFailure, first_failure = r.FirstFailure,
            interrupted = r.Interrupted,
        });
        output.WriteLine($"wrote {outPath}");
        return r.Passed ? (r.Interrupted ? 130 : 0) : 1;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;   // keep the process alive until the JSON is written
            interrupt.Cancel();
        }
    }

    private static int RunTrain(int batch, int side, int runs, int threads, bool decoderOnly, bool recompute, string outPath, TextWriter output)
    {
        torch.set_num_threads(threads);
        output.WriteLine($"ViT-B/16 TCL training step, batch {batch}, {side}x{side}, fp32, {threads} threads, " +
                         $"{(decoderOnly ? "decoder-only phase" : "grounder block trainable")}{(recompute ? ", recomputed image-level TCL pass" : "")}, " +
                         $"median of {runs} steps after 1 warm-up");
        var r = TrainStepBenchmark.Run(ClipConfig.ViTB16, batch, side, decoderOnly, recompute, warmup: 1, runs);
        long peak = BenchmarkClock.PeakResidentBytes();
        output.WriteLine($"  {r.Timing.Median:F2} s per step (min {r.Timing.Min:F2}) = {r.StepsPerSecond:F3} steps/s");
        output.WriteLine($"  peak resident memory: {peak / (1024.0 * 1024):F0} MiB");
        WriteJson(outPath, new
        {
            benchmark = "train",
            machine = Machine(threads),
            batch, side, decoder_only = decoderOnly, recompute_masked_image_pass = recompute,
            median_s = r.Timing.Median, min_s = r.Timing.Min, runs_s = r.Timing.Seconds, steps_per_s = r.StepsPerSecond,
            peak_resident_bytes = peak,
        });
        output.WriteLine($"wrote {outPath}");
        return 0;
    }

    private static object Machine(int threads) => new
    {
        Environment.ProcessorCount,
        os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        dotnet = Environment.Version.ToString(),
        threads,
    };

    /// <summary>Writes the results next to their final name first, then renames (never a half-written file).</summary>
    private static void WriteJson(string path, object report)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, path, overwrite: true);
    }

    private const string DefaultPrompts = "tests/Tcl.Tests/spec-data/golden_prompt_tokens.jsonl";

    private static int RunClip(string sizeList, int threads, int runs, string? promptFile, string outPath, TextWriter output, TextWriter error)
    {
        int[] sides;
        try { sides = sizeList.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); }
        catch (FormatException) { error.WriteLine($"error: --sizes expects comma-separated integers, got '{sizeList}'"); return 1; }
        if (runs < 1 || threads < 1) { error.WriteLine("error: --runs and --threads must be at least 1"); return 1; }

        torch.set_num_threads(threads);
        var config = ClipConfig.ViTB16;
        output.WriteLine($"ViT-B/16 image tower, batch 1, fp32, {threads} threads, median of {runs} runs after 1 warm-up");
        var vision = ClipBenchmark.RunVision(config.Vision, config.EmbedDim, sides, warmup: 1, runs);
        foreach (var r in vision)
            output.WriteLine($"  {r.Side}x{r.Side}: {r.Timing.Median:F3} s (min {r.Timing.Min:F3}), {r.Gflop:F1} GFLOP, {r.GflopPerSecond:F0} GFLOP/s");
        long peak = BenchmarkClock.PeakResidentBytes();
        output.WriteLine($"  peak resident memory: {peak / (1024.0 * 1024):F0} MiB");

        TokenizerResult? tok = null;
        var file = promptFile ?? (File.Exists(DefaultPrompts) ? DefaultPrompts : null);
        if (file is null) output.WriteLine($"tokenizer: skipped (no --prompts and no {DefaultPrompts} here)");
        else
        {
            tok = TokenizerBenchmark.Run(TokenizerBenchmark.ReadPrompts(file), warmup: 2, runs);
            output.WriteLine($"tokenizer: {tok.Prompts} prompts in {tok.Timing.Median * 1000:F1} ms = {tok.PromptsPerSecond:N0} prompts/s ({file})");
        }

        var report = new
        {
            benchmark = "clip",
            machine = Machine(threads),
            vision = vision.Select(r => new { side = r.Side, median_s = r.Timing.Median, min_s = r.Timing.Min, runs_s = r.Timing.Seconds, gflop = r.Gflop, gflop_per_s = r.GflopPerSecond }),
            peak_resident_bytes = peak,
            tokenizer = tok is null ? null : new { prompts = tok.Prompts, median_s = tok.Timing.Median, prompts_per_s = tok.PromptsPerSecond, file },
        };
        WriteJson(outPath, report);
        output.WriteLine($"wrote {outPath}");
        return 0;
    }
}
