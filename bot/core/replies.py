"""Everything the bot says, in simple Indonesian, built from the knowledge base."""

from __future__ import annotations

from knowledge.entries import Entry, KnowledgeBase, Office

FEEDBACK_QUESTION = "Apakah jawaban ini membantu?"
FEEDBACK_OR_AGENT = "Apakah jawaban ini membantu? Petugas juga bisa menjawab langsung."
HELPFUL, NOT_HELPFUL = "👍 Membantu", "👎 Tidak membantu"
NONE_OF_THESE = "Bukan semuanya"
CLARIFY = "Maksud Anda yang mana? Pilih salah satu:"
WELCOME = (
    "Halo! Saya Tanya Paspor, asisten untuk membantu Anda membuat paspor lewat aplikasi "
    "M-Paspor di {office_name}.\n"
    "Ketik pertanyaan Anda dengan kata-kata sendiri, atau pilih topik di bawah."
)
MENU = "Pilih topik, atau ketik pertanyaan Anda:"
EMPTY = 'Pesan Anda kosong. Silakan ketik pertanyaan Anda, misalnya: "berapa biaya paspor?"'
NO_TEXT = (
    "Maaf, saya hanya bisa membaca tulisan. Silakan ketik pertanyaan Anda, "
    'misalnya: "syarat paspor anak".'
)
LONG = "Pesan Anda panjang sekali, jadi saya hanya membaca bagian awalnya."
FALLBACK = (
    "Maaf, pertanyaan ini belum bisa saya jawab dengan pasti. Supaya Anda tidak salah langkah, "
    "silakan tanyakan langsung ke petugas."
)
NOT_LISTED = (
    "Baik, maaf pilihan tadi belum tepat. Coba tulis pertanyaan Anda dengan kata lain, "
    "atau tanyakan langsung ke petugas."
)
THANKS_FEEDBACK = (
    "Terima kasih atas penilaian Anda. Masukan ini membantu kami memperbaiki jawaban."
)
SORRY_FEEDBACK = (
    "Terima kasih sudah memberi tahu. Maaf jawabannya belum membantu. "
    "Anda bisa bertanya dengan kata lain, atau menghubungi petugas."
)
FEEDBACK_UNKNOWN = "Maaf, penilaian itu tidak bisa dicatat. Silakan lanjutkan bertanya."
PRIVACY_WARNING = (
    "🔒 Demi keamanan, jangan kirim data pribadi di chat ini, seperti NIK, nomor KK, "
    "nomor paspor, nomor HP, email, kode OTP, atau kode billing. "
    "Data itu sudah kami sembunyikan dari catatan."
)
ERROR = "Maaf, sedang ada gangguan di sistem kami. Silakan coba lagi sebentar lagi."
TRY_AGAIN = (
    "Maaf, permintaan ini belum bisa kami proses karena ada gangguan. Silakan coba lagi "
    "sebentar lagi. Pertanyaan tentang paspor tetap bisa langsung kami jawab."
)


def office_details(office: Office) -> str:
    """The office's verified contact lines, or an honest note that they are not verified yet."""
    lines = [
        f"{label}: {value}"
        for label, value in (
            ("Alamat", office.address),
            ("Jam layanan", office.hours),
            ("Telepon", office.phone),
            ("WhatsApp", office.whatsapp),
            ("Email", office.email),
            ("Instagram", office.instagram),
        )
        if value
    ]
    if lines:
        return "\n".join(lines)
    return "Alamat, jam layanan dan nomor kontak kantor belum kami verifikasi."


def fill(text: str, kb: KnowledgeBase) -> str:
    """Insert the office profile into a text written with placeholders."""
    office = kb.office
    return (
        text.replace("{office_name}", office.name or "kantor imigrasi")
        .replace("{service_area}", office.service_area or "wilayah kerjanya")
        .replace("{office_details}", office_details(office))
    )


