#!/usr/bin/python3
"""Trains the heteroscedastic (aleatoric) Fashion-MNIST classifier.

Output (in models/ by default): fmnist-hetero-cnn.pt, and its entry in
metrics.json.

Kendall & Gal 2017, "What uncertainties do we need in Bayesian deep learning
for computer vision?", classification with learned loss attenuation: the
network predicts logits mu and one log variance s per logit; the logits are
Gaussian, u = mu + exp(s/2) * eps, and training maximises the likelihood of
the expected softmax,

    loss = -log( 1/K sum_k softmax(mu + exp(s/2) * eps_k)[y] ),  eps_k ~ N(0,I)

with K = 20 samples per image (computed with logsumexp). The head keeps the
two Dropout(0.5) of fmnist-mc-cnn, so MC dropout adds epistemic spread.

The scripted model returns a tuple (logits [N,C], logvar [N,C]) from forward
and head (meta "output": "logits_logvar"); s is exported raw (no clamp): the
app computes sigma = exp(s/2). Run from the repository root:

  /usr/bin/python3 models/train_heteroscedastic.py
"""

import math
import os
import sys
import time
from typing import Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist as tf  # noqa: E402

NAME = "fmnist-hetero-cnn"
TRAIN_SAMPLES = 20      # K, logit samples per image in the loss
EVAL_SAMPLES = 100      # logit samples per image for the sampled accuracy
NOISE_STD = 0.5         # Gaussian pixel noise on [0,1] pixels for the check


