#!/usr/bin/env python3
"""Build a tiny TorchScript CLIP archive shaped like OpenAI's released ``ViT-B-16.pt``.

Why: OpenAI distributes CLIP as TorchScript archives (zip with ``code/``, ``constants.pkl``, ``data.pkl``), not as
plain state dicts, and the C# importer must read that container. The real file is 335 MB and cannot be downloaded
here, so this script produces a < 1 MB stand-in with the same layout:

* attribute names mirror OpenAI CLIP's ``clip/model.py`` (``visual.conv1``, ``visual.transformer.resblocks.{i}.attn``
  as ``nn.MultiheadAttention`` with packed ``in_proj_weight``, ``mlp.c_fc``/``mlp.c_proj``, ``ln_final``,
  ``text_projection``, ``logit_scale`` ...), so parameter names are identical;
* the model is *traced* (``torch.jit.trace``) like OpenAI's, so the text causal mask, held as a plain tensor attribute,
  becomes a graph constant rather than a parameter or buffer;
* ``input_resolution``, ``context_length`` and ``vocab_size`` are 0-d tensors in the archive's state (OpenAI's loader
  reads them with ``.item()`` and ``build_model`` deletes them before ``load_state_dict``);
* weights are stored mixed fp16/fp32 exactly as OpenAI's ``convert_weights`` leaves them (conv/linear/attention
  weights and the two projections in fp16; LayerNorms, embeddings and ``logit_scale`` in fp32).

The dimensions deliberately differ from the shared ``clip_weights`` fixture (other widths, heads not width/64,
a short context and a small vocabulary), so that the C# tests must derive every shape from the files.

Outputs, next to this script:
  tiny_clip_torchscript.pt        the TorchScript archive
  tiny_clip_nested_state_dict.pt  ``torch.save({"epoch": 3, "state_dict": archive.state_dict()})``: a training-style
                                  checkpoint (zip format) with the same fp16/fp32 weights and metadata tensors nested
  tiny_clip_expected.safetensors  float32 reference of every weight (what ``.float()`` gives), OpenAI names
  tiny_clip.json                  dims, kept keys with shapes and archive dtypes, dropped metadata keys

Dev-time only (Debian: ``apt-get install python3-torch``; run with /usr/bin/python3). The tests never run Python.
"""
import json
import math
import re
import struct
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

DIMS = {
    "embed_dim": 16,
    "image_resolution": 32,
    "vision_layers": 2,
    "vision_width": 32,
    "vision_heads": 2,
    "vision_patch_size": 8,
    "context_length": 16,
    "vocab_size": 500,
    "transformer_width": 24,
    "transformer_heads": 2,
    "transformer_layers": 2,
}
METADATA_KEYS = ["input_resolution", "context_length", "vocab_size"]
HERE = Path(__file__).resolve().parent


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads, attn_mask=None):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(width * 4, width)),
        ]))
        self.ln_2 = nn.LayerNorm(width)
        self.attn_mask = attn_mask  # plain attribute, as in OpenAI's model: traced into a constant

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask=None):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, resolution, patch, width, layers, heads, output_dim):
        super().__init__()
        grid = resolution // patch
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(width) * width ** -0.5)
        self.positional_embedding = nn.Parameter(torch.randn(grid * grid + 1, width) * width ** -0.5)
        self.ln_pre = nn.LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(torch.randn(width, output_dim) * width ** -0.5)

    def forward(self, x):
        x = self.conv1(x).flatten(2).permute(0, 2, 1)  # [B, h*w, width]
        cls = self.class_embedding.expand(x.shape[0], 1, -1)
        x = self.ln_pre(torch.cat([cls, x], dim=1) + self.positional_embedding)
        x = self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2)  # NLD -> LND -> NLD
        return self.ln_post(x[:, 0, :]) @ self.proj


