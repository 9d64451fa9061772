#!/usr/bin/env python3
"""Writes a man page from a hand-written troff template and the binary's own --help.

The template holds the prose (description, files, exit status, examples); the generator fills in
what must match the binary exactly:
  @VERSION@   the project version
  @DATADIR@   where the package puts models/, resources/ and scripts/ (--datadir)
  @OPTIONS@   the options of `BINARY --help` (CLI11 or QCommandLineParser layout), one .TP each,
              with a .SS per option group after the first
  @COMMANDS@  for a binary with subcommands, a .SS per subcommand: its description and the
              options of `BINARY SUBCOMMAND --help`
--replace FROM=TO rewrites text in the help (a build-tree default path into the installed one).
"""
import argparse
import os
import re
import subprocess
import sys


def run_help(binary, args, replacements):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8", COLUMNS="200")
    out = subprocess.run([binary, *args, "--help"], env=env, check=True, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60).stdout
    for old, new in replacements:
        out = out.replace(old, new)
    return out


def parse_help(text):
    """Returns (description lines before Usage, [(group, [(spec, description)])],
    [(subcommand, description)])."""
    lines = text.splitlines()
    intro, groups, subcommands = [], [], []
    group = None
    in_subcommands = False
    seen_usage = False
    for line in lines:
        if line.startswith("Usage:"):
            seen_usage = True
            continue
        if not seen_usage:
            intro.append(line.strip())
            continue
        if not line.strip():
            continue
        if not line.startswith(" ") and line.rstrip().endswith(":"):
            heading = line.rstrip()[:-1]
            in_subcommands = heading == "Subcommands"
            group = None
            if not in_subcommands and heading != "Arguments":
                group = (heading, [])
                groups.append(group)
            continue
        if in_subcommands:
            name, _, description = line.strip().partition(" ")
            subcommands.append((name, description.strip()))
            continue
        if group is None:
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped.startswith("-") and indent <= 4:
            match = re.match(r"(\S.*?)(?:\s{2,}(.*))?$", stripped)
            group[1].append([match.group(1), (match.group(2) or "").strip()])
        elif group[1]:
            group[1][-1][1] = (group[1][-1][1] + " " + stripped).strip()
    return [l for l in intro if l], groups, subcommands


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return text


def roff_text(text):
    """Escapes running text; a line must not start with a control character."""
    text = escape(text)
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def option_spec(spec):
    """-m,--model TEXT REQUIRED -> \\fB\\-m\\fR, \\fB\\-\\-model\\fR \\fITEXT\\fR (required).
    Returns (roff, notes) where notes are CLI11's REQUIRED / Needs: / Excludes: remarks."""
    notes = []
    for keyword in ("Needs:", "Excludes:"):
        if keyword in spec:
            spec, _, rest = spec.partition(" " + keyword)
            notes.append(f"{keyword[:-1].lower()} {rest.strip()}")
    if spec.endswith(" REQUIRED"):
        spec = spec[: -len(" REQUIRED")]
        notes.insert(0, "required")
    # Qt: "-m, --model <file>"; CLI11: "-m,--model TEXT:...=default".
    names, _, argument = spec.partition(" ")
    if names.endswith(","):  # Qt's "-m, --model <file>"
        second, _, argument = argument.partition(" ")
        names = names + second
    parts = [f"\\fB{escape(name)}\\fR" for name in names.split(",") if name]
    text = ", ".join(parts)
    argument = argument.strip()
    if argument:
        text += " \\fI" + escape(argument) + "\\fR"
    return text, notes


def options_roff(groups):
    """The options as tagged paragraphs; groups after the first ("Options") under their name."""
    out = []
    for index, (heading, options) in enumerate(groups):
        if index > 0:
            out.append(".PP")
            out.append(f"\\fI{escape(heading)}:\\fR")
        for spec, description in options:
            text, notes = option_spec(spec)
            out.append(".TP")
            out.append(text)
            body = description
            if notes:
                body += (" " if body else "") + "(" + "; ".join(notes) + ")"
            out.append(roff_text(body) if body else "\\&")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--template", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--version", required=True)
    parser.add_argument("--datadir", required=True)
    parser.add_argument("--replace", action="append", default=[], metavar="FROM=TO")
    args = parser.parse_args()
    replacements = [tuple(r.split("=", 1)) for r in args.replace]

    _, groups, subcommands = parse_help(run_help(args.binary, [], replacements))
    page = open(args.template, encoding="utf-8").read()
    page = page.replace("@VERSION@", args.version)
    page = page.replace("@DATADIR@", escape(args.datadir))
    page = page.replace("@OPTIONS@", options_roff(groups))
    if "@COMMANDS@" in page:
        sections = []
        for name, _ in subcommands:
            intro, sub_groups, _ = parse_help(run_help(args.binary, [name], replacements))
            sections.append(f".SS {escape(name)}")
            sections.append(roff_text(" ".join(intro)))
            sections.append(options_roff(sub_groups))
        page = page.replace("@COMMANDS@", "\n".join(sections))
    leftover = re.findall(r"@[A-Z]+@", page)
    if leftover:
        sys.exit(f"{args.template}: unfilled {leftover}")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(page)


if __name__ == "__main__":
    main()