class HeteroCNN(tf.FashionCNN):
    """fmnist-mc-cnn's encoder and dropout head, ending in two Linear(128, C):
    ``logits`` (mu) and ``logvar`` (s, the log variance of each logit)."""

    def __init__(self, p=tf.DROPOUT_P, num_classes=10):
        super().__init__(mc_dropout=True, p=p, num_classes=num_classes)
        # Dropout - Linear(256,128) - ReLU - Dropout; the last Linear goes.
        self.classifier = self.classifier[:4]
        self.logits = nn.Linear(128, num_classes)
        self.logvar = nn.Linear(128, num_classes)

    @torch.jit.export
    def head(self, z: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        h = self.classifier(z)
        return self.logits(h), self.logvar(h)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.head(self.encode(x))


def sample_logits(mu, logvar, k):
    """[k,N,C] logit samples mu + exp(logvar/2) * eps."""
    eps = torch.randn((k,) + tuple(mu.shape))
    return mu + torch.exp(0.5 * logvar) * eps


def expected_softmax_loss(model, xb, yb):
    """-log of the mean over K logit samples of softmax(u_k)[y]."""
    mu, logvar = model(xb)
    u = sample_logits(mu, logvar, TRAIN_SAMPLES)
    log_p = F.log_softmax(u, dim=2).gather(
        2, yb.view(1, -1, 1).expand(TRAIN_SAMPLES, -1, 1)).squeeze(2)
    nll = -(torch.logsumexp(log_p, dim=0) - math.log(TRAIN_SAMPLES))
    return nll.mean(), mu


@torch.no_grad()
def predict(model, x, samples, seed):
    """Eval mode: (argmax-mu logits, mean softmax over ``samples`` logit
    samples, exp(logvar)), each [N,C]."""
    model.eval()
    torch.manual_seed(seed)
    mus, probs, variances = [], [], []
    for i in range(0, x.shape[0], tf.EVAL_BATCH):
        mu, logvar = model(x[i:i + tf.EVAL_BATCH])
        mus.append(mu)
        probs.append(F.softmax(sample_logits(mu, logvar, samples),
                               dim=2).mean(0))
        variances.append(torch.exp(logvar))
    return torch.cat(mus), torch.cat(probs), torch.cat(variances)


def perturbed_test_sets(images, labels, mean, std, seed):
    """Normalized test images with Gaussian pixel noise (std NOISE_STD on
    [0,1], clipped), and blended 50/50 with a random image of another
    class."""
    rng = np.random.RandomState(seed)
    pixels = images.astype(np.float32) / 255.0
    noisy = np.clip(pixels + rng.normal(0.0, NOISE_STD, pixels.shape), 0, 1)
    by_class = [np.nonzero(labels == c)[0] for c in range(len(tf.CLASSES))]
    other = (labels + rng.randint(1, len(tf.CLASSES), labels.shape[0])) \
        % len(tf.CLASSES)
    partner = np.array([rng.choice(by_class[c]) for c in other])
    blended = 0.5 * pixels + 0.5 * pixels[partner]

    def norm(p):
        return tf.normalize(np.round(p * 255.0).astype(np.uint8), mean, std)
    return norm(noisy), norm(blended), torch.from_numpy(labels[partner])


def main():
    p = tf.common_args(__doc__.split("\n")[0], epochs=4, seed=3000)
    args = p.parse_args()
    tf.setup_torch(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    data = tf.load_data(args.data_dir)
    x_test, y_test = data.x_test, data.y_test

    torch.manual_seed(args.seed)
    model = HeteroCNN()
    start = time.perf_counter()
    epoch_times = tf.train(model, data.x_train, data.y_train, x_test, y_test,
                           args.epochs, args.seed, NAME,
                           loss_fn=expected_softmax_loss)
    train_time = time.perf_counter() - start

    mu, probs, var = predict(model, x_test, EVAL_SAMPLES, args.seed)
    acc, sampled_acc = tf.accuracy(mu, y_test), tf.accuracy(probs, y_test)
    mc_acc = tf.evaluate_mc(model, x_test, y_test, tf.MC_PASSES, args.seed)
    print("[%s] test acc (argmax mu, eval) %.4f; mean softmax of %d logit "
          "samples %.4f; MC dropout (T=%d, mu) %.4f"
          % (NAME, acc, EVAL_SAMPLES, sampled_acc, tf.MC_PASSES, mc_acc))

    x_noisy, x_blend, y_partner = perturbed_test_sets(
        data.test_images, data.test_labels, data.mean, data.std, args.seed)
    aleatoric = {}
    for label, x, y in (("clean", x_test, y_test), ("noisy", x_noisy, y_test),
                        ("blended", x_blend, y_test)):
        mu_s, _, var_s = predict(model, x, 1, args.seed)
        top = mu_s.argmax(1, keepdim=True)
        aleatoric[label] = {
            "mean_var": var_s.mean().item(),
            "median_var": var_s.mean(1).median().item(),
            "mean_var_predicted_class": var_s.gather(1, top).mean().item(),
            "accuracy": tf.accuracy(mu_s, y),
        }
        if label != "clean":
            aleatoric[label]["fraction_var_above_clean"] = \
                (var_s.mean(1) > var.mean(1)).float().mean().item()
        if label == "blended":
            aleatoric[label]["accuracy_either_class"] = \
                ((mu_s.argmax(1) == y) | (mu_s.argmax(1) == y_partner)) \
                .float().mean().item()
        print("[%s] %-7s images: mean exp(s) %.4f (median over images "
              "%.4f, predicted class %.4f), acc %.4f"
              % (NAME, label, aleatoric[label]["mean_var"],
                 aleatoric[label]["median_var"],
                 aleatoric[label]["mean_var_predicted_class"],
                 aleatoric[label]["accuracy"]), flush=True)
    print("[%s] %s" % (NAME, {k: v for k, v in aleatoric.items()
                              if k != "clean"}), flush=True)

    description = ("Fashion-MNIST CNN, heteroscedastic (Kendall & Gal 2017): "
                   "returns logits and a log variance per logit, trained "
                   "with the expected-softmax loss (K=%d); dropout p=%.1f x2 "
                   "in the head for MC dropout"
                   % (TRAIN_SAMPLES, tf.DROPOUT_P))
    path = os.path.join(args.out_dir, NAME + ".pt")
    _, size = tf.export(model, path,
                        tf.make_meta(NAME, data.mean, data.std, description,
                                     acc, output="logits_logvar"),
                        x_test[:256], expect_stochastic=True)
    assert size < 2 << 20, "%s: %d bytes" % (path, size)

    tf.update_metrics(os.path.join(args.out_dir, "metrics.json"), {
        "models": {NAME: {
            "test_accuracy": acc,
            "sampled_accuracy": sampled_acc,
            "logit_samples": EVAL_SAMPLES,
            "mc_accuracy": mc_acc,
            "mc_passes": tf.MC_PASSES,
            "mean_logit_variance": var.mean().item(),
            "aleatoric_check": dict(aleatoric, noise_std=NOISE_STD),
            "loss_samples": TRAIN_SAMPLES,
            "epochs": args.epochs,
            "seed": args.seed,
            "threads": args.threads,
            "train_wall_s": round(train_time, 1),
            "epoch_wall_s": [round(t, 1) for t in epoch_times],
            "parameters": sum(p.numel() for p in model.parameters()),
            "bundle_bytes": size,
        }},
    })


if __name__ == "__main__":
    main()
