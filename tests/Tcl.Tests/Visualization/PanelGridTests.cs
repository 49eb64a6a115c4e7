using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>Captioned panels as HTML: one figure per panel with its caption, balanced rows, pixelated pictures.</summary>
public class PanelGridTests
{
    [Theory]
    [InlineData(3, 6, 3)]
    [InlineData(5, 4, 3)]      // 3 + 2, not 4 + 1
    [InlineData(7, 6, 4)]      // 4 + 3, not 6 + 1
    [InlineData(8, 4, 4)]
    [InlineData(9, 4, 3)]      // 3 + 3 + 3, not 4 + 4 + 1
    [InlineData(1, 1, 1)]
    public void BalancedColumnsNeverOrphanAPanel(int count, int maxPerRow, int expected)
    {
        int columns = PanelGrid.BalancedColumns(count, maxPerRow);
        Assert.Equal(expected, columns);
        Assert.True(columns <= maxPerRow);
        int last = count - (count - 1) / columns * columns;
        Assert.True(count <= columns || last >= columns - 1, $"last row {last} of {columns}");
    }

    [Fact]
    public void HtmlHasEveryPanelWithItsEscapedCaption()
    {
        using var figure = PanelGrid.Of([new Image<Rgb24>(192, 192), new Image<Rgb24>(192, 192)], ["\"a red circle\"", "τ < 0.4"], title: "scene 3");
        var html = figure.ToHtml();
        Assert.Contains(">scene 3<", html);
        Assert.Equal(2, html.Split("<figure").Length - 1);
        Assert.Contains("<figcaption style=\"font-size: 0.85em; line-height: 1.3; margin-top: 0.2em\">&quot;a red circle&quot;</figcaption>", html);
        Assert.Contains("τ &lt; 0.4</figcaption>", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
        Assert.Contains("image-rendering: pixelated", html);
        Assert.Contains("grid-template-columns: repeat(2, max-content)", html);
        Assert.Equal(4, PanelGrid.Of([.. Enumerable.Range(0, 8).Select(_ => new Image<Rgb24>(192, 192))], [.. Enumerable.Range(0, 8).Select(i => $"{i}")]).ColumnCount);
        Assert.Throws<ArgumentException>(() => PanelGrid.Of([new Image<Rgb24>(1, 1)], []));
    }
}
