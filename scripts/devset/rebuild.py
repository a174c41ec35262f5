"""Rebuild the development clips from snapshots of their source repositories.

    python scripts/devset/rebuild.py MIRRORS OUT [--manifest scripts/devset/manifest.json]

MIRRORS holds one bare git directory per repository, named `owner+name` (with the git data in it
or in its `repo/` folder), as the search tool's `fetch` lays them out. Each clip is taken from its
recorded commit and path, checked against its sha256 and written to OUT under its manifest name.
An animated GIF (one clip) is re-encoded frame for frame to MP4 at its own frame rate; its hash is
that of the re-encoding here, so a different OpenCV may give other bytes: the GIF's own blob is
named in the clip's notes. The clips are never committed: most carry no licence.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


def git_dir(mirrors: Path, repo: str) -> Path | None:
    base = mirrors / repo.replace("/", "+")
    for candidate in (base / "repo", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def blob(git: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git}", "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def gif_to_mp4(data: bytes, out: Path, fps: float) -> None:
    import cv2  # the app's environment has it; only the GIF clip needs it

    with tempfile.NamedTemporaryFile(suffix=".gif") as gif:
        gif.write(data)
        gif.flush()
        video = cv2.VideoCapture(gif.name)
        writer = None
        while True:
            ok, frame = video.read()
            if not ok:
                break
            if writer is None:
                size = (frame.shape[1], frame.shape[0])
                writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
            writer.write(frame)
        if writer is not None:
            writer.release()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.json")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    problems = 0
    for clip in json.loads(args.manifest.read_text(encoding="utf-8")):
        target = args.out / clip["file"]
        git = git_dir(args.mirrors, clip["repo"])
        if git is None:
            print(f"{clip['file']}: no snapshot of {clip['repo']} in {args.mirrors} (fetch it first)")
            problems += 1
            continue
        try:
            data = blob(git, clip["commit"], clip["path"])
        except subprocess.CalledProcessError:
            print(f"{clip['file']}: {clip['path']} is not at {clip['commit'][:10]} in {clip['repo']}")
            problems += 1
            continue
        if clip["path"].lower().endswith(".gif"):
            gif_to_mp4(data, target, clip["fps"])
        else:
            target.write_bytes(data)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        if digest != clip["sha256"]:
            print(f"{clip['file']}: sha256 {digest[:12]}… differs from the manifest's {clip['sha256'][:12]}…")
            problems += 1
    print(f"rebuilt into {args.out}; {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
