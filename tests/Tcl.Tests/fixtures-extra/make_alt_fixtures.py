#!/usr/bin/python3
"""Alternative parity fixture set (tests/Tcl.Tests/fixtures-alt) from the OFFICIAL TCL code, other model sizes.

Same recipe as the shipped public set (see fixtures-alt/README.md): the official, unmodified modules of
kakaobrain/tcl (commit bc2b551e28a0d969d4c41067649bf9480060e624) are imported into Debian 12's Python 3.11 with
Debian's python3-torch 1.13.1 (CPU), einops 0.4.1 and ftfy 6.1.1 (their git tags), omegaconf 2.2.2 (Debian);
`sclip.load` returns a tiny random CLIP built from the official `sclip.model` classes; mmcv / webdataset / timm /
braceexpand are import-time stand-ins; mmseg's EncoderDecoder inference (0.26) is transcribed below (the public set
ran the real file; see the README for the exact differences: none in the code paths used).

Usage (no network; sources from git archives):
    git archive bc2b551 (kakaobrain/tcl)  -> $TCL_SRC
    git archive v0.4.1 (arogozhnikov/einops) -> $EINOPS_SRC ; git archive v6.1.1 (rspeer/python-ftfy) -> $FTFY_SRC
    TCL_SRC=... EINOPS_SRC=... FTFY_SRC=... /usr/bin/python3 make_alt_fixtures.py OUT_DIR [SHIPPED_FIXTURES_DIR]
The model-independent groups (tokenizer, pamr, miou) are copied from SHIPPED_FIXTURES_DIR (default ../fixtures).
"""
import copy
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.abspath(sys.argv[1])
SHIPPED = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "fixtures"))
TCL_SRC = os.environ["TCL_SRC"]
sys.path[:0] = [TCL_SRC, os.environ["EINOPS_SRC"], os.environ["FTFY_SRC"]]

SEED = 20261204
torch.set_num_threads(1)
torch.manual_seed(SEED)
np.random.seed(SEED)

# ----------------------------------------------------------------------------------------------- sizes of this set
# vision width: a multiple of 32 (the official get_norm_fn builds GroupNorm(32, C) eagerly for every norm choice)
DIMS = dict(embed_dim=24, image_resolution=40, vision_layers=2, vision_width=32, vision_heads=2, vision_patch_size=8,
            context_length=77, vocab_size=49408, transformer_width=8, transformer_heads=2, transformer_layers=3)
IE_FREEZE = DIMS["vision_layers"] - 1        # mirrors 11 of 12
SIZES = {
    "clip": {"B": 3, "hw": [40, 40]},
    "train": {"B": 3, "hw": [40, 40]},
    "infer": {"B": 2, "hw": [32, 32], "odd_hw": [37, 45], "classes": ["cat", "tree", "road", "boat"]},
    "seg": {"img_hw": [40, 62], "ori_hw": [46, 72], "crop": 28, "stride": 18, "classes": ["cat", "tree", "road", "boat"]},
}

# ----------------------------------------------------------------------------------------- import-time stand-ins
def stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


class Registry:
    def __init__(self, name):
        self.name, self._modules = name, {}

    def register_module(self, name=None):
        def deco(cls):
            self._modules[name or cls.__name__] = cls
            return cls
        return deco

    def build(self, cfg):
        cfg = dict(cfg)
        return self._modules[cfg.pop("type")](**cfg)


