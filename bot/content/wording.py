"""The words of a post, taken from one knowledge-base entry only: the title and first example
question on the cover, the answer's ideas as numbered steps, and the caption; `problems`
checks words an admin edited against the same limits."""

from __future__ import annotations

from bot.content.brand import hashtags_for
from bot.content.ideas import MAX_STEPS, MAX_WORDS, Idea, ideas_of, post_sentences, sentences_of
from bot.content.vocabulary import Brand, PostText, Slide
from bot.core.replies import fill
from knowledge.entries import Entry, KnowledgeBase

MIN_SLIDES, MAX_SLIDES = 3, 6
CAPTION_MAX = 2200  # Instagram's limit
HASHTAGS_MAX = 30  # Instagram's limit
ASK_US = "Tanya lewat DM atau komentar ya 🙏"
STILL_ASKING = "Masih ada pertanyaan?"
SEE_POST = "Jawabannya ada di postingan terbaru kami."


def draft(entry: Entry, kb: KnowledgeBase, brand: Brand) -> PostText:
    """The post's words for `entry`, every sentence from the entry itself (the office's name
    filled in), and the brand's contact and hashtags in the caption."""
    hook = entry.questions[0] if entry.questions else entry.title
    cover = Slide("cover", entry.title, (hook,))
    steps = [
        Slide("step", idea.heading, idea.lines, number)
        for number, idea in enumerate(_steps(entry, kb), start=1)
    ]
    end = [Slide("end", STILL_ASKING, (ASK_US,))] if len(steps) + 1 < MAX_SLIDES else []
    tags = hashtags_for(entry.category, brand)
    caption = caption_text(hook, _caption_answer(entry, kb), f"📞 {brand.contact}", tags)
    story = Slide("cover", entry.title, (hook, SEE_POST))
    return PostText(entry.id, entry.title, (cover, *steps, *end), story, caption)


def _steps(entry: Entry, kb: KnowledgeBase) -> list[Idea]:
    """The answer's ideas; the short answer's when the whole one needs more than five slides."""
    ideas = ideas_of(post_sentences(fill(entry.answer, kb)))
    if len(ideas) > MAX_STEPS or any(idea.words > MAX_WORDS for idea in ideas):
        ideas = ideas_of(post_sentences(fill(entry.short, kb)))
    return sentences_of(ideas[0]) if len(ideas) == 1 else ideas[:MAX_STEPS]


def _caption_answer(entry: Entry, kb: KnowledgeBase) -> str:
    return post_sentences(fill(entry.short or entry.answer, kb))


def caption_text(hook: str, answer: str, contact: str, hashtags: tuple[str, ...]) -> str:
    """Hook, short answer, the invitation to ask, the contact and the hashtags."""
    parts = [hook, answer, ASK_US, contact, " ".join(hashtags)]
    return "\n\n".join(part.strip() for part in parts if part.strip())


def problems(texts: PostText) -> list[str]:
    """What breaks the post's limits, one message per problem (empty: the post can be drawn)."""
    found = []
    if not MIN_SLIDES <= len(texts.slides) <= MAX_SLIDES:
        found.append(f"{len(texts.slides)} slide; harus {MIN_SLIDES} sampai {MAX_SLIDES}.")
    for number, slide in enumerate(texts.slides, start=1):
        if not (slide.heading.strip() or any(line.strip() for line in slide.lines)):
            found.append(f"Slide {number} kosong.")
        if slide.words > MAX_WORDS:
            found.append(f"Slide {number}: {slide.words} kata, paling banyak {MAX_WORDS}.")
    if not texts.story.heading.strip():
        found.append("Story tanpa judul.")
    found += caption_problems(texts.caption)
    return found


def caption_problems(caption: str) -> list[str]:
    """The caption's length and hashtags against Instagram's limits."""
    found = []
    if not caption.strip():
        found.append("Caption kosong.")
    if len(caption) > CAPTION_MAX:
        found.append(f"Caption {len(caption)} karakter, paling banyak {CAPTION_MAX}.")
    tags = sum(1 for word in caption.split() if word.startswith("#"))
    if tags > HASHTAGS_MAX:
        found.append(f"Caption memuat {tags} tagar, paling banyak {HASHTAGS_MAX}.")
    return found
