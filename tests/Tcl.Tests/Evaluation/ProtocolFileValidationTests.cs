using Tcl.Evaluation;
using Xunit;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// A protocol file with settings that cannot run is refused when it is read, naming the file and the field as the
/// JSON spells it (<c>stride</c>, not the C# <c>Stride</c>).
/// </summary>
public sealed class ProtocolFileValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-protocol-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string stride = "224", string crop = "448", string shortSide = "448", string longSide = "2048",
        string pamr = "true", string dilations = "[1, 2, 4, 8, 12, 24]", string templates = "\"custom\"", string iterations = "10")
    {
        var path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, $$"""
            { "name": "{{name}}", "version": 1, "short_side": {{shortSide}}, "long_side_max": {{longSide}}, "crop_size": {{crop}},
              "stride": {{stride}}, "pamr": {{pamr}}, "pamr_iterations": {{iterations}}, "pamr_dilations": {{dilations}},
              "kp_weight": 0.3, "background_threshold": 0.4, "templates": {{templates}} }
            """);
        return path;
    }

    public static TheoryData<string, string, string> BadFiles() => new()
    {
        { "stride-zero", "stride", "is 0" },
        { "stride-negative", "stride", "is -224" },
        { "crop-negative", "crop_size", "is -448" },
        { "short-negative", "short_side", "is -1" },
        { "long-zero", "long_side_max", "is 0" },
        { "unknown-templates", "templates", "\"photos\"" },
        { "no-dilations", "pamr_dilations", "at least one dilation" },
        { "zero-iterations", "pamr_iterations", "is 0" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadSettingIsRefusedNamingFileAndJsonField(string name, string field, string detail)
    {
        var path = name switch
        {
            "stride-zero" => Write(name, stride: "0"),
            "stride-negative" => Write(name, stride: "-224"),
            "crop-negative" => Write(name, crop: "-448"),
            "short-negative" => Write(name, shortSide: "-1"),
            "long-zero" => Write(name, longSide: "0"),
            "unknown-templates" => Write(name, templates: "\"photos\""),
            "no-dilations" => Write(name, dilations: "[]"),
            _ => Write(name, iterations: "0"),
        };
        var error = Assert.Throws<InvalidDataException>(() => EvaluationProtocol.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains($"field '{field}'", error.Message);
        Assert.Contains(detail, error.Message);
    }

    [Fact]
    public void EmptyDilationsAreFineWithoutPamr()
    {
        var protocol = EvaluationProtocol.Load(Write("no-pamr", pamr: "false", dilations: "[]"));
        Assert.False(protocol.Pamr);
    }

    [Fact]
    public void PresetsHaveNoProblems()
    {
        foreach (var preset in EvaluationProtocol.Presets) Assert.Empty(preset.Problems());
    }
}