class Config(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e


import logging
stub("mmcv", Config=Config)
stub("mmcv.utils", Registry=Registry, get_logger=lambda name, log_file=None, log_level=logging.INFO: logging.getLogger(name))
stub("mmcv.runner", BaseModule=nn.Module, auto_fp16=lambda *a, **k: (lambda f: f), CheckpointLoader=object)
stub("mmcv.parallel"); stub("mmcv.parallel.data_container", DataContainer=object)
sys.modules["mmcv"].utils = sys.modules["mmcv.utils"]
stub("webdataset")
stub("braceexpand", braceexpand=lambda s: [s])
stub("timm"); stub("timm.data", create_transform=None)


class EncoderDecoder(nn.Module):
    """mmseg 0.26.0 EncoderDecoder: inference / slide_inference / whole_inference / simple_test, transcribed
    (mmseg.ops.resize = F.interpolate). BaseSegmentor.__init__ = nn.Module.__init__ here (TCLSegInference calls
    super(EncoderDecoder, self).__init__())."""

    def slide_inference(self, img, img_meta, rescale):
        h_stride, w_stride = self.test_cfg.stride
        h_crop, w_crop = self.test_cfg.crop_size
        batch_size, _, h_img, w_img = img.size()
        num_classes = self.num_classes
        h_grids = max(h_img - h_crop + h_stride - 1, 0) // h_stride + 1
        w_grids = max(w_img - w_crop + w_stride - 1, 0) // w_stride + 1
        preds = img.new_zeros((batch_size, num_classes, h_img, w_img))
        count_mat = img.new_zeros((batch_size, 1, h_img, w_img))
        for h_idx in range(h_grids):
            for w_idx in range(w_grids):
                y1 = h_idx * h_stride
                x1 = w_idx * w_stride
                y2 = min(y1 + h_crop, h_img)
                x2 = min(x1 + w_crop, w_img)
                y1 = max(y2 - h_crop, 0)
                x1 = max(x2 - w_crop, 0)
                crop_img = img[:, :, y1:y2, x1:x2]
                crop_seg_logit = self.encode_decode(crop_img, img_meta)
                preds += F.pad(crop_seg_logit, (int(x1), int(preds.shape[3] - x2), int(y1), int(preds.shape[2] - y2)))
                count_mat[:, :, y1:y2, x1:x2] += 1
        assert (count_mat == 0).sum() == 0
        preds = preds / count_mat
        if rescale:
            resize_shape = img_meta[0]['img_shape'][:2]
            preds = preds[:, :, :resize_shape[0], :resize_shape[1]]
            preds = F.interpolate(preds, size=img_meta[0]['ori_shape'][:2], mode='bilinear', align_corners=self.align_corners)
        return preds

    def whole_inference(self, img, img_meta, rescale):
        seg_logit = self.encode_decode(img, img_meta)
        if rescale:
            resize_shape = img_meta[0]['img_shape'][:2]
            seg_logit = seg_logit[:, :, :resize_shape[0], :resize_shape[1]]
            size = img_meta[0]['ori_shape'][:2]
            seg_logit = F.interpolate(seg_logit, size=size, mode='bilinear', align_corners=self.align_corners)
        return seg_logit

    def inference(self, img, img_meta, rescale):
        assert self.test_cfg.mode in ['slide', 'whole']
        ori_shape = img_meta[0]['ori_shape']
        assert all(_['ori_shape'] == ori_shape for _ in img_meta)
        if self.test_cfg.mode == 'slide':
            seg_logit = self.slide_inference(img, img_meta, rescale)
        else:
            seg_logit = self.whole_inference(img, img_meta, rescale)
        output = F.softmax(seg_logit, dim=1)
        flip = img_meta[0]['flip']
        if flip:
            flip_direction = img_meta[0]['flip_direction']
            assert flip_direction in ['horizontal', 'vertical']
            if flip_direction == 'horizontal':
                output = output.flip(dims=(3, ))
            elif flip_direction == 'vertical':
                output = output.flip(dims=(2, ))
        return output

    def simple_test(self, img, img_meta, rescale=True):
        seg_logit = self.inference(img, img_meta, rescale)
        seg_pred = seg_logit.argmax(dim=1)
        return list(seg_pred.cpu().numpy())


stub("mmseg"); stub("mmseg.models", EncoderDecoder=EncoderDecoder)

import torch.distributed as dist
dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29517", rank=0, world_size=1)

# ------------------------------------------------------------------------------------------------ official modules
import sclip
import sclip.model as smodel
import us
import utils
import datasets
from models.tcl.tcl import TCL  # noqa: F401  (registers the model)
import models
from models.tcl.pamr import PAMR

spec = importlib.util.spec_from_file_location("tcl_seg", os.path.join(TCL_SRC, "segmentation/evaluation/tcl_seg.py"))
tcl_seg = importlib.util.module_from_spec(spec); spec.loader.exec_module(tcl_seg)
spec = importlib.util.spec_from_file_location("seg_builder_src", os.path.join(TCL_SRC, "segmentation/evaluation/builder.py"))
with open(os.path.join(TCL_SRC, "segmentation/evaluation/builder.py")) as f:
    src = f.read()
# only build_dataset_class_tokens is used; its module imports mmseg dataset code at top level: execute that function alone
ns = {"torch": torch, "get_template": datasets.get_template}
start = src.index("def build_dataset_class_tokens")
exec(compile(src[start:src.index("\ndef ", start + 10)], "segmentation/evaluation/builder.py", "exec"), ns)
build_dataset_class_tokens = ns["build_dataset_class_tokens"]

# PAMR workaround (value-preserving, as in the public set): contiguous inputs for LocalAffinity's view().
_pamr_forward = PAMR.forward
PAMR.forward = lambda self, x, mask: _pamr_forward(self, x.contiguous(), mask.contiguous())


# ------------------------------------------------------------------------------------------------------ tiny CLIP
def build_tiny_clip():
    d = DIMS
    # CLIP.__init__ hard-codes vision heads = width // 64 (= 0 here): build it with a placeholder width, then replace
    # .visual by the official VisionTransformer with the intended width/heads (parameter names unchanged).
    model = smodel.CLIP(d["embed_dim"], d["image_resolution"], d["vision_layers"], 64, d["vision_patch_size"],
                        d["context_length"], d["vocab_size"], d["transformer_width"], d["transformer_heads"], d["transformer_layers"])
    model.visual = smodel.VisionTransformer(input_resolution=d["image_resolution"], patch_size=d["vision_patch_size"],
                                            width=d["vision_width"], layers=d["vision_layers"], heads=d["vision_heads"],
                                            output_dim=d["embed_dim"])
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            n = torch.randn(p.shape, generator=g)
            if name.endswith(("ln_1.weight", "ln_2.weight", "ln_pre.weight", "ln_post.weight", "ln_final.weight")):
                p.add_(0.1 * n)
            elif name.endswith("bias"):
                p.add_(0.05 * n)
            elif "embedding" in name:
                p.add_(0.02 * n)
            elif name == "logit_scale":
                pass
            else:
                p.add_(0.1 * p.std() * n)
    return model.float().eval()


CLIP_SD = {k: v.clone() for k, v in build_tiny_clip().state_dict().items()}


def patched_load(name, device="cpu", jit=False, download_root=None):
    model = build_tiny_clip()
    model.load_state_dict(CLIP_SD)
    return model.to(device), None


sclip.load = patched_load

# ------------------------------------------------------------------------------------------------------ TCL model
cfg = utils.load_config(os.path.join(TCL_SRC, "configs/tcl.yml"))
cfg.model.clip_model = "ViT-Alt-8-fixture"
cfg.model.ie_freeze = IE_FREEZE
model = models.build_model(cfg.model)

g = torch.Generator().manual_seed(SEED + 2)
with torch.no_grad():
    for name, p in model.named_parameters():
        if not name.startswith("masker.") or name.startswith("masker.sim2mask."):
            continue
        n = torch.randn(p.shape, generator=g)
        if name.endswith("gate"):
            sign = 1.0 if torch.rand(1, generator=g).item() < 0.5 else -1.0
            p.fill_(sign * (0.3 + 0.6 * torch.rand(1, generator=g).item()))
        elif name.endswith("norm.weight") or name.endswith("ln.weight") or name.endswith(("ln_1.weight", "ln_2.weight")):
            p.add_(0.1 * n)
        elif name.endswith("bias"):
            p.add_(0.05 * n)
        else:
            std = p.std().item() if p.numel() > 1 else 0.0
            p.add_(0.1 * (std if std > 0 else 0.02) * n)
TCL_SD = {k: v.detach().clone() for k, v in model.state_dict().items()}

# --------------------------------------------------------------------------------------------------------- output
os.makedirs(OUT, exist_ok=True)
MANIFEST = {"env": {"set": "alt", "seed": SEED, "threads": 1, "torch": torch.__version__, "numpy": np.__version__,
                    "python": sys.version.split()[0], "tcl_commit": "bc2b551e28a0d969d4c41067649bf9480060e624",
                    "einops": "0.4.1", "ftfy": "6.1.1", "omegaconf": "2.2.2", "dims": DIMS, "sizes": SIZES},
            "files": {}}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for key in sorted(tensors):
        t = tensors[key].detach().cpu().contiguous()
        if t.dtype == torch.float32:
            dtype, raw = "F32", t.numpy().astype("<f4").tobytes()
        elif t.dtype == torch.int64:
            dtype, raw = "I64", t.numpy().astype("<i8").tobytes()
        else:
            raise TypeError(f"{key}: {t.dtype}")
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def save(name, tensors, call, desc=None, extra=None):
    tensors = {k: (v.float() if v.is_floating_point() else v.long()) for k, v in tensors.items()}
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors)
    MANIFEST["files"][name] = {
        "call": call,
        "tensors": {k: {"shape": list(v.shape), "dtype": "F32" if v.is_floating_point() else "I64", "desc": (desc or {}).get(k, "")}
                    for k, v in tensors.items()},
        "extra": extra or {},
    }


