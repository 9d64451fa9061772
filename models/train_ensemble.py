#!/usr/bin/python3
"""Trains the bundled deep ensemble: 5 independently seeded Fashion-MNIST CNNs.

Outputs (in models/ by default):

  fmnist-ens-0.pt ... fmnist-ens-4.pt   members: the fmnist-mc-cnn architecture
                                        (two Dropout(0.5) in the head), seeds
                                        2000+k, so each can also run MC dropout
  fmnist-ensemble.json                  ensemble manifest listing them
  metrics.json                          entries added/replaced for these models

Deep ensembles: Lakshminarayanan, Pritzel & Blundell 2017. Members differ only
in their seed (initialisation, data order, dropout masks). Data, training loop,
evaluation and export come from train_fmnist.py. Run from the repository root:

  /usr/bin/python3 models/train_ensemble.py
"""

import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bundle  # noqa: E402
import train_fmnist as tf  # noqa: E402

MEMBERS = 5
NAME = "fmnist-ensemble"


def main():
    p = tf.common_args(__doc__.split("\n")[0], epochs=3, seed=2000,
                       seed_help="member k uses seed+k (default 2000)")
    p.add_argument("--members", type=int, default=MEMBERS,
                   help="ensemble size (default %d)" % MEMBERS)
    args = p.parse_args()
    tf.setup_torch(args.threads)
    os.makedirs(args.out_dir, exist_ok=True)
    data = tf.load_data(args.data_dir)
    x_test, y_test = data.x_test, data.y_test

    seeds = [args.seed + k for k in range(args.members)]
    entries, files = {}, []
    eval_probs, mc_probs = [], []
    for k, seed in enumerate(seeds):
        name = "fmnist-ens-%d" % k
        torch.manual_seed(seed)
        model = tf.FashionCNN(mc_dropout=True)
        start = time.perf_counter()
        epoch_times = tf.train(model, data.x_train, data.y_train, x_test,
                               y_test, args.epochs, seed, name)
        train_time = time.perf_counter() - start
        eval_probs.append(tf.predict_probs(model, x_test))
        mc_probs.append(tf.predict_probs(model, x_test, tf.MC_PASSES, seed))
        acc = tf.accuracy(eval_probs[-1], y_test)
        mc_acc = tf.accuracy(mc_probs[-1], y_test)
        print("[%s] test acc (eval) %.4f, MC-dropout acc (T=%d) %.4f"
              % (name, acc, tf.MC_PASSES, mc_acc), flush=True)
        description = ("Fashion-MNIST CNN, member %d of the deep ensemble %s "
                       "(seed %d); dropout p=%.1f x2 in the head for MC "
                       "dropout" % (k, NAME, seed, tf.DROPOUT_P))
        path = os.path.join(args.out_dir, name + ".pt")
        _, size = tf.export(model, path,
                            tf.make_meta(name, data.mean, data.std,
                                         description, acc),
                            x_test[:256], expect_stochastic=True)
        assert size < 2 << 20, "%s: %d bytes" % (path, size)
        files.append(name + ".pt")
        entries[name] = {
            "test_accuracy": acc,
            "mc_accuracy": mc_acc,
            "mc_passes": tf.MC_PASSES,
            "epochs": args.epochs,
            "seed": seed,
            "threads": args.threads,
            "train_wall_s": round(train_time, 1),
            "epoch_wall_s": [round(t, 1) for t in epoch_times],
            "parameters": sum(p.numel() for p in model.parameters()),
            "bundle_bytes": size,
        }

    ens_acc = tf.accuracy(torch.stack(eval_probs).mean(0), y_test)
    ens_mc_acc = tf.accuracy(torch.stack(mc_probs).mean(0), y_test)
    print("[%s] %d members: test acc (mean softmax, eval) %.4f, with MC "
          "dropout (T=%d per member) %.4f"
          % (NAME, len(seeds), ens_acc, tf.MC_PASSES, ens_mc_acc), flush=True)

    manifest_path = os.path.join(args.out_dir, NAME + ".json")
    description = ("Deep ensemble of %d Fashion-MNIST CNNs (seeds %d-%d), "
                   "each with MC dropout in its head"
                   % (len(seeds), seeds[0], seeds[-1]))
    bundle.save_ensemble_manifest(manifest_path, files, NAME, description)
    manifest, paths = bundle.load_ensemble(manifest_path)
    assert manifest["members"] == files and len(paths) == len(files)
    print("wrote %s" % manifest_path, flush=True)

    tf.update_metrics(os.path.join(args.out_dir, "metrics.json"), {
        "models": entries,
        "ensembles": {NAME: {
            "members": files,
            "test_accuracy": ens_acc,
            "mc_accuracy": ens_mc_acc,
            "mc_passes_per_member": tf.MC_PASSES,
            "train_wall_s": round(sum(e["train_wall_s"]
                                      for e in entries.values()), 1),
        }},
    })


if __name__ == "__main__":
    main()
