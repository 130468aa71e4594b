"""What admins read about an announcement's office (issue 21), in simple Indonesian. The
texts of a deployment with one office stay in `bot.core.replies`, unchanged."""

from __future__ import annotations

ALL_OFFICES = "semua kantor"
PREVIEW = (
    "Pratinjau pengumuman #{number}\n"
    "Untuk pelanggan {audience}.\n"
    "Akan dikirim ke {count} pelanggan ({channels}).\n"
    "Beginilah pesan yang mereka terima:\n\n"
    "{message}\n\n"
    "Kirim sekarang?"
)
UNKNOWN_OFFICE = (
    "Kantor “{typed}” tidak dikenal. Pilih salah satu: {known}.\n"
    "Contoh: /umumkan kantor=kotabumi Kuota bulan depan dibuka Senin pukul 09.00."
)
OTHER_OFFICE = (
    "Maaf, Anda admin {own} dan hanya dapat mengirim pengumuman ke pelanggan kantor itu. "
    "Tulis /umumkan TEKS tanpa kantor=."
)
NOT_YOURS = (
    "Maaf, pengumuman #{number} untuk {office}. Anda hanya dapat mengurus pengumuman {own}."
)