def write_json(name, obj):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=1)


def smooth_images(b, h, w, seed):
    gen = torch.Generator().manual_seed(seed)
    low = torch.randn(b, 3, max(h // 6, 2), max(w // 6, 2), generator=gen)
    img = F.interpolate(low, size=(h, w), mode="bicubic", align_corners=False)
    return (img + 0.15 * torch.randn(b, 3, h, w, generator=gen)).contiguous()


tokenize = datasets.build_text_transform()

# -------------------------------------------------------------------------------------------- copied groups
for f in ["tokenizer.safetensors", "tokenizer.json", "pamr.safetensors", "miou.safetensors", "miou.json"]:
    shutil.copyfile(os.path.join(SHIPPED, f), os.path.join(OUT, f))
with open(os.path.join(SHIPPED, "manifest.json")) as f:
    shipped_manifest = json.load(f)
for name in ["tokenizer", "pamr", "miou"]:
    MANIFEST["files"][name] = dict(shipped_manifest["files"][name], copied_from_public_set=True)
with open(os.path.join(SHIPPED, "tokenizer.json")) as f:
    strings = json.load(f)["strings"]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
        out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=dt).copy().reshape(v["shape"]))
    return out


shipped_tokens = read_safetensors(os.path.join(SHIPPED, "tokenizer.safetensors"))["tokens"]
tokens = tokenize(strings)
assert torch.equal(tokens, shipped_tokens), "the official tokenizer here differs from the public set's"

