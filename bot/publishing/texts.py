"""What publishing says to admins (Indonesian): refusals of a post, the states as the console
names them, the notes on a publication, and the alert when one fails."""

from __future__ import annotations

from bot.publishing.vocabulary import State

STATE_LABELS = {
    State.SCHEDULED: "Terjadwal",
    State.CONTAINERS: "Sedang diunggah",
    State.PUBLISHING: "Sedang diterbitkan",
    State.PUBLISHED: "Terbit",
    State.FAILED: "Gagal",
    State.CANCELLED: "Dibatalkan",
}

NO_ENTRY = "ID entri kosong."
NO_APPROVER = "Nama admin yang menyetujui kosong."
NAIVE_TIME = "Waktu terbit harus memakai zona waktu."
SLIDE_COUNT = "Unggahan perlu {low} sampai {high} gambar (ada {count})."
NOT_JPEG = "Gambar ke-{number} bukan JPEG."
TOO_LARGE = "Gambar ke-{number} lebih dari {mib} MB."
NO_CAPTION = "Keterangan (caption) kosong."
LONG_CAPTION = "Keterangan {count} karakter; Instagram membolehkan paling banyak {limit}."
HASHTAGS = "Keterangan memuat {count} tagar; Instagram membolehkan paling banyak {limit}."
MENTIONS = "Keterangan menyebut {count} akun; Instagram membolehkan paling banyak {limit}."
ALT_COUNT = "Teks alternatif harus satu per gambar ({slides} gambar, {alts} teks)."

QUOTA_WAIT = "Menunggu batas unggah Instagram ({used}/{total} dalam 24 jam)."
QUOTA_REFUSED = "Instagram menolak: batas unggah 24 jam tercapai; dicoba lagi nanti."
STILL_PROCESSING = "Instagram masih memproses gambar."
CONTAINER_FAILED = "Instagram menolak gambar ({status}); diunggah ulang."
NO_SLIDES = "Gambar unggahan tidak ada lagi di basis data."
PLATFORM_SAID = "Instagram menjawab: {reason}"

FAILED_ALERT = (
    "⚠️ Unggahan Instagram #{id} ({entry}) gagal diterbitkan setelah {attempts} percobaan: "
    "{reason}\nTidak akan dicoba lagi; jadwalkan ulang dari konsol bila perlu."
)
UNSURE_ALERT = (
    "⚠️ Unggahan Instagram #{id} ({entry}): jawaban Instagram atas perintah terbit tidak "
    "diterima setelah {attempts} percobaan ({reason}).\nUnggahan ini tidak dikirim lagi; "
    "periksa di aplikasi Instagram apakah sudah tampil."
)
