"""A kit on disk, as tooling expects it: `DIR/<entry-id>/slide-1.jpg … slide-N.jpg`,
`story.jpg`, `caption.txt` and `alt.txt` (one line per slide)."""

from __future__ import annotations

from pathlib import Path

from bot.content.vocabulary import Kit, Post


def write_kit(kit: Kit, out: Path) -> list[Path]:
    """Write every post into its own folder under `out`; returns the folders in order."""
    out.mkdir(parents=True, exist_ok=True)
    return [write_post(post, out / post.entry_id) for post, _ in kit.posts]


def write_post(post: Post, folder: Path) -> Path:
    """The post's files in `folder` (slides left from an earlier, longer run are removed)."""
    folder.mkdir(exist_ok=True)
    for old in folder.glob("slide-*.jpg"):
        old.unlink()
    for number, image in enumerate(post.slides, start=1):
        (folder / f"slide-{number}.jpg").write_bytes(image)
    (folder / "story.jpg").write_bytes(post.story)
    (folder / "caption.txt").write_text(f"{post.caption}\n", encoding="utf-8")
    (folder / "alt.txt").write_text("".join(f"{line}\n" for line in post.alt), encoding="utf-8")
    return folder