# ----------------------------------------------------------------------------------------------- weights
write_safetensors(os.path.join(OUT, "clip_weights.safetensors"), CLIP_SD)
torch.save(dict(CLIP_SD), os.path.join(OUT, "clip_weights.pt"))
write_json("clip_weights.json", {
    "keys": {k: list(v.shape) for k, v in CLIP_SD.items()},
    "dims": DIMS,
    "note": "built with sclip.model.CLIP(embed_dim, image_resolution, vision_layers, 64 (placeholder), vision_patch_size, "
            "context_length, vocab_size, transformer_width, transformer_heads, transformer_layers) whose .visual is replaced "
            f"by sclip.model.VisionTransformer(width={DIMS['vision_width']}, heads={DIMS['vision_heads']}). Random init: official "
            "init, then LayerNorm gains +0.1*N(0,1), all biases +0.05*N(0,1), embeddings +0.02*N(0,1), other weights +0.1*std*N(0,1).",
    "vision_heads": DIMS["vision_heads"], "text_heads": DIMS["transformer_heads"],
})
MANIFEST["files"]["clip_weights"] = {"call": "state_dict of the tiny CLIP that the patched sclip.load returns",
                                     "tensors": {k: {"shape": list(v.shape), "dtype": "F32", "desc": "parameter"} for k, v in CLIP_SD.items()}, "extra": {}}

stored = [k for k in TCL_SD if k.startswith(("masker.", "tcli_loss.", "tclf_loss."))]
equal_to_clip = {}
for k in TCL_SD:
    if k in stored:
        continue
    for ck, cv in CLIP_SD.items():
        if cv.shape == TCL_SD[k].shape and torch.equal(cv, TCL_SD[k]):
            equal_to_clip[k] = ck
            break
    assert k in equal_to_clip, k
write_safetensors(os.path.join(OUT, "tcl_weights.safetensors"), {k: TCL_SD[k] for k in stored})
write_json("tcl_weights.json", {
    "keys": {k: list(v.shape) for k, v in TCL_SD.items()},
    "stored_keys": stored,
    "omitted_keys_note": "every key of `keys` not in `stored_keys` is byte-identical to clip_weights[equal_to_clip_key[key]]",
    "token_embedding_sha256": hashlib.sha256(CLIP_SD["token_embedding.weight"].numpy().tobytes()).hexdigest(),
    "equal_to_clip_key": equal_to_clip,
    "perturbation": "after construction every masker.* parameter except sim2mask.{w,b} was perturbed (gates set to +-U(0.3,0.9)); clip_* and logit scales untouched",
    "config": {"model": json.loads(json.dumps(utils.config.OmegaConf.to_container(cfg.model, resolve=True)))},
})
MANIFEST["files"]["tcl_weights"] = {"call": "TCL(...).state_dict() after construction + masker perturbation (TCL-owned entries)",
                                    "tensors": {k: {"shape": list(TCL_SD[k].shape), "dtype": "F32", "desc": "parameter"} for k in stored},
                                    "extra": {"omitted": "see tcl_weights.json"}}

