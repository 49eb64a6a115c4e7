using System.Diagnostics;

namespace Tcl.Notebooks;

/// <summary>
/// A page rendered by a headless Chromium (Debian's <c>chromium</c>), offline: a chart's static PNG for readers whose
/// viewer runs no scripts (code hosts), and the tests that check a page draws. The browser is <c>$TCL_CHROMIUM</c>, or
/// the first of chromium, chromium-browser, google-chrome on the PATH.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>The environment variable naming the browser executable.</summary>
    public const string Variable = "TCL_CHROMIUM";

    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

    /// <summary>The browser's path, or null when there is none.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set) return File.Exists(set) ? set : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => Names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>A PNG of <paramref name="html"/> in a <paramref name="width"/>×<paramref name="height"/> window.</summary>
    /// <exception cref="InvalidOperationException">No browser, or it failed (the message has its output).</exception>
    public static byte[] Screenshot(string html, int width, int height) => Run(html, width, height, screenshot: true).Png!;

    /// <summary>The page's DOM after its scripts ran (Chromium's <c>--dump-dom</c>).</summary>
    /// <exception cref="InvalidOperationException">No browser, or it failed.</exception>
    public static string DumpDom(string html) => Run(html, 1200, 800, screenshot: false).Stdout;

    private static (byte[]? Png, string Stdout) Run(string html, int width, int height, bool screenshot)
    {
        var browser = Find() ?? throw new InvalidOperationException(
            $"No headless browser: install Debian's 'chromium' or set {Variable} to a Chromium/Chrome executable.");
        var dir = Directory.CreateTempSubdirectory("tcl-chromium-").FullName;
        try
        {
            var page = Path.Combine(dir, "page.html");
            var png = Path.Combine(dir, "page.png");
            File.WriteAllText(page, html);
            var start = new ProcessStartInfo(browser) { RedirectStandardOutput = true, RedirectStandardError = true };
            // --no-sandbox: Chromium refuses to run as root with its sandbox (containers, CI); the page is our own.
            // The virtual time budget lets the page's scripts finish (plotly draws asynchronously) before the capture.
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=15000",
                         $"--user-data-dir={Path.Combine(dir, "profile")}", $"--window-size={width},{height}",
                         screenshot ? $"--screenshot={png}" : "--dump-dom", "--hide-scrollbars", new Uri(page).AbsoluteUri })
                start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{browser}' could not be started.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"'{browser}' did not finish rendering within 120 s.");
            }
            if (process.ExitCode != 0 || (screenshot && !File.Exists(png)))
                throw new InvalidOperationException($"'{browser}' failed (exit code {process.ExitCode}): {stderr.Result.Trim()}");
            return (screenshot ? File.ReadAllBytes(png) : null, stdout.Result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
