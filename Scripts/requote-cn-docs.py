#!/usr/bin/env python3
"""Re-quotes CN_docs after the program's output changed: each block marked
`<!-- transcript: PATH -->` that no longer appears verbatim in PATH is replaced by the lines of
PATH from the block's first line to its last line (or, when the last line changed, as many lines
as the block had). Blocks marked `<!-- tshark: CAPTURE ARGS... -->` are treated the same way
against what `tshark -r CAPTURE ARGS...` prints now (skipped when tshark is not installed).
Blocks whose first line is gone are listed for a human. Always read the diff: the prose around a
quote may describe values that changed. CNDocsTests checks the result."""
import glob, os, re, shutil, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
marker = re.compile(r"<!-- (transcript|tshark): ([^\n]+?) -->\n```text\n(.*?)```", re.S)
unresolved = []

def mask(line):
    """A line with its numbers and hex bytes replaced, and spacing normalised: its layout."""
    return re.sub(r"\s+", " ", re.sub(r"\b[0-9a-f]{2,}\b|\d+", "#", line)).strip()

def source_text(kind, source):
    """The text a marked block quotes: a file's contents, or what tshark prints; None if unknown."""
    if kind == "transcript":
        full = os.path.join(root, source)
        return open(full, encoding="utf-8").read() if os.path.exists(full) else None
    words = source.split(" ")
    if not shutil.which("tshark") or not os.path.exists(os.path.join(root, words[0])):
        return None
    return subprocess.run(["tshark", "-r", words[0]] + words[1:], cwd=root, capture_output=True, text=True).stdout

def requote(doc, match):
    kind, path, block = match.group(1), match.group(2), match.group(3)
    text = source_text(kind, path)
    if text is None:
        return match.group(0)
    if block in text:
        return match.group(0)
    old = block.rstrip("\n").split("\n")
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line == old[0]]
    if not starts:
        # The values changed but not the layout: match lines with numbers and hex masked.
        masked = [mask(line) for line in lines]
        starts = [i for i, line in enumerate(masked) if line == mask(old[0])]
        if starts:
            start = max(starts, key=lambda i: sum(1 for k, line in enumerate(old) if i + k < len(lines) and masked[i + k] == mask(line)))
            new = "\n".join(lines[start:start + len(old)]) + "\n"
            print(f"{os.path.basename(doc)}: values changed in the block starting {old[0].strip()[:60]!r}: read the prose around it")
            return f"<!-- {kind}: {path} -->\n```text\n{new}```"
    if not starts:
        # The first line was wrapped at the trace's width: it now starts a line and goes on below.
        starts = [i for i, line in enumerate(lines) if len(line.strip()) >= 20 and old[0].startswith(line.rstrip())]
        wrapped_last = [j for j, line in enumerate(lines) if len(line.strip()) >= 10 and old[-1].startswith(line.rstrip())]
        if starts and wrapped_last:
            start = starts[0]
            ends = [j for j in wrapped_last if j >= start]
            if ends:
                end = ends[0]
                indent = len(lines[end]) - len(lines[end].lstrip())
                while end + 1 < len(lines) and lines[end] != old[-1] and len(lines[end + 1]) - len(lines[end + 1].lstrip()) > indent:
                    end += 1
                new = "\n".join(lines[start:end + 1]) + "\n"
                print(f"{os.path.basename(doc)}: wrapped lines in the block starting {old[0].strip()[:60]!r}: read it")
                return f"<!-- {kind}: {path} -->\n```text\n{new}```"
        unresolved.append(f"{os.path.basename(doc)}: first line gone: {old[0]!r}")
        return match.group(0)
    def score(i):
        return sum(1 for k, line in enumerate(old) if i + k < len(lines) and lines[i + k] == line)
    start = max(starts, key=score)
    ends = [j for j in range(start, min(len(lines), start + 3 * len(old) + 10)) if lines[j] == old[-1]]
    end = ends[0] if ends and len(old) > 1 else start + len(old) - 1
    new = "\n".join(lines[start:end + 1]) + "\n"
    return f"<!-- {kind}: {path} -->\n```text\n{new}```"

for doc in sorted(glob.glob(os.path.join(root, "CN_docs", "*.md"))):
    text = open(doc, encoding="utf-8").read()
    # Examples of the convention sit inside ```` fences and are not quotes.
    parts = re.split(r"(````.*?````)", text, flags=re.S)
    updated = "".join(part if i % 2 else marker.sub(lambda m: requote(doc, m), part) for i, part in enumerate(parts))
    if updated != text:
        open(doc, "w", encoding="utf-8").write(updated)
        print("requoted", os.path.relpath(doc, root))
for line in unresolved:
    print("by hand:", line, file=sys.stderr)
sys.exit(1 if unresolved else 0)