# ----------------------------------------------------------------------------------------------- clip_forward
enc = model.clip_image_encoder
B, (H, W) = SIZES["clip"]["B"], SIZES["clip"]["hw"]
image = smooth_images(B, H, W, SEED + 10)
rec = {}
with torch.no_grad():
    rec["image"] = image
    rec["text_tokens"] = tokens
    rec["clip_image_emb"] = enc.clip_forward(image)
    x, feats = enc.tcl_forward(image, ret_feats=True)
    rec["tcl_forward.x"] = x
    rec["tcl_forward.x_proj"] = enc.clip_proj(x)
    for i, f in enumerate(feats):
        rec[f"tcl_forward.feat{i}"] = f
    x2, feats2 = enc(image, spatial=True, ignore_last_attn=False, ret_feats=True)
    rec["noignore.x"] = x2
    for i, f in enumerate(feats2):
        rec[f"noignore.feat{i}"] = f
    rec["text_emb"] = model.clip_text_encoder(tokens)
    standalone = patched_load("tiny")[0]
    rec["sclip.encode_image"] = standalone.encode_image(image)
    rec["sclip.encode_text"] = standalone.encode_text(tokens)
    rec["sclip.logits_per_image"] = standalone(image, tokens)[0]
save("clip_forward", rec, "model.clip_image_encoder.{clip_forward, tcl_forward, __call__}; model.clip_text_encoder(tokens); standalone sclip CLIP")

# ----------------------------------------------------------------------------------------------- training
def train_step(uniform=None, seed=None, inputs=None, full_grads_up_to=None):
    m = copy.deepcopy(model)
    m.load_state_dict(TCL_SD)
    m.set_train(decoder_only=False, config=cfg)
    m.train()
    r = {}
    hooks = [
        m.masker.register_forward_hook(lambda mod, i, o: r.update({"masks": o[0], "s1_image_emb": o[1], "s1_text_emb": o[2], "masker_feats": o[3]})),
        m.masker.sim2mask.register_forward_hook(lambda mod, i, o: r.update({"simmap": i[0].detach().clone(), "sim2mask.hard": o[0].detach().clone()})),
    ]
    orig_clip_forward = m.clip_image_encoder.clip_forward

    def clip_forward_rec(x, ret_feats=False):
        out = orig_clip_forward(x, ret_feats=ret_feats)
        r["tcli.masked_img_emb"] = out
        return out
    m.clip_image_encoder.clip_forward = clip_forward_rec
    orig_rand_like = torch.rand_like

    def rand_like_rec(t, *a, **k):
        u = orig_rand_like(t, *a, **k) if uniform is None else torch.full_like(t, uniform)
        r["gumbel_uniform"] = u.clone()
        return u
    if seed is not None:
        torch.manual_seed(seed)
    torch.rand_like = rand_like_rec
    try:
        ret = m(image=inputs["image"], text=inputs["text_tokens"])
    finally:
        torch.rand_like = orig_rand_like
        for h in hooks:
            h.remove()
    loss, _ = utils.parse_losses(ret)
    loss.backward()
    out = {"gumbel_uniform": r["gumbel_uniform"]}
    masks = r["masks"]
    for k in ["pos", "soft_pos", "soft_neg", "soft_all"]:
        out[f"masks.{k}"] = masks[k].detach()
    out["s1_image_emb"] = r["s1_image_emb"].detach()
    out["s1_text_emb"] = r["s1_text_emb"].detach()
    out["simmap"] = r["simmap"]
    out["sim2mask.hard"] = r["sim2mask.hard"]
    out["masker_feat0"] = r["masker_feats"][0].detach()
    out["tcli.masked_img_emb"] = r["tcli.masked_img_emb"].detach()
    for k, v in ret.items():
        if "loss" in k:
            out[f"loss.{k}"] = v.detach()
    out["total_loss"] = loss.detach()
    with_grad = [n for n, p in m.named_parameters() if p.grad is not None]
    params = dict(m.named_parameters())
    for n in with_grad:
        if full_grads_up_to is None or params[n].numel() <= full_grads_up_to:
            out[f"grad.{n}"] = params[n].grad.detach().clone()
    out["grad_norms"] = torch.tensor([params[n].grad.double().norm().item() for n in with_grad], dtype=torch.float32)
    out["grad_norm_total"] = torch.tensor(utils.get_grad_norm(m.parameters()), dtype=torch.float32)
    requires = [n for n, p in m.named_parameters() if p.requires_grad]
    extra = {"params_with_grad": with_grad, "requires_grad_equals_params_with_grad": requires == with_grad,
             "returned_keys": list(ret.keys())}
    return out, extra


