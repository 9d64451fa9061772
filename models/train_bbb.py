#!/usr/bin/python3
"""Trains the Bayes-by-backprop Fashion-MNIST classifier (stochastic weights).

Output (in models/ by default): fmnist-bbb-cnn.pt, and its entry in
metrics.json.

Blundell et al. 2015, "Weight uncertainty in neural networks": the encoder is
fmnist-mc-cnn's, deterministic (conv blocks, Linear(576, 256), ReLU); the head
is two Bayesian linear layers, BayesLinear(256, 128) - ReLU -
BayesLinear(128, 10), with a factorised Gaussian posterior over every weight
and bias (mean mu, std softplus(rho)) and a N(0, PRIOR_STD^2) prior. The loss
per batch is the mean cross-entropy plus KL(q || prior) / (training-set size).
There are no Dropout modules.

The forward is random in eval mode too, and each ROW of a batch gets its own
weight sample: the layers use the local reparameterization trick (Kingma,
Salimans & Welling 2015), sampling the pre-activations
    out = x mu_W^T + mu_b + sqrt(x^2 sigma_W^2^T + sigma_b^2) * eps,
    eps ~ N(0, 1) per output element,
which for a factorised Gaussian posterior has exactly the distribution of
x W^T + b with W, b drawn afresh for that row. The app replicates an image T
times in one batch to get T passes, so this is what makes the T passes
independent. Run from the repository root:

  /usr/bin/python3 models/train_bbb.py
"""

import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fmnist as tf  # noqa: E402

NAME = "fmnist-bbb-cnn"
PRIOR_STD = 0.1
RHO_INIT = -5.0     # sigma = softplus(-5) = 0.0067 at the start


class BayesLinear(nn.Module):
    """Linear layer with Gaussian weights and biases, sampled with the local
    reparameterization trick: a fresh, independent sample per output element
    of every row, in train and eval mode alike."""

    def __init__(self, in_features, out_features, prior_std=PRIOR_STD,
                 rho_init=RHO_INIT):
        super().__init__()
        init = nn.Linear(in_features, out_features)   # nn.Linear's init
        self.weight_mu = nn.Parameter(init.weight.detach().clone())
        self.bias_mu = nn.Parameter(init.bias.detach().clone())
        self.weight_rho = nn.Parameter(
            torch.full((out_features, in_features), rho_init))
        self.bias_rho = nn.Parameter(torch.full((out_features,), rho_init))
        self.prior_std = prior_std

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = F.linear(x, self.weight_mu, self.bias_mu)
        var = F.linear(x * x, F.softplus(self.weight_rho) ** 2,
                       F.softplus(self.bias_rho) ** 2)
        return mean + torch.sqrt(var) * torch.randn_like(mean)

    def mean_forward(self, x):
        """The output with every weight at its posterior mean."""
        return F.linear(x, self.weight_mu, self.bias_mu)

    def kl(self):
        """KL(q || N(0, prior_std^2)) summed over weights and biases."""
        total = 0.0
        for mu, rho in ((self.weight_mu, self.weight_rho),
                        (self.bias_mu, self.bias_rho)):
            sigma = F.softplus(rho)
            total = total + (math.log(self.prior_std) - torch.log(sigma)
                             + (sigma ** 2 + mu ** 2)
                             / (2 * self.prior_std ** 2) - 0.5).sum()
        return total


class BBBCNN(tf.FashionCNN):
    """fmnist-mc-cnn's deterministic encoder; Bayesian head without
    dropout. ``encode``, ``head`` and ``forward`` are FashionCNN's."""

    def __init__(self, num_classes=10, prior_std=PRIOR_STD):
        super().__init__(mc_dropout=False, num_classes=num_classes)
        self.classifier = nn.Sequential(
            BayesLinear(256, 128, prior_std),
            nn.ReLU(inplace=True),
            BayesLinear(128, num_classes, prior_std),
        )

    def kl(self):
        return sum(m.kl() for m in self.classifier
                   if isinstance(m, BayesLinear))


@torch.no_grad()
def posterior_mean_logits(model, x):
    """Eval-mode logits with the head's weights at their posterior means."""
    model.eval()
    out = []
    for i in range(0, x.shape[0], tf.EVAL_BATCH):
        h = model.encode(x[i:i + tf.EVAL_BATCH])
        for m in model.classifier:
            h = m.mean_forward(h) if isinstance(m, BayesLinear) else m(h)
        out.append(h)
    return torch.cat(out)


def elbo_loss(train_size):
    def loss_fn(model, xb, yb):
        logits = model(xb)
        return F.cross_entropy(logits, yb) + model.kl() / train_size, logits
    return loss_fn


def main():
    p = tf.common_args(__doc__.split("\n")[0], epochs=4, seed=4000)
    args = p.parse_args()
    tf.setup_torch(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    data = tf.load_data(args.data_dir)
    x_test, y_test = data.x_test, data.y_test

    torch.manual_seed(args.seed)
    model = BBBCNN()
    start = time.perf_counter()
    epoch_times = tf.train(model, data.x_train, data.y_train, x_test, y_test,
                           args.epochs, args.seed, NAME,
                           loss_fn=elbo_loss(data.x_train.shape[0]))
    train_time = time.perf_counter() - start

    torch.manual_seed(args.seed)
    single_acc = tf.evaluate(model, x_test, y_test)
    mc_acc = tf.evaluate_mc(model, x_test, y_test, tf.MC_PASSES, args.seed)
    mean_acc = tf.accuracy(posterior_mean_logits(model, x_test), y_test)
    sigmas = {n[:-len("_rho")]: F.softplus(p).mean().item()
              for n, p in model.named_parameters() if n.endswith("_rho")}
    print("[%s] test acc: one pass %.4f, mean of T=%d passes %.4f, "
          "posterior means %.4f; mean sigma %s"
          % (NAME, single_acc, tf.MC_PASSES, mc_acc, mean_acc, sigmas),
          flush=True)
    kl = model.kl().item()

    description = ("Fashion-MNIST CNN, Bayes-by-backprop (Blundell 2015): "
                   "Gaussian weights in the two head layers, local "
                   "reparameterization, so every pass and every row of a "
                   "batch draws its own weights, also in eval mode; no "
                   "dropout")
    path = os.path.join(args.out_dir, NAME + ".pt")
    _, size = tf.export(model, path,
                        tf.make_meta(NAME, data.mean, data.std, description,
                                     mc_acc),
                        x_test[:256], expect_stochastic=True,
                        random_forward=True)
    assert size < 2 << 20, "%s: %d bytes" % (path, size)

    tf.update_metrics(os.path.join(args.out_dir, "metrics.json"), {
        "models": {NAME: {
            "test_accuracy": mc_acc,
            "mc_passes": tf.MC_PASSES,
            "single_pass_accuracy": single_acc,
            "posterior_mean_accuracy": mean_acc,
            "prior_std": PRIOR_STD,
            "rho_init": RHO_INIT,
            "mean_sigma": sigmas,
            "kl_nats": kl,
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