def _direct(office: Office, *, brief: bool) -> list[str]:
    """The office's own verified channels, labelled in full or in few letters."""
    labels = ("WA", "telp", "email") if brief else ("WhatsApp", "telepon", "email")
    values = (office.whatsapp, office.phone, office.email)
    return [f"{label} {value}" for label, value in zip(labels, values, strict=True) if value]


def footer(kb: KnowledgeBase) -> str:
    """The customer-centre contact that ends every answer and fallback."""
    if direct := _direct(kb.office, brief=False):
        return f"📞 Layanan pelanggan {kb.office.name}: " + ", ".join(direct)
    return f"📞 Layanan pelanggan Ditjen Imigrasi: {kb.national_contact}"


def short_footer(kb: KnowledgeBase) -> str:
    """The contact under a first reply: the same official channels in fewer words, so the
    reply still fits one phone screen."""
    if direct := _direct(kb.office, brief=True):
        return "📞 " + ", ".join(direct)
    return f"📞 Ditjen Imigrasi: {kb.national_contact_short or kb.national_contact}"


def answer_text(entry: Entry, kb: KnowledgeBase, *, first: bool = False) -> str:
    """An entry's answer with the office filled in and the contact footer (its short form
    when the answer is the `first` reply, which must fit one phone screen)."""
    contact = short_footer(kb) if first else footer(kb)
    return f"{fill(entry.answer, kb).strip()}\n\n{contact}"


def short_text(entry: Entry, kb: KnowledgeBase) -> str:
    """An entry's short answer with the office filled in and the short contact footer."""
    return f"{fill(entry.short, kb).strip()}\n\n{short_footer(kb)}"


def fallback_text(
    kb: KnowledgeBase, *, redirect: Entry | None = None, lead: str = FALLBACK
) -> str:
    """The honest "I can't answer that" with, where known, the right place to ask."""
    if redirect is None:
        return f"{lead}\n\n{footer(kb)}"
    # A pointer elsewhere is a first reply too: short, with the short footer, on one screen.
    text = redirect.short if redirect.has_details else redirect.answer
    return f"{fill(text, kb).strip()}\n\n{short_footer(kb)}"


