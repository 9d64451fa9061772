"""The independent side of the oracle tests: PyTorch and PIL, no code of ours."""
import json

import numpy as np
import torch
from PIL import Image


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
        if "Dropout" in module.original_name:
            module.train()
    torch.manual_seed(seed)
    means, stds = [], []
    with torch.no_grad():
        for x in gray_inputs(files, meta):
            probs = torch.softmax(model(x[None].repeat(passes, 1, 1, 1)), dim=1)
            means.append(probs.mean(0).numpy())
            stds.append(probs.std(0).numpy())
    return meta["classes"], np.array(means), np.array(stds)
