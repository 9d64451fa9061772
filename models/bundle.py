"""Helpers for writing Uncertainty Explorer model bundles.

A bundle is a TorchScript file (produced with ``torch.jit.script``, never
``torch.jit.trace``) that carries a ``meta.json`` extra file describing the
classes, the expected input and the optional ``encode``/``head`` split.
See the "Model bundle" section of the design document.

Typical use::

    import bundle
    scripted = torch.jit.script(model)
    bundle.save_bundle(scripted, "my-model.pt", meta)
    meta = bundle.load_meta("my-model.pt")

An ensemble is a JSON manifest listing member bundles by paths relative to
the manifest's folder::

    bundle.save_ensemble_manifest("models/my-ensemble.json",
                                  ["a.pt", "b.pt"], "my-ensemble",
                                  "two seeds of my model")
    manifest, member_paths = bundle.load_ensemble("models/my-ensemble.json")
"""

import json
import math
import numbers
import os

import torch

FORMAT = "uncertainty-explorer/1"
META_FILE = "meta.json"

REQUIRED_KEYS = ("format", "name", "classes", "input", "output")
OPTIONAL_KEYS = ("methods", "description", "test_accuracy")
INPUT_KEYS = ("channels", "height", "width", "mean", "std", "resize")
RESIZE_MODES = ("stretch",)
OUTPUT_KINDS = ("logits", "logits_logvar")
METHOD_KEYS = ("encode", "head")


def _is_number(value):
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value))


def _is_positive_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def validate_meta(meta):
    """Raises ValueError with a precise message if ``meta`` is malformed."""
    if not isinstance(meta, dict):
        raise ValueError("meta must be a dict")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise ValueError("meta is missing key(s): " + ", ".join(missing))
    unknown = [k for k in meta if k not in REQUIRED_KEYS + OPTIONAL_KEYS]
    if unknown:
        raise ValueError("meta has unknown key(s): " + ", ".join(unknown))

    if meta["format"] != FORMAT:
        raise ValueError("meta.format must be %r, got %r"
                         % (FORMAT, meta["format"]))
    if not isinstance(meta["name"], str) or not meta["name"]:
        raise ValueError("meta.name must be a non-empty string")

    classes = meta["classes"]
    if (not isinstance(classes, list) or len(classes) < 2
            or not all(isinstance(c, str) and c for c in classes)):
        raise ValueError("meta.classes must be a list of >= 2 non-empty "
                         "strings")
    if len(set(classes)) != len(classes):
        raise ValueError("meta.classes contains duplicates")

    inp = meta["input"]
    if not isinstance(inp, dict):
        raise ValueError("meta.input must be an object")
    missing = [k for k in INPUT_KEYS if k not in inp]
    if missing:
        raise ValueError("meta.input is missing key(s): " + ", ".join(missing))
    unknown = [k for k in inp if k not in INPUT_KEYS]
    if unknown:
        raise ValueError("meta.input has unknown key(s): "
                         + ", ".join(unknown))
    for key in ("channels", "height", "width"):
        if not _is_positive_int(inp[key]):
            raise ValueError("meta.input.%s must be a positive integer" % key)
    if inp["channels"] not in (1, 3):
        raise ValueError("meta.input.channels must be 1 or 3")
    for key in ("mean", "std"):
        values = inp[key]
        if (not isinstance(values, list) or len(values) != inp["channels"]
                or not all(_is_number(v) for v in values)):
            raise ValueError("meta.input.%s must be a list of %d numbers "
                             "(one per channel)" % (key, inp["channels"]))
    if not all(s > 0 for s in inp["std"]):
        raise ValueError("meta.input.std values must be > 0")
    if inp["resize"] not in RESIZE_MODES:
        raise ValueError("meta.input.resize must be one of %s"
                         % (RESIZE_MODES,))

    if meta["output"] not in OUTPUT_KINDS:
        raise ValueError("meta.output must be one of %s" % (OUTPUT_KINDS,))

    if "methods" in meta:
        methods = meta["methods"]
        if (not isinstance(methods, dict)
                or sorted(methods) != sorted(METHOD_KEYS)
                or not all(isinstance(v, str) and v
                           for v in methods.values())):
            raise ValueError("meta.methods must be {\"encode\": NAME, "
                             "\"head\": NAME}")
    if "description" in meta and not isinstance(meta["description"], str):
        raise ValueError("meta.description must be a string")
    if "test_accuracy" in meta:
        acc = meta["test_accuracy"]
        if not _is_number(acc) or not 0.0 <= acc <= 1.0:
            raise ValueError("meta.test_accuracy must be a number in [0, 1]")


def _check_module(scripted_module, meta):
    if not isinstance(scripted_module, torch.jit.ScriptModule):
        raise TypeError("save_bundle expects a torch.jit.script()ed module, "
                        "got %s" % type(scripted_module).__name__)
    for method in meta.get("methods", {}).values():
        if not hasattr(scripted_module, method):
            raise ValueError("meta.methods names %r but the scripted module "
                             "has no such method (missing @torch.jit.export?)"
                             % method)


