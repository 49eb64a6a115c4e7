"""Reference outputs of the RandAugment ops as timm 0.6.7 calls them in PIL (writes pil_ops.json).

Run with Debian's python3-pil and python3-numpy: python3 make_pil_ops.py
"""
import base64
import json

import numpy as np
import PIL
from PIL import Image, ImageEnhance, ImageOps

FILL = (124, 116, 104)
BILINEAR = Image.BILINEAR


def affine(img, m):
    return img.transform(img.size, Image.AFFINE, m, resample=BILINEAR, fillcolor=FILL)


def solarize_add(img, add, thresh=128):
    lut = [min(255, i + add) if i < thresh else i for i in range(256)]
    return img.point(lut * 3)


CASES = [
    ("AutoContrast", 0, lambda im, a: ImageOps.autocontrast(im)),
    ("Equalize", 0, lambda im, a: ImageOps.equalize(im)),
    ("Invert", 0, lambda im, a: ImageOps.invert(im)),
    ("Posterize", 1, lambda im, a: ImageOps.posterize(im, a)),
    ("Posterize", 3, lambda im, a: ImageOps.posterize(im, a)),
    ("Solarize", 26, lambda im, a: ImageOps.solarize(im, a)),
    ("Solarize", 128, lambda im, a: ImageOps.solarize(im, a)),
    ("SolarizeAdd", 99, solarize_add),
    ("Color", 0.19, lambda im, a: ImageEnhance.Color(im).enhance(a)),
    ("Color", 1.81, lambda im, a: ImageEnhance.Color(im).enhance(a)),
    ("Contrast", 0.19, lambda im, a: ImageEnhance.Contrast(im).enhance(a)),
    ("Contrast", 1.81, lambda im, a: ImageEnhance.Contrast(im).enhance(a)),
    ("Brightness", 0.19, lambda im, a: ImageEnhance.Brightness(im).enhance(a)),
    ("Brightness", 1.81, lambda im, a: ImageEnhance.Brightness(im).enhance(a)),
    ("Sharpness", 0.19, lambda im, a: ImageEnhance.Sharpness(im).enhance(a)),
    ("Sharpness", 1.81, lambda im, a: ImageEnhance.Sharpness(im).enhance(a)),
    ("Rotate", 27.0, lambda im, a: im.rotate(a, resample=BILINEAR, fillcolor=FILL)),
    ("Rotate", -13.5, lambda im, a: im.rotate(a, resample=BILINEAR, fillcolor=FILL)),
    ("ShearX", 0.27, lambda im, a: affine(im, (1, a, 0, 0, 1, 0))),
    ("ShearX", -0.1, lambda im, a: affine(im, (1, a, 0, 0, 1, 0))),
    ("ShearY", 0.2, lambda im, a: affine(im, (1, 0, 0, a, 1, 0))),
    ("TranslateXRel", 0.3, lambda im, a: affine(im, (1, 0, a * im.size[0], 0, 1, 0))),
    ("TranslateYRel", -0.17, lambda im, a: affine(im, (1, 0, 0, 0, 1, a * im.size[1]))),
]


def main():
    rng = np.random.default_rng(0)
    # Smooth-ish content plus noise, 24×20 (W×H), so that equalize has a non-zero step and shears move real structure.
    h, w = 20, 24
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([xx * 10, yy * 12, (xx + yy) * 5], axis=-1) + rng.integers(0, 40, (h, w, 3))
    pixels = np.clip(base, 0, 255).astype(np.uint8)
    img = Image.fromarray(pixels, "RGB")
    out = {"pillow": PIL.__version__, "width": w, "height": h,
           "input": base64.b64encode(pixels.tobytes()).decode(), "cases": []}
    for name, arg, fn in CASES:
        res = np.asarray(fn(img.copy(), arg), dtype=np.uint8)
        out["cases"].append({"op": name, "argument": arg, "output": base64.b64encode(res.tobytes()).decode()})
    # torchvision resized_crop on PIL: crop (left, top, right, bottom) then resize((S, S), BILINEAR).
    out["resizes"] = []
    for top, left, ch, cw, size in [(2, 3, 15, 17, 11), (0, 0, 20, 24, 32), (5, 1, 9, 9, 9)]:
        res = img.crop((left, top, left + cw, top + ch)).resize((size, size), BILINEAR)
        out["resizes"].append({"top": top, "left": left, "height": ch, "width": cw, "size": size,
                               "output": base64.b64encode(np.asarray(res, dtype=np.uint8).tobytes()).decode()})
    with open("pil_ops.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
