namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// The COCO-Object ground truth made from COCO-Stuff-164k raw label maps, as TCL's
/// <c>convert_dataset/convert_coco_object.py</c> writes it: the 80 thing ids become 1..80 (COCO-Stuff thing train-id
/// order), every stuff id and the unlabeled value 255 become 0 (background), so COCO-Object has no ignore region
/// (official <c>COCOObjectDataset</c>, <c>segmentation/datasets/coco_object.py</c>). For users who have COCO-Stuff but
/// not the converted <c>*_instanceTrainIds.png</c> files.
/// </summary>
/// <remarks>
/// The input is the raw map of <c>annotations/val2017/&lt;id&gt;.png</c> from <c>stuffthingmaps_trainval2017.zip</c>
/// (values 0..181, 255), decoded as raw indices — not mmseg's <c>_labelTrainIds.png</c>. The table is the manifest's
/// (<c>data-manifests/label-mappings/coco_object_label_mapping.json</c>). Raw values absent from it do not occur in
/// COCO-Stuff-164k; they become 255 (ignored) rather than being guessed into a class.
/// </remarks>
public static class CocoObjectLabels
{
    private static readonly Lazy<byte[]> Table = new(() =>
        (BenchmarkCatalog.Get("coco_object").LabelMapping
            ?? throw new InvalidOperationException("The coco_object manifest has no label_mapping.")).ToLookupTable());

    /// <summary>Maps a raw COCO-Stuff label map to COCO-Object labels.</summary>
    /// <param name="cocoStuffLabels">Raw COCO-Stuff values, one byte per pixel (any layout; the mapping is per value).</param>
    /// <returns>A new array of the same length with COCO-Object labels 0..80 (255 for values outside the mapping).</returns>
    public static byte[] FromCocoStuff(ReadOnlySpan<byte> cocoStuffLabels)
    {
        byte[] result = new byte[cocoStuffLabels.Length];
        FromCocoStuff(cocoStuffLabels, result);
        return result;
    }

    /// <summary>Maps a raw COCO-Stuff label map to COCO-Object labels into a caller's buffer (may be the input itself).</summary>
    /// <param name="cocoStuffLabels">Raw COCO-Stuff values, one byte per pixel.</param>
    /// <param name="destination">Receives the COCO-Object labels; at least as long as <paramref name="cocoStuffLabels"/>.</param>
    public static void FromCocoStuff(ReadOnlySpan<byte> cocoStuffLabels, Span<byte> destination)
    {
        if (destination.Length < cocoStuffLabels.Length)
            throw new ArgumentException($"Destination has {destination.Length} bytes, the labels {cocoStuffLabels.Length}.", nameof(destination));
        byte[] table = Table.Value;
        for (int i = 0; i < cocoStuffLabels.Length; i++)
            destination[i] = table[cocoStuffLabels[i]];
    }
}
