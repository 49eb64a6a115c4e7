using Tcl.Evaluation.Benchmarks;
using Xunit;

namespace Tcl.Tests.Evaluation.Benchmarks;

public class SegmentationDatasetTests
{
    [Theory]
    [InlineData("voc")]
    [InlineData("voc20")]
    public void Voc_reads_the_split_file_in_its_order(string key)
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2012/JPEGImages", ".jpg", "VOCdevkit/VOC2012/SegmentationClass", ".png", "2007_000061", "2007_000033", "2007_000042");
        data.Text("VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt", "2007_000061", "2007_000033", "");

        IReadOnlyList<SegmentationSample> samples = SegmentationDataset.Open(key, data.Root).Samples();

        Assert.Equal(
        [
            new SegmentationSample("2007_000061", data.PathOf("VOCdevkit/VOC2012/JPEGImages/2007_000061.jpg"), data.PathOf("VOCdevkit/VOC2012/SegmentationClass/2007_000061.png")),
            new SegmentationSample("2007_000033", data.PathOf("VOCdevkit/VOC2012/JPEGImages/2007_000033.jpg"), data.PathOf("VOCdevkit/VOC2012/SegmentationClass/2007_000033.png")),
        ], samples);
    }

    [Theory]
    [InlineData("context")]
    [InlineData("context59")]
    public void Context_reads_voc2010_images_and_context_labels(string key)
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2010/JPEGImages", ".jpg", "VOCdevkit/VOC2010/SegmentationClassContext", ".png", "2008_000002", "2008_000008");
        data.Text("VOCdevkit/VOC2010/ImageSets/SegmentationContext/val.txt", " 2008_000008 ", "2008_000002");

        IReadOnlyList<SegmentationSample> samples = SegmentationDataset.Open(key, data.Root).Samples();

        Assert.Equal(["2008_000008", "2008_000002"], samples.Select(s => s.Id));
        Assert.Equal(data.PathOf("VOCdevkit/VOC2010/JPEGImages/2008_000008.jpg"), samples[0].ImagePath);
        Assert.Equal(data.PathOf("VOCdevkit/VOC2010/SegmentationClassContext/2008_000008.png"), samples[0].LabelPath);
    }

    [Theory]
    [InlineData("coco_object", "_instanceTrainIds.png")]
    [InlineData("coco_stuff", "_labelTrainIds.png")]
    public void Coco_scans_val2017_sorted_and_picks_its_label_suffix(string key, string labelSuffix)
    {
        using var data = new TinyBenchmarkFolder();
        foreach (string id in new[] { "000000000785", "000000000139", "000000000285" })
        {
            data.Image($"coco_stuff164k/images/val2017/{id}.jpg");
            data.Image($"coco_stuff164k/annotations/val2017/{id}.png");
            data.Image($"coco_stuff164k/annotations/val2017/{id}_labelTrainIds.png");
            data.Image($"coco_stuff164k/annotations/val2017/{id}_instanceTrainIds.png");
        }
        data.Text("coco_stuff164k/images/val2017/README.txt", "not an image");

        IReadOnlyList<SegmentationSample> samples = SegmentationDataset.Open(key, data.Root).Samples();

        Assert.Equal(["000000000139", "000000000285", "000000000785"], samples.Select(s => s.Id));
        Assert.Equal(data.PathOf("coco_stuff164k/images/val2017/000000000139.jpg"), samples[0].ImagePath);
        Assert.Equal(data.PathOf($"coco_stuff164k/annotations/val2017/000000000139{labelSuffix}"), samples[0].LabelPath);
    }

    [Fact]
    public void Cityscapes_scans_the_city_folders_recursively()
    {
        using var data = new TinyBenchmarkFolder();
        foreach (string id in new[] { "munster/munster_000000_000019", "frankfurt/frankfurt_000001_000058", "frankfurt/frankfurt_000000_000294", "lindau/lindau_000000_000019" })
        {
            data.Image($"cityscapes/leftImg8bit/val/{id}_leftImg8bit.png");
            data.Image($"cityscapes/gtFine/val/{id}_gtFine_labelTrainIds.png");
            data.Image($"cityscapes/gtFine/val/{id}_gtFine_labelIds.png");
        }

        IReadOnlyList<SegmentationSample> samples = SegmentationDataset.Open("cityscapes", data.Root).Samples();

        Assert.Equal(["frankfurt/frankfurt_000000_000294", "frankfurt/frankfurt_000001_000058", "lindau/lindau_000000_000019", "munster/munster_000000_000019"],
            samples.Select(s => s.Id));
        Assert.Equal(data.PathOf("cityscapes/leftImg8bit/val/lindau/lindau_000000_000019_leftImg8bit.png"), samples[2].ImagePath);
        Assert.Equal(data.PathOf("cityscapes/gtFine/val/lindau/lindau_000000_000019_gtFine_labelTrainIds.png"), samples[2].LabelPath);
    }

    [Fact]
    public void Ade20k_scans_validation_images()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("ade/ADEChallengeData2016/images/validation", ".jpg", "ade/ADEChallengeData2016/annotations/validation", ".png", "ADE_val_00000002", "ADE_val_00000001");

        IReadOnlyList<SegmentationSample> samples = SegmentationDataset.Open(BenchmarkCatalog.Get("ade20k"), data.Root).Samples();

        Assert.Equal(
        [
            new SegmentationSample("ADE_val_00000001", data.PathOf("ade/ADEChallengeData2016/images/validation/ADE_val_00000001.jpg"), data.PathOf("ade/ADEChallengeData2016/annotations/validation/ADE_val_00000001.png")),
            new SegmentationSample("ADE_val_00000002", data.PathOf("ade/ADEChallengeData2016/images/validation/ADE_val_00000002.jpg"), data.PathOf("ade/ADEChallengeData2016/annotations/validation/ADE_val_00000002.png")),
        ], samples);
    }

    [Fact]
    public void Missing_split_file_names_the_file_and_the_manifest()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2012/JPEGImages", ".jpg", "VOCdevkit/VOC2012/SegmentationClass", ".png", "2007_000033");

        var error = Assert.Throws<BenchmarkDataException>(() => SegmentationDataset.Open("voc", data.Root).Samples());

        string split = data.PathOf("VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt");
        Assert.Equal(split, error.Path);
        Assert.Contains($"split file '{split}' is missing", error.Message);
        Assert.EndsWith("See data-manifests/voc.json for how to get and prepare PASCAL VOC 2012.", error.Message);
    }

    [Fact]
    public void Missing_label_of_a_listed_id_names_the_file_and_counts()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2010/JPEGImages", ".jpg", "VOCdevkit/VOC2010/SegmentationClassContext", ".png", "2008_000002");
        data.Image("VOCdevkit/VOC2010/JPEGImages/2008_000008.jpg");
        data.Text("VOCdevkit/VOC2010/ImageSets/SegmentationContext/val.txt", "2008_000002", "2008_000008");

        var error = Assert.Throws<BenchmarkDataException>(() => SegmentationDataset.Open("context59", data.Root).Samples());

        string label = data.PathOf("VOCdevkit/VOC2010/SegmentationClassContext/2008_000008.png");
        Assert.Equal(label, error.Path);
        Assert.Contains("1 of 2 label files", error.Message);
        Assert.Contains(label, error.Message);
        Assert.Contains("data-manifests/context59.json", error.Message);
    }

    [Fact]
    public void Missing_label_of_a_scanned_image_is_an_error_too()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("ade/ADEChallengeData2016/images/validation", ".jpg", "ade/ADEChallengeData2016/annotations/validation", ".png", "ADE_val_00000001");
        data.Image("ade/ADEChallengeData2016/images/validation/ADE_val_00000002.jpg");

        var error = Assert.Throws<BenchmarkDataException>(() => SegmentationDataset.Open("ade20k", data.Root).Samples());

        Assert.Equal(data.PathOf("ade/ADEChallengeData2016/annotations/validation/ADE_val_00000002.png"), error.Path);
        Assert.Contains("1 of 2 label files", error.Message);
        Assert.Contains("data-manifests/ade20k.json", error.Message);
    }

    [Fact]
    public void Missing_image_of_a_listed_id_is_reported()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2012/JPEGImages", ".jpg", "VOCdevkit/VOC2012/SegmentationClass", ".png", "2007_000033");
        data.Image("VOCdevkit/VOC2012/SegmentationClass/2007_000042.png");
        data.Text("VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt", "2007_000033", "2007_000042");

        var error = Assert.Throws<BenchmarkDataException>(() => SegmentationDataset.Open("voc", data.Root).Samples());

        Assert.Equal(data.PathOf("VOCdevkit/VOC2012/JPEGImages/2007_000042.jpg"), error.Path);
        Assert.Contains("1 of 2 image files", error.Message);
    }

    [Theory]
    [InlineData("cityscapes", "cityscapes", "dataset folder")]
    [InlineData("coco_stuff", "coco_stuff164k/images/val2017", "image folder")]
    [InlineData("ade20k", "ade/ADEChallengeData2016/annotations/validation", "label folder")]
    public void Missing_folder_names_the_folder_and_the_manifest(string key, string missing, string what)
    {
        using var data = new TinyBenchmarkFolder();
        BenchmarkManifest manifest = BenchmarkCatalog.Get(key);
        if (what != "dataset folder")
        {
            Directory.CreateDirectory(data.PathOf($"{manifest.Layout.DataRoot}/{manifest.Layout.ImageDir}"));
            Directory.CreateDirectory(data.PathOf($"{manifest.Layout.DataRoot}/{manifest.Layout.LabelDir}"));
            Directory.Delete(data.PathOf(missing));
        }

        var error = Assert.Throws<BenchmarkDataException>(() => SegmentationDataset.Open(manifest, data.Root).Samples());

        Assert.Equal(data.PathOf(missing), error.Path);
        Assert.Contains($"the {what} '{data.PathOf(missing)}' is missing", error.Message);
        Assert.Contains($"See data-manifests/{key}.json for how to get and prepare {manifest.DisplayName}.", error.Message);
    }

    [Fact]
    public void Verify_compares_counts_with_the_manifest()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("VOCdevkit/VOC2012/JPEGImages", ".jpg", "VOCdevkit/VOC2012/SegmentationClass", ".png", "2007_000033", "2007_000042");
        data.Image("VOCdevkit/VOC2012/JPEGImages/2007_000061.jpg");
        data.Text("VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt", "2007_000033", "2007_000042", "2007_000061");

        DatasetVerification report = SegmentationDataset.Open("voc", data.Root).Verify();

        Assert.False(report.IsComplete);
        Assert.Equal((1449, 3, 1449, 2), (report.ExpectedImages, report.FoundImages, report.ExpectedLabels, report.FoundLabels));
        Assert.Equal([data.PathOf("VOCdevkit/VOC2012/SegmentationClass/2007_000061.png")], report.MissingFiles);
        Assert.StartsWith("PASCAL VOC 2012: expected 1449 images and 1449 labels, found 3 images and 2 labels.", report.Message);
        Assert.EndsWith("See data-manifests/voc.json for how to get and prepare PASCAL VOC 2012.", report.Message);
        var error = Assert.Throws<BenchmarkDataException>(report.ThrowIfIncomplete);
        Assert.Equal(report.Message, error.Message);
    }

    [Fact]
    public void Verify_accepts_a_dataset_with_the_expected_counts()
    {
        using var data = new TinyBenchmarkFolder();
        data.Pairs("cityscapes/leftImg8bit/val", "_leftImg8bit.png", "cityscapes/gtFine/val", "_gtFine_labelTrainIds.png", "lindau/lindau_000000_000019", "munster/munster_000000_000019");
        BenchmarkManifest twoImages = BenchmarkCatalog.Get("cityscapes") with { ExpectedImages = 2, ExpectedLabels = 2 };

        DatasetVerification report = SegmentationDataset.Open(twoImages, data.Root).Verify();

        Assert.True(report.IsComplete);
        Assert.DoesNotContain("See data-manifests", report.Message);
        report.ThrowIfIncomplete();
    }

    [Fact]
    public void Verify_reports_a_missing_folder_without_throwing()
    {
        using var data = new TinyBenchmarkFolder();

        DatasetVerification report = SegmentationDataset.Open("ade20k", data.Root).Verify();

        Assert.Equal((2000, 0, 0), (report.ExpectedImages, report.FoundImages, report.FoundLabels));
        Assert.Equal([data.PathOf("ade/ADEChallengeData2016")], report.MissingFiles);
        Assert.Contains("data-manifests/ade20k.json", report.Message);
    }
}
