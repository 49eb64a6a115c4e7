using Tcl.Demo;
using Tcl.Tests.Data;
using Xunit;

namespace Tcl.Tests.Demo;

public class StageStampTests
{
    private sealed record Output(int Steps, string Note);

    [Fact]
    public void The_output_comes_back_for_the_same_inputs_only()
    {
        using var dir = new TempDir();
        var inputs = StageStamp.Inputs(new { seed = 3, world = new { size = 64 } });
        StageStamp.Write(dir.Path, inputs, new Output(12, "done"));

        Assert.Equal(new Output(12, "done"), StageStamp.Read<Output>(dir.Path, StageStamp.Inputs(new { seed = 3, world = new { size = 64 } })));
        Assert.Null(StageStamp.Read<Output>(dir.Path, StageStamp.Inputs(new { seed = 4, world = new { size = 64 } })));
        Assert.Null(StageStamp.Read<Output>(dir.Path, StageStamp.Inputs(new { seed = 3, world = new { size = 32 } })));
        Assert.Null(StageStamp.Read<Output>(dir.Path, StageStamp.Inputs(new { seed = 3 })));
    }

    [Fact]
    public void A_folder_without_a_readable_stamp_is_never_reused()
    {
        using var dir = new TempDir();
        var inputs = StageStamp.Inputs(new { seed = 1 });
        Assert.Null(StageStamp.Read<Output>(dir.Path, inputs));                                  // stage never finished
        File.WriteAllText(Path.Combine(dir.Path, StageStamp.FileName), "{ \"inputs\": { \"seed\": 1 }, \"output\": ");
        Assert.Null(StageStamp.Read<Output>(dir.Path, inputs));                                  // truncated
        File.WriteAllText(Path.Combine(dir.Path, StageStamp.FileName),
            $"{{ \"library\": \"{StageStamp.Build}\", \"inputs\": {{ \"seed\": 1 }}, \"output\": {{ \"other\": 2 }} }}");
        Assert.Null(StageStamp.Read<Output>(dir.Path, inputs));                                  // another stage's output
        File.WriteAllText(Path.Combine(dir.Path, StageStamp.FileName),
            "{ \"library\": \"0123\", \"inputs\": { \"seed\": 1 }, \"output\": { \"steps\": 2, \"note\": \"x\" } }");
        Assert.Null(StageStamp.Read<Output>(dir.Path, inputs));                                  // written by another build
        File.WriteAllText(Path.Combine(dir.Path, StageStamp.FileName),
            $"{{ \"library\": \"{StageStamp.Build}\", \"inputs\": {{ \"seed\": 1 }}, \"output\": {{ \"steps\": 2, \"note\": \"x\" }} }}");
        Assert.Equal(new Output(2, "x"), StageStamp.Read<Output>(dir.Path, inputs));            // the same, by this build
    }

    [Fact]
    public void The_stamp_is_written_in_one_piece_and_creates_its_folder()
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "clip");
        StageStamp.Write(folder, StageStamp.Inputs(new { a = 1 }), new Output(1, "x"));
        Assert.Equal([StageStamp.FileName], Directory.GetFiles(folder).Select(f => Path.GetFileName(f)!).ToArray());
    }
}