AGENT_BUTTON = "🙋 Tanya petugas"
DETAILS_BUTTON = "📖 Selengkapnya"
DETAILS_GONE = (
    "Maaf, penjelasan lengkap untuk pilihan itu sudah tidak ada. "
    "Silakan ketik lagi pertanyaan Anda."
)
MENU_BUTTON = "📋 Menu"
FLOOD = (
    "Pesan Anda banyak sekali dalam satu menit. Mohon tunggu sebentar, lalu kirim lagi. "
    "Semua pesan tetap kami terima."
)
TICKET_OPENED = (
    "Pertanyaan Anda sudah kami teruskan ke petugas dengan nomor tiket #{number}.\n"
    "Petugas akan membalas di chat ini {hours}.\n"
    "Kalau ada tambahan, tulis saja di sini: semua masuk ke tiket yang sama. Sambil menunggu, "
    "pertanyaan yang bisa saya jawab tetap saya jawab langsung."
)
TICKET_NOT_POSTED = (
    "Pertanyaan Anda sudah kami catat sebagai tiket #{number}, tetapi saat ini belum berhasil "
    "sampai ke petugas karena ada gangguan. Sistem akan mengirimnya lagi otomatis; Anda tidak "
    "perlu mengirim ulang. Petugas akan membalas di chat ini {hours}."
)
TICKET_ALREADY_NOT_POSTED = (
    "Tiket #{number} Anda sudah tercatat, tetapi belum berhasil sampai ke petugas karena "
    "gangguan. Sistem terus mencoba mengirimnya; tulis saja tambahan Anda di sini."
)
TICKET_ASK_QUESTION = "Silakan tulis pertanyaan Anda sekarang, supaya petugas bisa membacanya."
TICKET_NO_QUESTION = "(pemohon belum menulis pertanyaan)"
TICKET_ALREADY = (
    "Anda sudah punya tiket #{number} yang sedang ditangani petugas. "
    "Tulis saja pesan Anda di sini, nanti masuk ke tiket itu."
)
TICKET_APPENDED = "Pesan Anda sudah ditambahkan ke tiket #{number}. Mohon tunggu balasan petugas."
OFFICER_ANSWER = "💬 Balasan petugas (tiket #{number}):\n\n{text}"
TICKET_DONE_BUTTON = "✅ Sudah terjawab"
TICKET_CLOSED = (
    "Tiket #{number} sudah ditutup. Terima kasih. "
    "Kalau masih ada pertanyaan, silakan tulis lagi kapan saja."
)
TICKET_CLOSED_BY_YOU = "Terima kasih. Tiket #{number} sudah ditutup."
HOURS_KNOWN = "pada jam layanan ({hours})"
HOURS_UNKNOWN = "pada jam kerja kantor"
NOTE_APPLICANT = "Tiket #{number}: pesan baru dari pemohon:\n{text}"
NOTE_BOT_ANSWERED = (
    "Tiket #{number}: pemohon bertanya lagi, dan bot sudah menjawabnya dengan entri "
    "“{title}”:\n{text}"
)
BOT_ANSWERED = "(dijawab bot dengan entri “{title}”)"
# Where no officer reads the chat (the terminal chat): how to reach the office instead.
NO_OFFICERS = (
    "Maaf, obrolan ini tidak tersambung ke petugas, jadi pesan Anda tidak bisa kami teruskan. "
    "Untuk bertanya langsung kepada petugas, silakan hubungi kantor."
)
NOTE_CLOSED_BY_APPLICANT = "Tiket #{number} ditutup oleh pemohon (sudah terjawab)."
ADMIN_POST_FAILED = (
    "⚠ Tiket #{number} belum bisa dikirim ke grup petugas. Dicoba lagi otomatis; "
    "lihat /tiket {number} di grup petugas untuk isinya."
)
ADMIN_POST_RECOVERED = "✅ Tiket #{number} akhirnya terkirim ke grup petugas."
NOTE_REMINDER = "⏰ Pengingat: tiket #{number} belum diambil petugas ({minutes} menit)."

MEDIA = (
    "Maaf, saya belum bisa membaca {what}. Silakan ketik pertanyaan Anda dengan tulisan, "
    'atau tekan "Tanya petugas" untuk bertanya kepada petugas.'
)
MEDIA_NAMES = {
    "photo": "foto",
    "voice": "pesan suara",
    "sticker": "stiker",
    "document": "dokumen",
    "location": "lokasi",
    "contact": "kontak",
    "video": "video",
}
HELP = (
    "Cara memakai Tanya Paspor:\n"
    '1. Ketik pertanyaan dengan kata-kata sendiri, misalnya "syarat paspor anak".\n'
    "2. Atau pilih topik dari menu.\n"
    '3. Kalau jawaban belum membantu, tekan "Tanya petugas".\n'
    "Jangan kirim NIK, kode OTP, atau kata sandi di chat ini."
)
CONTACT = "Kontak {office_name}:\n{office_details}"

EXPIRED = (
    'Informasi tentang "{title}" sedang kami perbarui, jadi belum bisa saya jawab dengan '
    "pasti. Supaya tidak salah, silakan tanyakan langsung ke petugas."
)
OUTAGE = "⚠️ Info gangguan M-Paspor (sejak {since}):\n{text}"
ADMIN_EXPIRED = (
    "Entri faq.yaml yang sudah lewat masa berlakunya (bot tidak lagi menjawab dengannya): {ids}. "
    "Mohon periksa, perbarui, lalu /muat_ulang."
)

