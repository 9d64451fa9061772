"""The independent side of the oracle tests: PyTorch and PIL, no code of ours."""
import json
import os

import numpy as np
import torch
from PIL import Image

# nn.Dropout and its variants by class name, as the app matches them (a model class that merely
# contains "Dropout" in its name is not one).
DROPOUT_NAMES = ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
                 "FeatureAlphaDropout")


def load_bundle(path):
    """The scripted model (eval mode) and its meta.json."""
    extra = {"meta.json": ""}
    model = torch.jit.load(path, map_location="cpu", _extra_files=extra)
    model.eval()
    return model, json.loads(extra["meta.json"])


def gray_inputs(files, meta, gamma=1.0):
    """[N, 1, H, W] float tensor, decoded by PIL, raised to `gamma` on [0,1] and normalised as
    the meta says."""
    mean, std = meta["input"]["mean"][0], meta["input"]["std"][0]
    batch = [(np.asarray(Image.open(p).convert("L"), dtype=np.float64) / 255.0) ** gamma
             for p in files]
    return torch.from_numpy(((np.stack(batch)[:, None] - mean) / std).astype(np.float32))


def deterministic_probabilities(model_path, files, one_at_a_time=False):
    """Eval-mode softmax of the files, in one batch, or `one_at_a_time` (as the engine runs
    images with per-image streams, its CPU default: kernels may round a batch of one
    differently, by ~1e-6)."""
    model, meta = load_bundle(model_path)
    x = gray_inputs(files, meta)
    with torch.no_grad():
        if one_at_a_time:
            logits = torch.cat([model(x[i:i + 1]) for i in range(len(files))])
        else:
            logits = model(x)
        return meta["classes"], torch.softmax(logits, dim=1).numpy()


def deterministic_probabilities_at_gamma(model_path, files, gamma):
    model, meta = load_bundle(model_path)
    with torch.no_grad():
        probs = torch.softmax(model(gray_inputs(files, meta, gamma)), dim=1)
    return meta["classes"], probs.numpy()


def mc_dropout_probabilities(model_path, files, passes, seed):
    """Per image, mean and std over `passes` MC-dropout passes (only Dropout in train)."""
    model, meta = load_bundle(model_path)
    for _, module in model.named_modules():
        if module.original_name in DROPOUT_NAMES:
            module.train()
    torch.manual_seed(seed)
    means, stds = [], []
    with torch.no_grad():
        for x in gray_inputs(files, meta):
            probs = torch.softmax(model(x[None].repeat(passes, 1, 1, 1)), dim=1)
            means.append(probs.mean(0).numpy())
            stds.append(probs.std(0).numpy())
    return meta["classes"], np.array(means), np.array(stds)


def ensemble_deterministic_samples(manifest_path, files):
    """[N, M, C]: each member's eval-mode softmax, members read from the manifest with json."""
    import os
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    folder = os.path.dirname(manifest_path)
    samples = []
    for member in manifest["members"]:
        _, probs = deterministic_probabilities(os.path.join(folder, member), files)
        samples.append(probs)
    return np.stack(samples, axis=1)


_MASK64 = (1 << 64) - 1


def _split_mix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def image_stream_key(name):
    """FNV-1a 64 of the image name's UTF-8 bytes."""
    key = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        key = ((key ^ byte) * 0x100000001B3) & _MASK64
    return key


def stream_seed(seed, path, copy=0, member=0):
    """The seed of an image's random stream in a per-image run (the engine's contract, written
    down independently: SplitMix64 over the run's seed, the key of the image's name, the copy and
    the member). The tests name their images one by one, and an image named itself is called by
    its file name, not by where it lies."""
    state = _split_mix64(seed & _MASK64)
    state = _split_mix64(state ^ image_stream_key(os.path.basename(path)))
    state = _split_mix64(state ^ copy)
    return _split_mix64(state ^ member)


def _low_bias32(x):
    """Wellons' lowbias32 on a numpy uint32 array (multiplies wrap mod 2^32)."""
    x = x ^ (x >> np.uint32(16))
    x = x * np.uint32(0x7FEB352D)
    x = x ^ (x >> np.uint32(15))
    x = x * np.uint32(0x846CA68B)
    return x ^ (x >> np.uint32(16))


def dropout_bits(key, size):
    """[size] uint32: the bits of elements 0..size-1 of a row under a layer key."""
    j = np.arange(size, dtype=np.uint32)
    with np.errstate(over="ignore"):
        return _low_bias32(_low_bias32(j * np.uint32(0x9E3779B9) + np.uint32(key & 0xFFFFFFFF))
                           ^ np.uint32(key >> 32))