B, (H, W) = SIZES["train"]["B"], SIZES["train"]["hw"]
captions = ["a photo of a cat on the grass", "a red boat on a lake", "a tree next to a road"][:B]
train_inputs = {"image": smooth_images(B, H, W, SEED + 20), "text_tokens": tokenize(captions)}
out, extra = train_step(seed=SEED + 3, inputs=train_inputs)
out.update(train_inputs)
save("tcl_train", out, "torch.manual_seed(seed+3); model.set_train(decoder_only=False, config=cfg); model.train(); "
     "ret = model(image=image, text=text_tokens); loss, _ = utils.parse_losses(ret); loss.backward()", extra=extra)
out, extra = train_step(uniform=0.5, inputs=train_inputs, full_grads_up_to=1024)
extra["note"] = "image/text_tokens are those of tcl_train"
extra["grads stored"] = "full gradients only of parameters with <= 1024 elements (size); grad_norms has every one"
save("tcl_train_zero_noise", out, "torch.rand_like -> 0.5 (zero logistic noise); otherwise as tcl_train", extra=extra)

# ----------------------------------------------------------------------------------------------- inference
m = copy.deepcopy(model); m.load_state_dict(TCL_SD); m.eval()
inf = SIZES["infer"]
text_tokens = tokenize([f"a photo of a {c}." for c in inf["classes"]])
rec = {"text_tokens": text_tokens}
with torch.no_grad():
    text_emb = m.clip_text_encoder(text_tokens)
rec["text_emb"] = text_emb
rec["image"] = smooth_images(inf["B"], *inf["hw"], SEED + 30)
rec["image_odd"] = smooth_images(inf["B"], *inf["odd_hw"], SEED + 31)
for prefix, key in [("", "image"), ("odd.", "image_odd")]:
    img = rec[key]
    for pamr in (False, True):
        for kp in (0.0, 0.3):
            r = {}
            hooks = [m.masker.register_forward_hook(lambda mod, i, o: None)]
            orig_fs = m.masker.forward_seg

            def fs(*a, **k):
                mask, simmap = orig_fs(*a, **k)
                r["soft"] = mask.clone(); r["simmap"] = simmap.clone()
                return mask, simmap
            m.masker.forward_seg = fs
            if m.pamr is None and pamr:
                m.apply_pamr(img[:, :, :8, :8].contiguous(), torch.zeros(img.shape[0], 1, 2, 2))  # lazy init only
            ph = None
            if pamr:
                ph = m.pamr.register_forward_hook(lambda mod, i, o: r.update({"pamr_in": i[0].clone(), "pamr_out": o.clone()}))
            mask, simmap = m.generate_masks(img, text_emb, apply_pamr=pamr, kp_w=kp)
            if ph is not None:
                ph.remove()
            m.masker.forward_seg = orig_fs
            for h in hooks:
                h.remove()
            combo = f"{prefix}pamr{int(pamr)}_kp{kp:g}"
            rec[f"{combo}.mask"] = mask
            if f"{prefix}simmap" in rec:
                assert torch.equal(rec[f"{prefix}simmap"], simmap)
            rec[f"{prefix}simmap"] = simmap
            rec[f"{prefix}soft_mask_pre_refine"] = r["soft"]
            if pamr:
                k0 = f"{prefix}pamr1_kp0"
                if f"{k0}.pamr_out" in rec:
                    assert torch.equal(rec[f"{k0}.pamr_out"], r["pamr_out"])
                rec[f"{k0}.pamr_out"] = r["pamr_out"]
                rec[f"{k0}.pamr_in_image"] = r["pamr_in"]