# WhatsApp (bot/channels/whatsapp*.py): labels of list messages, and notes to the officers.
WA_CHOOSE = "Silakan pilih:"
WA_MORE_CHOICES = "Pilihan lainnya:"
WA_LIST_BUTTON = "Lihat pilihan"
WA_LIST_SECTION = "Pilihan"
WA_NOTE_TEMPLATE = (
    "ℹ️ Tiket #{number}: pemohon tidak menulis lagi dalam 24 jam terakhir, jadi jawaban "
    "dikirim lewat template WhatsApp yang disetujui (teks panjang bisa terpotong)."
)
WA_NOTE_WINDOW_CLOSED = (
    "⚠️ Jawaban tiket #{number} TIDAK terkirim ke WhatsApp pemohon: sudah lebih dari 24 jam "
    "sejak pesan terakhirnya, dan WhatsApp hanya mengizinkan template yang disetujui. "
    "Template belum diatur (WHATSAPP_TEMPLATE). Jawaban tersimpan di tiket; pemohon akan "
    "menerimanya kalau ia menulis lagi lalu Anda menjawab ulang."
)
WA_NOTE_FAILED = (
    "⚠️ Jawaban tiket #{number} TIDAK terkirim ke WhatsApp pemohon. Alasan dari WhatsApp: "
    "{reason}. Jawaban tersimpan di tiket."
)
MEDIA_NAMES.setdefault("reaction", "reaksi emoji")

# Announcements (bot/announcements/, bot/channels/telegram/announce.py): opting in and out,
# the message subscribers get, and the admins' preview and report.
SUBSCRIBE_BUTTON = "🔔 Langganan info"
UNSUBSCRIBE_BUTTON = "🔕 Berhenti langganan"
SUBSCRIBED = (
    "Terima kasih, Anda sudah berlangganan info. Kami akan mengirim pengumuman penting ke "
    "chat ini, misalnya kapan kuota antrean dibuka.\n"
    "Kalau mau berhenti, ketik /berhenti kapan saja."
)
ALREADY_SUBSCRIBED = "Anda sudah berlangganan info. Kalau mau berhenti, ketik /berhenti."
UNSUBSCRIBED = (
    "Baik, Anda tidak akan menerima info lagi. Kalau mau berlangganan lagi, ketik /langganan."
)
NOT_SUBSCRIBED = "Anda belum berlangganan info. Kalau mau, ketik /langganan."
SUBSCRIBE_ELSEWHERE = "Maaf, langganan info hanya bisa lewat Telegram atau WhatsApp."
ANNOUNCEMENT = "📢 Pengumuman\n\n{text}\n\nTidak mau menerima info lagi? Ketik /berhenti."
ANNOUNCE_USAGE = (
    "Cara mengirim pengumuman: /umumkan TEKS\n"
    "Contoh: /umumkan Kuota bulan depan dibuka Senin pukul 09.00.\n"
    "Anda akan melihat pratinjau dulu sebelum pesan dikirim."
)
ANNOUNCE_TOO_LONG = "Pengumuman terlalu panjang ({length} karakter). Maksimal {limit} karakter."
ANNOUNCE_PREVIEW = (
    "Pratinjau pengumuman #{number}\n"
    "Akan dikirim ke {count} pelanggan ({channels}).\n"
    "Beginilah pesan yang mereka terima:\n\n"
    "{message}\n\n"
    "Kirim sekarang?"
)
ANNOUNCE_SEND_BUTTON = "✅ Kirim"
ANNOUNCE_CANCEL_BUTTON = "✖ Batal"
ANNOUNCE_SENDING = "📤 Pengumuman #{number} sedang dikirim ke {count} pelanggan. Laporan menyusul."
ANNOUNCE_CANCELLED = "✖ Pengumuman #{number} dibatalkan. Tidak ada yang dikirim."
ANNOUNCE_STALE = "⚠ Pengumuman #{number} sudah {status}."
ANNOUNCE_STATUS = {
    "sending": "dikirim",
    "done": "dikirim",
    "cancelled": "dibatalkan",
    "draft": "berupa draf",
}
ANNOUNCE_REPORT = (
    "📣 Laporan pengumuman #{number}\n"
    "Terkirim: {sent}\n"
    "Gagal: {failed}\n"
    "Dilewati: {skipped}\n"
    "Berhenti langganan: {opted_out} (memblokir bot, atau berhenti sebelum pesan sampai)"
)