class CLIP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.visual = VisionTransformer(d["image_resolution"], d["vision_patch_size"], d["vision_width"],
                                        d["vision_layers"], d["vision_heads"], d["embed_dim"])
        width, ctx = d["transformer_width"], d["context_length"]
        mask = torch.full((ctx, ctx), float("-inf")).triu_(1)
        self.transformer = Transformer(width, d["transformer_layers"], d["transformer_heads"], mask)
        self.token_embedding = nn.Embedding(d["vocab_size"], width)
        self.positional_embedding = nn.Parameter(torch.randn(ctx, width) * 0.01)
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(torch.randn(width, d["embed_dim"]) * width ** -0.5)
        self.logit_scale = nn.Parameter(torch.ones([]) * math.log(1 / 0.07))
        # OpenAI's archive carries these as 0-d tensors next to the weights.
        self.register_buffer("input_resolution", torch.tensor(d["image_resolution"]))
        self.register_buffer("context_length", torch.tensor(ctx))
        self.register_buffer("vocab_size", torch.tensor(d["vocab_size"]))

    def forward(self, image, text):
        img = self.visual(image)
        x = self.token_embedding(text) + self.positional_embedding
        x = self.ln_final(self.transformer(x.permute(1, 0, 2)).permute(1, 0, 2))
        txt = x[torch.arange(x.shape[0]), text.argmax(dim=-1)] @ self.text_projection
        img = img / img.norm(dim=-1, keepdim=True)
        txt = txt / txt.norm(dim=-1, keepdim=True)
        logits = self.logit_scale.exp() * img @ txt.t()
        return logits, logits.t()


def is_fp16_in_openai_archive(name: str) -> bool:
    """Which weights OpenAI's convert_weights turns into fp16: conv/linear/attention weights+biases, projections."""
    if name.endswith(("attn.in_proj_weight", "attn.in_proj_bias", "text_projection")) or name == "visual.proj":
        return True
    return any(part in name for part in ("conv1.", "out_proj.", "c_fc.", "c_proj."))


def write_safetensors(path: Path, tensors: dict) -> None:
    """Minimal safetensors writer (sorted keys, F32 only) so the script needs nothing beyond torch."""
    header, blobs, offset = {}, [], 0
    for key in sorted(tensors):
        data = tensors[key].contiguous().numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensors[key].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main() -> None:
    torch.manual_seed(20230601)
    model = CLIP(DIMS).eval()
    with torch.no_grad():
        # Default LayerNorm/bias values are 1 and 0; perturb everything so a wrong copy cannot pass by accident.
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))

    d = DIMS
    image = torch.randn(2, 3, d["image_resolution"], d["image_resolution"])
    text = torch.randint(1, d["vocab_size"] - 1, (2, d["context_length"]))
    text[:, -1] = d["vocab_size"] - 1  # argmax position = EOT, as CLIP's tokenizer guarantees
    traced = torch.jit.trace(model, (image, text), check_trace=False)

    # OpenAI's weights are fp16 on disk; convert after tracing (CPU kernels for half matmul are missing in 1.13).
    with torch.no_grad():
        for name, p in traced.named_parameters():
            if is_fp16_in_openai_archive(name):
                p.data = p.data.half()

    archive = HERE / "tiny_clip_torchscript.pt"
    torch.jit.save(traced, str(archive))

    reloaded = torch.jit.load(str(archive), map_location="cpu")
    state = reloaded.state_dict()
    kept = {k: v for k, v in state.items() if k not in METADATA_KEYS}
    torch.save({"epoch": 3, "state_dict": state}, HERE / "tiny_clip_nested_state_dict.pt")
    write_safetensors(HERE / "tiny_clip_expected.safetensors", {k: v.float() for k, v in kept.items()})
    info = {
        "note": "Tiny TorchScript CLIP in OpenAI's archive layout, made by make_torchscript_clip.py (torch "
                + torch.__version__ + "). keys: OpenAI state-dict names kept by an importer, with shape and the "
                "dtype stored in the archive; metadata_keys: 0-d tensors in the archive that are not weights.",
        "dims": DIMS,
        "keys": {k: {"shape": list(v.shape), "archive_dtype": str(v.dtype).replace("torch.", "")}
                 for k, v in kept.items()},
        "metadata_keys": {k: int(state[k]) for k in METADATA_KEYS},
    }
    # One line per key keeps the file short and diffable.
    text = json.dumps(info, indent=1)
    text = re.sub(r"\{\s*\"shape\": \[([^\]]*)\],\s*\"archive_dtype\"",
                  lambda m: '{"shape": [' + ", ".join(m.group(1).split()).replace(",,", ",") + '], "archive_dtype"', text)
    text = re.sub(r'("archive_dtype": "\w+")\s*\}', r"\1}", text)
    (HERE / "tiny_clip.json").write_text(text + "\n")
    print(f"{archive.name}: {archive.stat().st_size} bytes, {len(kept)} weights, "
          f"{sum(v.numel() for v in kept.values())} parameters")


if __name__ == "__main__":
    main()
