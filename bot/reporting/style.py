"""The one stylesheet of the admin console and the HTML report, so the report looks like the
console's pages. It lives here, not in the console, because the console may import the
report's modules but not the other way round (tests/test_architecture.py)."""

from __future__ import annotations

# The colour-emoji font comes after a text font: it also has digits and "#" (for keycap
# emoji), which must not be drawn from it. Without it installed 👍/👎 show as boxes.
STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,"DejaVu Sans","Noto Color Emoji",sans-serif;
color:#1d2a36;background:#f3f6f9}
header{background:#16426b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;
gap:.4rem 1rem;align-items:center}
header a{color:#fff;text-decoration:none;padding:.2rem .1rem}
header a.on{border-bottom:2px solid #ffd34d}
header form{margin-left:auto}
main{max-width:70rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
section.card>h2:first-child{margin-top:.2rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:1rem}
.wide{overflow-x:auto}
th,td{border-bottom:1px solid #dde4ea;padding:.4rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap}
td.nowrap{white-space:nowrap}
a.link{overflow-wrap:anywhere}
tr.quiet td{color:#5b6b7a;background:#f7f9fb}
.card{background:#fff;border:1px solid #dde4ea;border-radius:8px;padding:.8rem 1rem;
margin-bottom:1rem}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.bubble{white-space:pre-wrap;background:#fff;border:1px solid #cfd9e2;border-radius:10px;
padding:.6rem .8rem;overflow-wrap:anywhere}
.key{display:inline-block;border:1px solid #9fb4c7;border-radius:6px;padding:.1rem .5rem;
margin:.2rem .2rem 0 0;color:#22558a;font-size:.9rem}
label{display:block;font-weight:600;margin:.8rem 0 .2rem}
input[type=text],input[type=password],input[type=search],textarea,select{width:100%;
font:inherit;padding:.45rem;border:1px solid #9fb4c7;border-radius:6px;background:#fff}
textarea{min-height:8rem}
button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid #16426b;
background:#16426b;color:#fff;cursor:pointer;margin:.6rem .4rem 0 0}
button.light{background:#fff;color:#16426b}
.error{color:#a1141a;font-weight:600;margin:.2rem 0}
.ok{background:#e5f5e5;border:1px solid #8cc98c;padding:.5rem .8rem;border-radius:6px}
.warn{background:#fff4e0;border:1px solid #e6b35c;padding:.5rem .8rem;border-radius:6px}
.muted{color:#5b6b7a;font-size:.9rem}
.over{color:#a1141a;font-weight:600}
header .who{color:#cfe;font-size:.9rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85rem;background:#f7f9fb;padding:.5rem}
img{max-width:100%;height:auto;display:block;margin:.8rem 0}
ul.figures{padding-left:1.2rem}
ul.figures li{margin:.15rem 0}
@media (max-width:40rem){main{padding:.6rem}th,td{padding:.3rem}header form{margin-left:0}
.card{padding:.6rem .7rem}img.chart{max-width:none;width:42rem}th.n{white-space:normal}}
"""