save("inference", rec, "model.eval(); model.generate_masks(image, text_emb, apply_pamr=..., kp_w=...)",
     extra={"padding of image_odd": list(m.compute_padsize(*inf["odd_hw"], m.patch_size))})

# ----------------------------------------------------------------------------------------------- seg eval
seg = SIZES["seg"]
classes = seg["classes"]
cls_tokens = build_dataset_class_tokens(tokenize, "custom", classes)
with torch.no_grad():
    text_embedding = m.build_text_embedding(cls_tokens)
ih, iw = seg["img_hw"]; oh, ow = seg["ori_hw"]
seg_image = smooth_images(1, ih, iw, SEED + 40)
meta = {"ori_shape": (oh, ow, 3), "img_shape": (ih, iw, 3), "pad_shape": (ih, iw, 3), "flip": False, "flip_direction": None,
        "scale_factor": [ih / oh, iw / ow, ih / oh, iw / ow]}
rec = {"image": seg_image, "text_tokens": cls_tokens, "text_embedding": text_embedding}
cases = {}
for name, test_cfg, with_bg, flip in [
        ("whole", {"mode": "whole"}, False, False), ("whole_bg", {"mode": "whole"}, True, False),
        ("slide", {"mode": "slide", "stride": [seg["stride"]] * 2, "crop_size": [seg["crop"]] * 2}, False, False),
        ("slide_bg", {"mode": "slide", "stride": [seg["stride"]] * 2, "crop_size": [seg["crop"]] * 2}, True, False),
        ("whole_bg_flip", {"mode": "whole"}, True, True)]:
    seg_model = tcl_seg.TCLSegInference(m, text_embedding, with_bg, test_cfg, **dict(cfg.evaluate))
    windows, logits = [], []
    orig_ed = seg_model.encode_decode

    def ed(img, img_meta, _orig=orig_ed, _w=windows, _l=logits):
        out = _orig(img, img_meta)
        _l.append(out.clone())
        return out
    seg_model.encode_decode = ed
    # record window boxes by replaying the slide geometry from the crops (y1,y2,x1,x2)
    m_meta = [dict(meta, flip=flip, flip_direction="horizontal" if flip else None)]
    with torch.no_grad():
        probs = seg_model.inference(seg_image, m_meta, rescale=True)
    n_calls = len(logits)
    with torch.no_grad():
        pred = torch.from_numpy(np.stack(seg_model.simple_test(seg_image, m_meta, rescale=True)))
    if test_cfg["mode"] == "whole":
        boxes = [[0, ih, 0, iw]]
    else:
        hs, ws = test_cfg["stride"]; hc, wc = test_cfg["crop_size"]
        boxes = []
        for hi in range(max(ih - hc + hs - 1, 0) // hs + 1):
            for wi in range(max(iw - wc + ws - 1, 0) // ws + 1):
                y1, x1 = hi * hs, wi * ws
                y2, x2 = min(y1 + hc, ih), min(x1 + wc, iw)
                boxes.append([max(y2 - hc, 0), y2, max(x2 - wc, 0), x2])
    assert n_calls == len(boxes)
    rec[f"{name}.probs"] = probs
    rec[f"{name}.pred"] = pred
    rec[f"{name}.windows"] = torch.tensor(boxes, dtype=torch.int64)
    if name in ("whole_bg", "slide_bg"):
        for i in range(n_calls):
            rec[f"{name}.window{i}.logits"] = logits[i]
    cases[name] = {"test_cfg": test_cfg, "with_bg": with_bg, "flip": flip, "num_classes": seg_model.num_classes,
                   "windows_yyxx": boxes, "encode_decode_calls_in_inference": n_calls}
save("seg_eval", rec, "TCLSegInference(model, text_embedding, with_bg, test_cfg, **cfg.evaluate) with the transcribed mmseg 0.26 EncoderDecoder; .inference(...) and simple_test")
write_json("seg_eval.json", {"classnames": classes, "template_set": "custom", "evaluate_cfg": {k: cfg.evaluate[k] for k in ("pamr", "bg_thresh", "kp_w")},
                             "img_meta": {k: (list(v) if isinstance(v, tuple) else v) for k, v in meta.items()}, "cases": cases})

write_json("manifest.json", MANIFEST)
print("wrote", OUT)
for f in sorted(os.listdir(OUT)):
    print(f"{os.path.getsize(os.path.join(OUT, f)):>10,}  {f}")
