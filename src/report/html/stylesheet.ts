/**
 * The report's look: one light stylesheet, inlined in every page (no network,
 * no external assets). Verdict colours are keyed by the short classes of
 * `verdict.ts`; they are the only colours that carry meaning.
 */

/** Shared by the index and the case pages. */
const BASE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--link:#0969da;
--ok-bg:#d4f4dc;--ok-fg:#0f5323;--ns-bg:#fff1b8;--ns-fg:#6b4400;--in-bg:#dbeeff;--in-fg:#0a3069;
--un-bg:#e6e9ed;--un-fg:#4b535c;--fa-bg:#d1242f;--fa-fg:#fff;--mi-bg:#fafafa;--mi-fg:#8c959f;
--mono:ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;font:14px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--fg);background:#fff}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:24px;margin:0 0 4px;font-weight:600}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--line);font-weight:600}
h3{font-size:14px;margin:16px 0 6px;font-weight:600}
p{margin:6px 0}
code,pre,kbd{font-family:var(--mono);font-size:12.5px}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse}
th{text-align:left;font-weight:600}
.muted{color:var(--muted)}
.chip{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;letter-spacing:.02em;white-space:nowrap}
.ok{background:var(--ok-bg);color:var(--ok-fg)}.ns{background:var(--ns-bg);color:var(--ns-fg)}
.in{background:var(--in-bg);color:var(--in-fg)}.un{background:var(--un-bg);color:var(--un-fg)}
.fa{background:var(--fa-bg);color:var(--fa-fg)}
.mi{color:var(--mi-fg);background:repeating-linear-gradient(135deg,#fff 0 5px,#eef1f4 5px 10px)}
.chip.mi{box-shadow:inset 0 0 0 1px var(--line)}
.data td,.data th{padding:4px 10px;border-bottom:1px solid var(--line);vertical-align:top}
.data thead th{background:var(--soft);font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.num{text-align:right;font-variant-numeric:tabular-nums}
footer{margin-top:40px;color:var(--muted);font-size:12px}
`;

/** The index: summary, legend, filters and the agents × cases grid. */
export const INDEX_CSS = `${BASE}
header p{color:var(--muted);margin:0}
.summary td,.summary th{padding:4px 8px;border-bottom:1px solid var(--line)}
.summary thead th{font-size:12px;color:var(--muted);font-weight:600}
.summary td.z{color:#b6bdc5}
.summary tbody th{max-width:260px;overflow-wrap:anywhere}
.legend{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:6px 28px;font-size:12.5px;max-width:1200px}
.legend div{display:flex;gap:10px;align-items:baseline}
.howto{font-size:12.5px;color:var(--muted);margin-top:8px}.howto summary{cursor:pointer}
.legend .chip{flex:none;min-width:140px;text-align:center}
.filters{position:sticky;top:0;z-index:2;background:#fff;padding:10px 0;margin-top:12px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.filters span{color:var(--muted);margin-right:4px}
.filter{position:absolute;opacity:0;pointer-events:none}
.filters label{cursor:pointer;border:1px solid var(--line);border-radius:6px;padding:3px 12px;background:#fff;user-select:none}
.filters label:hover{background:var(--soft)}
#show-all:checked~.filters label[for=show-all],#show-failed:checked~.filters label[for=show-failed],#show-nonstrict:checked~.filters label[for=show-nonstrict]{background:var(--fg);color:#fff;border-color:var(--fg)}
#show-all:focus-visible~.filters label[for=show-all],#show-failed:focus-visible~.filters label[for=show-failed],#show-nonstrict:focus-visible~.filters label[for=show-nonstrict]{outline:2px solid var(--link);outline-offset:2px}
#show-failed:checked~.grid tbody tr:not(.f),#show-nonstrict:checked~.grid tbody tr:not(.n){display:none}
.empty{display:none;color:var(--muted);padding:12px 0}
#show-failed:checked~.empty.f,#show-nonstrict:checked~.empty.n{display:block}
.grid{font-size:13px;margin-top:4px}
.grid thead th{position:sticky;top:46px;z-index:1;background:var(--soft);padding:6px 10px;border-bottom:1px solid var(--line);font-weight:600;vertical-align:bottom}
.grid thead th span{display:inline-block;max-width:190px;overflow-wrap:anywhere}
.grid td,.grid tbody th{padding:2px 8px;border-bottom:1px solid #fff;border-right:1px solid #fff;white-space:nowrap}
.grid tbody th{font-weight:500;font-family:var(--mono);font-size:12px;color:var(--muted);padding-right:16px}
.grid tr.c th,.grid tr.s th{position:relative;padding:0}
.grid tr.c th{height:44px;font:600 15px/1.4 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--fg);border-bottom:2px solid var(--fg)}
.grid tr.s th{height:32px;font:600 13px/1.4 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--muted);border-bottom:1px solid var(--line)}
.grid tr.c th span,.grid tr.s th span{position:absolute;left:8px;bottom:5px;white-space:nowrap}
.grid td{min-width:64px}
.grid td a{color:inherit;display:inline-block;font-weight:600}
.grid td.cl{min-width:44px;font-family:var(--mono);font-size:12px;text-align:right;opacity:.9}
.grid td small{font-weight:400;margin-left:6px;opacity:.85}
.grid td.mi{text-align:center}
.problems{margin-top:24px;color:#a40e26}
`;

/** A case page: banner, wscheck's findings, then Autobahn's sections. */
export const CASE_CSS = `${BASE}
body{max-width:1180px}
nav.crumbs{font-size:13px;margin-bottom:14px}
.banner{display:flex;gap:16px;align-items:center;padding:16px 20px;border-radius:10px;background:var(--soft);border:1px solid var(--line)}
.banner .big{font-size:15px;padding:6px 14px;border-radius:8px}
.banner p{margin:2px 0 0;color:var(--muted)}
.banner q.reason{font-family:var(--mono);font-size:12.5px;color:var(--fg);background:#fff;border:1px solid var(--line);border-radius:4px;padding:0 4px;overflow-wrap:anywhere}
.banner h1 span{font-weight:400;color:var(--muted)}
.toc{display:flex;flex-wrap:wrap;gap:4px 14px;margin:12px 0 0;padding:0;list-style:none;font-size:13px}
.callout{margin:18px 0 0;padding:12px 16px;border-radius:8px;border:1px solid var(--line);border-left-width:6px}
.callout h2{margin:0 0 4px;padding:0;border:0;font-size:14px}
.callout.fa{background:#fff5f5;color:var(--fg);border-color:#f4b4b4;border-left-color:var(--fa-bg)}
.callout.ns{background:#fffbea;color:var(--fg);border-color:#f0dc8c;border-left-color:#d4a72c}
.callout.plain{background:#fff}
.callout p.big{font-size:15px}
.replay{display:flex;gap:8px;align-items:stretch;margin-top:6px}
.replay pre{flex:1;background:#0d1117;color:#e6edf3;padding:10px 14px;border-radius:6px;font-size:13px}
.replay button{font:inherit;font-size:13px;border:1px solid var(--line);border-radius:6px;background:#fff;padding:0 14px;cursor:pointer}
.replay button:hover{background:var(--soft)}
ul.plain{margin:6px 0;padding-left:20px}
.prose{max-width:900px}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
.box{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:0}
.box h3{margin:0 0 6px}
ol.events{margin:0;padding-left:28px;font-family:var(--mono);font-size:12.5px}
ol.events li{margin:2px 0;overflow-wrap:anywhere}
.kind{font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;font-size:11px;font-weight:600;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin-right:6px}
.none{color:var(--muted);font-style:italic}
.fields td:first-child{font-family:var(--mono);font-size:12.5px;white-space:nowrap}
.fields td:nth-child(2){font-family:var(--mono);font-size:12.5px;overflow-wrap:anywhere;max-width:360px}
.fields td:nth-child(3){color:var(--muted)}
.v-true{color:#0f5323;font-weight:600}.v-false{color:var(--muted)}.v-null{color:#b6bdc5}
.heads{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:16px}
.heads pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.stats{display:flex;flex-wrap:wrap;gap:16px 40px}
.stats tfoot td{font-weight:600;border-top:2px solid var(--line);border-bottom:0}
.wirelog{width:100%;font-size:12.5px}
.wirelog td{padding:2px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
.wirelog td.n,.wirelog td.t{color:var(--muted);text-align:right;font-family:var(--mono);white-space:nowrap;font-variant-numeric:tabular-nums}
.wirelog td.d{font-weight:700;font-family:var(--mono);white-space:nowrap}
.wirelog td.w{font-family:var(--mono);overflow-wrap:anywhere;width:100%}
.wirelog tr.rx td.d{color:#0550ae}.wirelog tr.tx td.d{color:#8250df}
.wirelog tr.rx{background:#f5f9ff}
.wirelog tr.timer td.w,.wirelog tr.timer td.d{color:#7d4e00}
.wirelog tr.end td{font-weight:700;border-top:2px solid var(--line)}
.wirelog .p{display:block;margin-top:2px;padding:2px 8px;background:#fff;border-left:3px solid #d1d9e0;white-space:pre-wrap;color:#24292f}
.wirelog .hex{color:var(--muted)}
.tag{display:inline-block;font-size:11px;border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-left:6px;color:var(--muted);font-family:system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif}
`;
