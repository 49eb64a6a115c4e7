using Tcl.Evaluation;
using Xunit;

namespace Tcl.Tests.Evaluation;

/// <summary>The embedded template sets and Python's <c>str.format</c> for them.</summary>
public sealed class PromptTemplatesTests
{
    [Fact]
    public void CustomIsTheNineEvaluationTemplates()
    {
        var t = PromptTemplates.Get("custom");
        Assert.Equal(9, t.Count);
        Assert.Equal("itap of a {}.", t[0]);
        Assert.Equal("a photo of {}s.", t[^1]);
    }

    [Theory]
    [InlineData("simple", 1)]
    [InlineData("subset", 7)]
    [InlineData("maskclip", 5)]
    [InlineData("full_imagenet", 80)]
    [InlineData("plural", 1)]
    [InlineData("identity", 1)]
    public void OtherSetsByName(string name, int count)
    {
        Assert.Equal(count, PromptTemplates.Get(name).Count);
        Assert.Contains(name, PromptTemplates.Names);
    }

    [Fact]
    public void UnknownSetListsTheNames()
    {
        var e = Assert.Throws<ArgumentException>(() => PromptTemplates.Get("nope"));
        Assert.Contains("custom", e.Message);
        Assert.Equal("custom", PromptTemplates.Names[0]);
    }

    [Fact]
    public void FormatLikePython()
    {
        Assert.Equal("a photo of cats.", PromptTemplates.Format("a photo of {}s.", "cat"));
        Assert.Equal("bed ", PromptTemplates.Format("{}", "bed "));
        Assert.Equal("{x} a", PromptTemplates.Format("{{x}} {}", "a"));
        Assert.Throws<FormatException>(() => PromptTemplates.Format("{0}", "a"));
    }
}