def dropout_mask(stream, pass_index, layer, size, p):
    """The engine's dropout mask in a per-image run (its contract, written down independently):
    element j of the `layer`-th dropout call of pass `pass_index` of the input whose stream seed
    is `stream` keeps when lowbias32(lowbias32(j * 0x9E3779B9 + low) ^ high) >= floor(p 2^32),
    (low, high) the halves of SplitMix64(SplitMix64(stream ^ pass) ^ layer); kept elements are
    scaled by 1 / (1 - p) in float32. Returns [size] float32."""
    bits = dropout_bits(_split_mix64(_split_mix64(stream ^ pass_index) ^ layer), size)
    if p >= 1:
        return np.zeros(size, np.float32)
    scale = np.float32(1) / np.float32(1 - p)
    return np.where(bits.astype(np.uint64) >= int(p * 2 ** 32), scale,
                    np.float32(0)).astype(np.float32)


def hashed_dropout_head(model, features, stream, passes):
    """model.head on one input's features repeated `passes` times, its Dropout layers (in the
    scripted `classifier` Sequential) applying dropout_mask rows; a heteroscedastic model's
    `logits` and `logvar` layers after it."""
    h = features.repeat_interleave(passes, 0)
    layer = 0
    for child in model.classifier.children():
        if child.original_name in DROPOUT_NAMES:
            # Dropout1d/2d/3d draw once per channel of a row, the others once per element.
            per_channel = child.original_name[-2:] in ("1d", "2d", "3d")
            size = h.shape[1] if per_channel else h[0].numel()
            shape = (h.shape[0], h.shape[1]) + (1,) * (h.dim() - 2) if per_channel else h.shape
            masks = np.stack([dropout_mask(stream, t, layer, size, child.p)
                              for t in range(passes)])
            h = h * torch.from_numpy(masks).view(shape)
            layer += 1
        else:
            h = child(h)
    if hasattr(model, "logvar"):
        return model.logits(h), model.logvar(h)
    return h


def hashed_mc_dropout_samples(model_path, files, passes, seed):
    """[N, T, C]: per image, alone, encode (or, for a model without, its `features`), then the
    head T times with the engine's per-image dropout masks (dropout_mask), through softmax."""
    model, meta = load_bundle(model_path)
    encode = model.encode if hasattr(model, "encode") else model.features
    x = gray_inputs(files, meta)
    probs = []
    with torch.no_grad():
        for i, path in enumerate(files):
            features = encode(x[i:i + 1])
            logits = hashed_dropout_head(model, features, stream_seed(seed, path), passes)
            probs.append(torch.softmax(logits, dim=1))
    return torch.stack(probs).numpy()


def heteroscedastic_samples(model_path, files, passes, draws, seed, mc):
    """Kendall & Gal sampling as the engine orders its random draws, one stream per image:
    per image, alone: (MC) encode, seed its stream, head on its features repeated T times with
    the engine's dropout masks (hashed_dropout_head); (deterministic) seed its stream, one eval-mode pass; then K logit draws
    mu + exp(s/2) eps per pass. Softmax, averaged over the draws.
    Returns ([N, T, C] per-pass probabilities, [N] mean exp(s))."""
    model, meta = load_bundle(model_path)
    x = gray_inputs(files, meta)
    probs, variances = [], []
    with torch.no_grad():
        if not mc:
            passes = 1
        for i, path in enumerate(files):
            torch.manual_seed(stream_seed(seed, path))
            if mc:
                mu, log_var = hashed_dropout_head(model, model.encode(x[i:i + 1]),
                                                  stream_seed(seed, path), passes)
            else:
                mu, log_var = model(x[i:i + 1])
            noise = torch.randn(mu.shape[0], draws, mu.shape[1])
            drawn = mu[:, None, :] + torch.exp(0.5 * log_var)[:, None, :] * noise
            probs.append(torch.softmax(drawn, dim=2).mean(1))
            variances.append(torch.exp(log_var).mean(1).mean())
    return torch.stack(probs).numpy(), torch.stack(variances).numpy()


def stochastic_forward_samples(model_path, files, passes, seed):
    """[N, T, C]: a random-forward model's passes as the engine draws them, one stream per image
    (per image, alone: encode, seed its stream, head on its features repeated T times)."""
    model, meta = load_bundle(model_path)
    x = gray_inputs(files, meta)
    probs = []
    with torch.no_grad():
        for i, path in enumerate(files):
            features = model.encode(x[i:i + 1])
            torch.manual_seed(stream_seed(seed, path))
            head = model.head(features.repeat_interleave(passes, 0))
            probs.append(torch.softmax(head, dim=1))
    return torch.stack(probs).numpy()


def entropy_split(samples):
    """(total, aleatoric, epistemic) per image from [N, S, C] samples: H[p̄], E_s H[p_s], and
    their difference (numpy, in nats)."""
    def entropy(p):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.where(p > 0, p * np.log(p), 0.0).sum(-1)
    samples = samples.astype(np.float64)
    total = entropy(samples.mean(1))
    aleatoric = entropy(samples).mean(1)
    return total, aleatoric, total - aleatoric
