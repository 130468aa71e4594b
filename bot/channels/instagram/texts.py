"""What the Instagram channel says in its own words: to applicants (Indonesian) and to the
officers' group about Instagram's rules (takeover, the messaging windows)."""

from __future__ import annotations

COMMENT_HIDDEN = (
    "Halo, komentar Anda di postingan kami kami sembunyikan karena memuat data pribadi "
    "(misalnya NIK, nomor HP, atau nomor paspor). Demi keamanan Anda, jangan menulis data "
    "pribadi di kolom komentar. Silakan lanjutkan pertanyaan Anda lewat DM ini ya 🙏"
)
# No ticket, so no number: and no Instagram id or name either, the group is no place for them.
TAKEOVER_NO_TICKET = (
    "👤 Petugas membalas langsung di aplikasi Instagram (tanpa tiket). Bot diam di "
    "percakapan itu selama {minutes} menit."
)
MAIN_TOKEN_VARIABLE = "INSTAGRAM_ACCESS_TOKEN"
_NEW_TOKEN = (
    "Buat token baru di Meta (Instagram → API setup with Instagram login → Generate access "
    "tokens), isikan ke {variable}, lalu jalankan ulang bot."
)
_EXPIRING = (
    "⚠️ Token akses Instagram{whose} habis dalam {days} hari dan belum bisa diperbarui otomatis."
)
_EXPIRED = "⚠️ Token akses Instagram{whose} sudah kedaluwarsa: bot tidak bisa membalas {where}."


def token_warning(
    days: int | None, office: str | None = None, variable: str = MAIN_TOKEN_VARIABLE
) -> str:
    """The admins' warning: the token expires in `days` (None: it has expired); `office`
    names an office's own account (None: the main account), `variable` where to paste."""
    whose = f" akun {office}" if office else ""
    if days is None:
        where = "lewat akun itu" if office else "di Instagram"
        head = _EXPIRED.format(whose=whose, where=where)
    else:
        head = _EXPIRING.format(whose=whose, days=days)
    return f"{head} {_NEW_TOKEN.format(variable=variable)}"


NOTE_TAKEOVER = (
    "👤 Tiket #{number}: petugas membalas langsung di aplikasi Instagram. Bot diam di "
    "percakapan ini selama {minutes} menit."
)
NOTE_CONTEXT = "↩ Tiket #{number}: pesan pemohon ini membalas {what}."
CONTEXT_STORY = "story kantor (id {story})"
CONTEXT_MESSAGE = "pesan sebelumnya di DM"
NOTE_WINDOW_CLOSED = (
    "⚠ Balasan tiket #{number} tidak terkirim: pemohon terakhir menulis di Instagram lebih "
    "dari {limit} lalu, dan Instagram hanya mengizinkan balasan dalam batas itu. Tunggu "
    "pemohon menulis lagi, atau hubungi lewat kontak lain."
)
LIMIT_DAY = "24 jam"
LIMIT_WEEK = "7 hari"
NOTE_HUMAN_AGENT = (
    "ℹ Tiket #{number}: balasan dikirim dengan tanda HUMAN_AGENT (lewat 24 jam sejak pesan "
    "terakhir pemohon, masih dalam 7 hari)."
)
NOTE_FAILED = "⚠ Balasan tiket #{number} tidak terkirim ke Instagram: {reason}"
