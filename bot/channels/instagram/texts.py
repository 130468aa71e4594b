"""What the Instagram channel says in its own words: to applicants (Indonesian) and to the
officers' group about Instagram's rules (takeover, the messaging windows)."""

from __future__ import annotations

COMMENT_HIDDEN = (
    "Halo, komentar Anda di postingan kami kami sembunyikan karena memuat data pribadi "
    "(misalnya NIK, nomor HP, atau nomor paspor). Demi keamanan Anda, jangan menulis data "
    "pribadi di kolom komentar. Silakan lanjutkan pertanyaan Anda lewat DM ini ya 🙏"
)
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
