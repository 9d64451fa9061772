"""The independent side of the oracle tests: PyTorch and PIL, no code of ours."""
import json

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


def deterministic_probabilities(model_path, files):
    model, meta = load_bundle(model_path)
    with torch.no_grad():
        return meta["classes"], torch.softmax(model(gray_inputs(files, meta)), dim=1).numpy()


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


def _enable_dropout(model):
    for _, module in model.named_modules():
        if module.original_name in DROPOUT_NAMES:
            module.train()


def heteroscedastic_samples(model_path, files, passes, draws, seed, mc):
    """Kendall & Gal sampling as the engine orders its random draws, for a run that fits one
    batch: seed; (MC) encode once, Dropout on, head on each image's features repeated T times;
    then K logit draws mu + exp(s/2) eps per pass, softmax, averaged over the draws.
    Returns ([N, T, C] per-pass probabilities, [N] mean exp(s))."""
    model, meta = load_bundle(model_path)
    x = gray_inputs(files, meta)
    torch.manual_seed(seed)
    with torch.no_grad():
        if mc:
            features = model.encode(x)
            _enable_dropout(model)
            mu, log_var = model.head(features.repeat_interleave(passes, 0))
        else:
            mu, log_var = model(x)
            passes = 1
        noise = torch.randn(mu.shape[0], draws, mu.shape[1])
        drawn = mu[:, None, :] + torch.exp(0.5 * log_var)[:, None, :] * noise
        probs = torch.softmax(drawn, dim=2).mean(1)
        variance = torch.exp(log_var).mean(1).reshape(len(files), passes).mean(1)
    return probs.reshape(len(files), passes, -1).numpy(), variance.numpy()


def stochastic_forward_samples(model_path, files, passes, seed):
    """[N, T, C]: a random-forward model's passes, as the engine orders its draws for a run that
    fits one batch (seed; encode once; head on each image's features repeated T times)."""
    model, meta = load_bundle(model_path)
    x = gray_inputs(files, meta)
    torch.manual_seed(seed)
    with torch.no_grad():
        probs = torch.softmax(model.head(model.encode(x).repeat_interleave(passes, 0)), dim=1)
    return probs.reshape(len(files), passes, -1).numpy()


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