def save_bundle(scripted_module, path, meta):
    """Validates ``meta`` and saves ``scripted_module`` with it embedded."""
    validate_meta(meta)
    _check_module(scripted_module, meta)
    torch.jit.save(scripted_module, str(path),
                   _extra_files={META_FILE: json.dumps(meta, indent=2)})


def load_meta(path):
    """Returns the meta dict stored inside the bundle at ``path``."""
    extra = {META_FILE: ""}
    torch.jit.load(str(path), map_location="cpu", _extra_files=extra)
    if not extra[META_FILE]:
        raise ValueError("%s has no %s" % (path, META_FILE))
    meta = json.loads(extra[META_FILE])
    validate_meta(meta)
    return meta


def set_mc_dropout(module, enabled=True):
    """Puts ``module`` in eval mode, with only Dropout layers training.

    This mirrors what the app does for MC-dropout sampling: BatchNorm and
    everything else stay in eval mode. Works on eager and scripted modules.
    """
    module.eval()
    if not enabled:
        return module
    for _, sub in module.named_modules():
        if is_dropout(sub):
            sub.train()
    return module


def is_dropout(sub):
    """True for (eager or scripted) dropout modules."""
    if isinstance(sub, torch.nn.modules.dropout._DropoutNd):
        return True
    name = getattr(sub, "original_name", "")
    return name in ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d",
                    "AlphaDropout", "FeatureAlphaDropout")


# --------------------------------------------------------------------------
# Ensembles

ENSEMBLE_FORMAT = "uncertainty-explorer-ensemble/1"
ENSEMBLE_KEYS = ("format", "name", "members")
ENSEMBLE_OPTIONAL_KEYS = ("description",)
AGREEING_META_KEYS = ("classes", "input", "output")


def validate_ensemble(manifest, base_dir):
    """Raises ValueError if the ensemble ``manifest`` is malformed.

    Member paths are relative to ``base_dir`` (the manifest's folder); each
    must name an existing bundle, and all members' meta must agree on
    classes, input and output. Returns the resolved member paths.
    """
    if not isinstance(manifest, dict):
        raise ValueError("ensemble manifest must be a JSON object")
    missing = [k for k in ENSEMBLE_KEYS if k not in manifest]
    if missing:
        raise ValueError("ensemble manifest is missing key(s): "
                         + ", ".join(missing))
    unknown = [k for k in manifest
               if k not in ENSEMBLE_KEYS + ENSEMBLE_OPTIONAL_KEYS]
    if unknown:
        raise ValueError("ensemble manifest has unknown key(s): "
                         + ", ".join(unknown))
    if manifest["format"] != ENSEMBLE_FORMAT:
        raise ValueError("ensemble format must be %r, got %r"
                         % (ENSEMBLE_FORMAT, manifest["format"]))
    if not isinstance(manifest["name"], str) or not manifest["name"]:
        raise ValueError("ensemble name must be a non-empty string")
    if ("description" in manifest
            and not isinstance(manifest["description"], str)):
        raise ValueError("ensemble description must be a string")
    members = manifest["members"]
    if (not isinstance(members, list) or not members
            or not all(isinstance(m, str) and m for m in members)):
        raise ValueError("ensemble members must be a non-empty list of "
                         "paths")
    absolute = [m for m in members if os.path.isabs(m)]
    if absolute:
        raise ValueError("ensemble member paths must be relative to the "
                         "manifest's folder: %s" % ", ".join(absolute))
    normalized = [os.path.normpath(m) for m in members]
    if len(set(normalized)) != len(normalized):
        raise ValueError("ensemble members contain duplicates")

    paths = [os.path.join(base_dir, m) for m in normalized]
    first = None
    for member, path in zip(members, paths):
        if not os.path.isfile(path):
            raise ValueError("ensemble member %r: no such file %s"
                             % (member, path))
        meta = load_meta(path)
        if first is None:
            first = (member, meta)
            continue
        for key in AGREEING_META_KEYS:
            if meta[key] != first[1][key]:
                raise ValueError("ensemble member %r disagrees with %r on "
                                 "meta.%s" % (member, first[0], key))
    return paths


def save_ensemble_manifest(path, members, name, description=None):
    """Writes an ensemble manifest at ``path`` after validating it.

    ``members`` are bundle paths relative to the manifest's folder.
    """
    manifest = {"format": ENSEMBLE_FORMAT, "name": name}
    if description is not None:
        manifest["description"] = description
    manifest["members"] = list(members)
    validate_ensemble(manifest, os.path.dirname(os.path.abspath(path)))
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return manifest


def load_ensemble(path):
    """Reads and validates the manifest at ``path``.

    Returns (manifest dict, list of the member bundle paths resolved against
    the manifest's folder).
    """
    with open(path) as f:
        manifest = json.load(f)
    paths = validate_ensemble(manifest,
                              os.path.dirname(os.path.abspath(path)))
    return manifest, paths
