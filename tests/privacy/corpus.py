"""The personal-data corpus: how applicants really type personal data, and ordinary passport
questions that look a little like it but must come through untouched.

Each case names the raw values that must never be seen again after redaction (in the stored
text, a log line, an officer's post or a report). `leaked` compares digits with digits, so
"3201/2345/6789/0001" is caught however the separators were written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WJ, ZWSP, SHY, ZWNJ, LRI, PDI, RLO = (
    "\u2060",
    "\u200b",
    "\u00ad",
    "\u200c",
    "\u2066",
    "\u2069",
    "\u202e",
)


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    secrets: tuple[str, ...]
    kind: str


# Forms found getting through in issue 15: groups joined by " - " or ",", numbers glued to
# a word, dashed or distant OTPs, e-mail spelled out, passport numbers spaced after the
# letter; and more of each kind.
WIDER_CASES: tuple[Case, ...] = (
    Case("NIK saya 3271 - 0412 - 8805 - 0011", ("3271041288050011",), "nik"),
    Case("nik 3271 \u2013 0412 \u2013 8805 \u2013 0012 kok ditolak", ("3271041288050012",), "nik"),
    Case("NIKnya3271041288050013 salah ya", ("3271041288050013",), "nik"),
    Case("nik:3271,0412,8805,0014", ("3271041288050014",), "nik"),
    Case("niksaya 3271041288050015 sudah benar", ("3271041288050015",), "nik"),
    Case(
        "ktp 3271.0412.8805.0016, nik istri 3271 - 0412 - 8805 - 0017",
        ("3271041288050016", "3271041288050017"),
        "nik",
    ),
    Case("KKnya 3271 0412 8805 0101", ("3271041288050101",), "kk"),
    Case("kk saya 3271-0412-8805-0102 udah diupload", ("3271041288050102",), "kk"),
    Case("nomor kk sy 3271 - 0412 - 8805 - 0103", ("3271041288050103",), "kk"),
    Case("wa 0813,5577,2468", ("081355772468",), "phone"),
    Case("nomorku 0813 5577 2469", ("081355772469",), "phone"),
    Case("noHP081355772470", ("081355772470",), "phone"),
    Case("wa:0813-5577-2471 tolong dihubungi", ("081355772471",), "phone"),
    Case("hp 0813 - 5577 - 2472 aktif", ("081355772472",), "phone"),
    Case("telp +62-813-5577-2473", ("6281355772473",), "phone"),
    Case("no hp62813 5577 2474", ("6281355772474",), "phone"),
    Case("otp 731-604", ("731604",), "otp"),
    Case("kode otp 73-16-05", ("731605",), "otp"),
    Case(
        "otp nya udah masuk tapi pas saya ketik di aplikasi katanya salah, 731606",
        ("731606",),
        "otp",
    ),
    Case("kodenya 731 - 607 tapi ditolak", ("731607",), "otp"),
    Case("kode otp 731 610 ga bisa", ("731610",), "otp"),
    Case("731608, itu yang dikirim lewat sms tadi pagi", ("731608",), "otp"),
    Case(
        "sudah saya masukkan kode verifikasi dari email tapi tetap gagal: 731609",
        ("731609",),
        "otp",
    ),
    Case("email saya wulansari at gmail dot com", ("wulansari",), "email"),
    Case("hendrawan (at) gmail dot com", ("hendrawan",), "email"),
    Case("fitriyani@gmail,com", ("fitriyani",), "email"),
    Case("dedikurnia@gmail .com ga bisa daftar", ("dedikurnia",), "email"),
    Case("email saya siti.rahmawati at yahoo dot co dot id", ("siti.rahmawati",), "email"),
    Case("emailnya andi_pratomo@gmail", ("andi_pratomo",), "email"),
    Case("rina.marlina [at] gmail [dot] com", ("rina.marlina",), "email"),
    Case("paspor C 731 8274 hilang", ("7318274",), "passport"),
    Case("paspor C.7318275", ("7318275",), "passport"),
    Case("c-731-8276 nomor paspor lama", ("7318276",), "passport"),
    Case("nomor paspornya B 731-8277", ("7318277",), "passport"),
    Case("passport no: X 7318278", ("7318278",), "passport"),
    Case("paspor: E 7318 279", ("7318279",), "passport"),
    Case("kode billing 8202-7313-4455-661", ("820273134455661",), "billing"),
    Case("kode billingnya 820 273 134 455 662", ("820273134455662",), "billing"),
    Case("kodebilling820273134455663 belum masuk", ("820273134455663",), "billing"),
    Case("billing: 8202 - 7313 - 4455 - 664", ("820273134455664",), "billing"),
    Case("alamat Jl.Kartini no.5 rt.02/rw.04 Kalianda", ("Kartini", "rt.02/rw.04"), "address"),
    Case("Komp. Bumi Asri Blok B3 No. 12", ("Bumi Asri", "Blok B3"), "address"),
    Case("Jln. Ahmad Yani No 7 Kel. Way Hui", ("Ahmad Yani", "Way Hui"), "address"),
    Case("tinggal di Gg. Melati no. 3 RT 005/RW 002", ("Melati", "RT 005/RW 002"), "address"),
    Case("nama: Yusuf Maulana", ("Yusuf Maulana",), "name"),
    Case("a.n. Rudi Hartanto", ("Rudi Hartanto",), "name"),
    Case(
        "Nama lengkap saya Andi Saputra, lahir 3 Maret 1995",
        ("Andi Saputra", "3 Maret 1995"),
        "birth",
    ),
    Case(
        "tempat/tgl lahir: Bandar Lampung, 12-05-1988",
        ("Bandar Lampung", "12-05-1988"),
        "birth",
    ),
    Case("ttl: kalianda 05/06/1990", ("05/06/1990",), "birth"),
    Case("Siti Nurhaliza lahir tgl 7-8-1992", ("Siti Nurhaliza", "7-8-1992"), "birth"),
)

CASES: tuple[Case, ...] = (
    # NIK, in every way people separate the groups
    Case("nik saya 3201234567890001 tolong dicek", ("3201234567890001",), "nik"),
    Case("NIK: 3201 2345 6789 0002", ("3201234567890002",), "nik"),
    Case("NIK 3201/2345/6789/0003 gagal verifikasi", ("3201234567890003",), "nik"),
    Case("nik 3201.2345.6789.0004", ("3201234567890004",), "nik"),
    Case("nik 3201-2345-6789-0005 ditolak", ("3201234567890005",), "nik"),
    Case(f"NIK 3201{WJ}2345{WJ}6789{WJ}0006", ("3201234567890006",), "nik"),
    Case(f"nik 3201{ZWSP}2345{ZWSP}6789{ZWSP}0007 kenapa error", ("3201234567890007",), "nik"),
    Case(f"nik 3201{SHY}2345{SHY}6789{SHY}0008", ("3201234567890008",), "nik"),
    Case(f"nik 32{ZWNJ}01234567890009", ("3201234567890009",), "nik"),
    Case("nik3201234567890010 ga kebaca", ("3201234567890010",), "nik"),
    Case("320123/456789/0011 itu nik sy", ("3201234567890011",), "nik"),
    Case("NIK ３２０１２３４５６７８９００１２", ("3201234567890012",), "nik"),
    # KK
    Case("no kk 3201234567890101", ("3201234567890101",), "kk"),
    Case("kartu keluarga 3201-2345-6789-0102", ("3201234567890102",), "kk"),
    Case("KK: 3201/2345/6789/0103 sudah benar", ("3201234567890103",), "kk"),
    Case(f"kk 3201{WJ}2345{WJ}6789{WJ}0104", ("3201234567890104",), "kk"),
    # OTP and verification codes, with and without "kode" before them
    Case("482913 itu kode otp nya", ("482913",), "otp"),
    Case("sms masuk 739201", ("739201",), "otp"),
    Case("otp: 482914", ("482914",), "otp"),
    Case("otp482915 kok ga bisa", ("482915",), "otp"),
    Case("kode verifikasi 5521 salah terus", ("5521",), "otp"),
    Case("kodenya 77124803 pak", ("77124803",), "otp"),
    Case("token 906613 sudah kadaluarsa?", ("906613",), "otp"),
    Case("ini 551207 kode dari sms", ("551207",), "otp"),
    Case("verifikasi email 318844 ga diterima", ("318844",), "otp"),
    Case("PIN 8812 saya lupa", ("8812",), "otp"),
    # Passport numbers, spaced or glued
    Case("paspor C5918273 hilang", ("C5918273",), "passport"),
    Case("pasporC7654322 rusak", ("C7654322",), "passport"),
    Case("no paspor: X6082731", ("X6082731",), "passport"),
    Case("nomor paspor saya B 7654321", ("7654321",), "passport"),
    Case("paspor lama AB7730419 mau diganti", ("AB7730419",), "passport"),
    Case("passport E-4419273 expired", ("4419273",), "passport"),
    # Phone numbers: mobiles, +62, landlines
    Case("wa sy 0812-3456-7890", ("081234567890",), "phone"),
    Case("hp +62 812 3456 7891", ("6281234567891",), "phone"),
    Case("hubungi 6281234567892 ya", ("6281234567892",), "phone"),
    Case("telp (0721) 322111", ("0721322111",), "phone"),
    Case("telp kantor 0721-322112", ("0721322112",), "phone"),
    Case("nomor rumah 0721 322113", ("0721322113",), "phone"),
    Case("no telp +62 721 322114", ("62721322114",), "phone"),
    Case("wa 0813.1234.5678", ("081312345678",), "phone"),
    Case("hp0857 1111 2222 aktif", ("085711112222",), "phone"),
    Case("telp 322115 ext 2", ("322115",), "phone"),
    # E-mail addresses, also with spaces or [at]
    Case("email budi.s+x@gmail.com ya", ("budi.s+x@gmail.com", "budi.s+x"), "email"),
    Case("budi.s @ gmail.com itu email sy", ("budi.s @ gmail.com", "budi.s"), "email"),
    Case("email siti.aminah[at]yahoo.co.id", ("siti.aminah",), "email"),
    Case("rina_w (at) gmail (dot) com", ("rina_w",), "email"),
    Case("email: agus99 @gmail .com", ("agus99",), "email"),
    # Billing codes
    Case("kode billing 820240123456789", ("820240123456789",), "billing"),
    Case("kode billing 8202 4012 3456 790 belum lunas", ("820240123456790",), "billing"),
    Case("billing820240123456791 udh dibayar", ("820240123456791",), "billing"),
    Case("kode bayar 820240123456792", ("820240123456792",), "billing"),
    # Street addresses with RT/RW
    Case(
        "alamat saya Jl. Merdeka No. 12 RT 03/RW 05 Kel. Way Urang, Kec. Kalianda",
        ("Merdeka No. 12", "RT 03/RW 05", "Way Urang"),
        "address",
    ),
    Case(
        "rumah di jln pahlawan gg mawar no 5 rt 2 rw 1 desa sukamaju",
        ("pahlawan", "mawar", "sukamaju"),
        "address",
    ),
    Case("Jalan Kenanga Raya No. 45 Kalianda", ("Kenanga Raya No. 45",), "address"),
    Case("dusun Sumber Rejo RT 004 RW 002", ("Sumber Rejo", "RT 004 RW 002"), "address"),
    Case("Perum Griya Asri blok C2 no 9", ("Griya Asri", "blok C2"), "address"),
    Case("rt.07/rw.03 desa Way Lubuk", ("rt.07/rw.03", "Way Lubuk"), "address"),
    # Names with birth dates
    Case("Budi Santoso lahir 12-03-1990 mau perpanjang", ("Budi Santoso", "12-03-1990"), "birth"),
    Case("tgl lahir 12/03/1991", ("12/03/1991",), "birth"),
    Case("TTL Lampung, 1 Jan 1990", ("Lampung, 1 Jan 1990", "1 Jan 1990"), "birth"),
    Case("tanggal lahir: 17 Agustus 1985", ("17 Agustus 1985",), "birth"),
    Case(
        "nama saya Rahmat Hidayat, tempat tanggal lahir Kalianda 5 Mei 1979",
        ("Rahmat Hidayat", "5 Mei 1979"),
        "birth",
    ),
    Case("anak sy lahir di Metro 2 Februari 2015", ("2 Februari 2015",), "birth"),
    Case("Dewi Lestari, lahir 1992-07-21", ("Dewi Lestari", "1992-07-21"), "birth"),
    # Names introduced as names
    Case("nama saya Siti Aminah mau tanya", ("Siti Aminah",), "name"),
    Case("atas nama Joko Widodo Susanto", ("Joko Widodo Susanto",), "name"),
    Case("nama lengkap: Ahmad Fauzi", ("Ahmad Fauzi",), "name"),
    # Hidden by invisible or bidi characters
    Case(f"otp {LRI}483920{PDI}", ("483920",), "otp"),
    Case(f"wa {RLO}0812{ZWSP}9876{ZWSP}5432", ("081298765432",), "phone"),
    *WIDER_CASES,
)

# Ordinary questions: nothing in them may be replaced.
SAFE: tuple[str, ...] = (
    "biaya paspor Rp 350.000 berlaku 10 tahun?",
    "Rp650.000 untuk elektronik ya",
    "biaya 350.000-650.000 itu bedanya apa",
    "tahun 2024 tgl 17",
    "saya datang tanggal 5 jam 10.30",
    "1x24 jam belum ada balasan",
    "paspor 10 tahun berapa",
    "jadwal tanggal 12/03/2025 bisa diganti?",
    "kode billing berlaku berapa jam?",
    "otp tidak masuk sudah 3 kali",
    "kode pos kantor imigrasi 35551 ya?",
    "tahun 2024 otp tidak masuk",
    "mau jalan jalan ke jepang bulan depan",
    "nama saya di paspor salah gimana",
    "nama saya cuma satu kata, bisa bikin paspor?",
    "nama saya hanya terdiri dari satu kata",
    "nama anak saya kepanjangan, muat di paspor?",
    "atas nama siapa rekeningnya?",
    "alamat kanim kalianda dimana",
    "tgl lahir sy di ijazah beda setahun sm KTP",
    "antrian no 15 jam 08.00",
    "umur 17 tahun sudah bisa bikin paspor sendiri?",
    "paspor 48 halaman atau 24 halaman",
    "SELECT * FROM users; DROP TABLE questions;--",
    "Rp 1234567 mahal banget",
    "berapa hari jadi? katanya 4 hari kerja",
    "kuota online jam 7 pagi habis terus",
    "akte lahir anak hilang, bisa pakai surat kelahiran?",
    # Money, dates, times and counts in the shapes the wider number rules could take
    "biaya 350.000 - 650.000 ya?",
    "Rp 1,500,000 kemahalan",
    "350,000 atau 650,000 ya bedanya apa",
    "buka jam 07.30 - 16.00, istirahat 12.00 - 13.00",
    "libur tanggal 12-03-2025 - 15-03-2025 ya?",
    "kuota 100 - 150 orang per hari",
    "biaya paspor 1,5 juta apa 350 ribu",
    "kode otp berlaku 5 menit ya?",
    "kode pos 35551, buka 08.00-16.00",
    "umur 17 - 20 tahun perlu izin ortu?",
    "paspor 48 halaman 650.000 \u2013 950.000",
    "otp expired setelah 2 menit, masuk jam 13.15",
    "paspor terbit 2010 - 2020 masih bisa dipakai?",
    "ketemu at kantor imigrasi jam 10.00 ya",
    "email resmi kanim apa ya? mau kirim berkas",
)


def digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def leaked(secret: str, text: str) -> bool:
    """Whether `secret` can still be read in `text` (numbers compared digit for digit)."""
    plain = unicodedata.normalize("NFKC", text)
    plain = "".join(ch for ch in plain if unicodedata.category(ch) != "Cf").casefold()
    if secret.casefold() in plain:
        return True
    number = digits(secret)
    if len(number) < 4 or len(number) * 2 < len(secret):
        return False
    # Digits are compared within each run of digit groups, however they were separated.
    return any(number in digits(run) for run in re.findall(r"\d(?:[^\w]{0,3}\d)*", plain))
